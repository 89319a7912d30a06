//! A site's title suffix or prefix (`… — Python 3.11 documentation`,
//! `… - Rust`, `MySite | …`): the part that most of its pages' `<title>`s
//! share, after or before a separator. It says nothing of the page, and a
//! visitor sees it on every result, so it is cut from each title that has it.
//!
//! It is found on the sample of pages the site's chrome is learnt from
//! (`corpus::learn_site`).

use std::collections::{HashMap, HashSet};

/// What separates a site's name from a page's own title.
const SEPARATORS: &[&str] = &[" — ", " – ", " - ", " | ", " · ", " :: ", " » ", ": "];

/// Least share of the sampled titles, and least number, that must have the
/// same suffix (or prefix) for it to be the site's.
const MIN_SHARE: f64 = 0.5;
const MIN_TITLES: usize = 4;

/// The suffix and the prefix that a site puts around every page's own title.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SiteAffix {
    /// With its separator: ` — Python 3.11 documentation`.
    pub suffix: Option<String>,
    /// With its separator: `MySite | `.
    pub prefix: Option<String>,
}

impl SiteAffix {
    /// The suffix and prefix most of `titles` have (see [`MIN_SHARE`]).
    pub fn find<'t>(titles: impl IntoIterator<Item = &'t str>) -> SiteAffix {
        let mut suffixes: HashMap<&str, usize> = HashMap::new();
        let mut prefixes: HashMap<&str, usize> = HashMap::new();
        let mut count = 0;
        for title in titles {
            count += 1;
            // Each counted once a title, whichever separator finds it.
            let mut seen: HashSet<&str> = HashSet::new();
            for separator in SEPARATORS {
                if let Some(at) = title.rfind(separator).filter(|&at| at > 0) {
                    let suffix = &title[at..];
                    if seen.insert(suffix) {
                        *suffixes.entry(suffix).or_default() += 1;
                    }
                }
                if let Some(at) = title.find(separator) {
                    let prefix = &title[..at + separator.len()];
                    if prefix.len() < title.len() && seen.insert(prefix) {
                        *prefixes.entry(prefix).or_default() += 1;
                    }
                }
            }
        }
        let needed = MIN_TITLES.max((count as f64 * MIN_SHARE).ceil() as usize);
        let most_common = |counts: HashMap<&str, usize>| {
            counts
                .into_iter()
                .filter(|&(_, n)| n >= needed)
                // The longest of those most titles share: ` - Rust` over ` - Rust`'s tail.
                .max_by_key(|&(affix, n)| (n, affix.len(), std::cmp::Reverse(affix)))
                .map(|(affix, _)| affix.to_owned())
        };
        SiteAffix {
            suffix: most_common(suffixes),
            prefix: most_common(prefixes),
        }
    }

    /// `title` without the site's suffix and prefix; as it is when nothing
    /// would be left.
    pub fn strip(&self, title: String) -> String {
        let mut own = title.as_str();
        if let Some(suffix) = &self.suffix {
            own = own.strip_suffix(suffix.as_str()).unwrap_or(own);
        }
        if let Some(prefix) = &self.prefix {
            own = own.strip_prefix(prefix.as_str()).unwrap_or(own);
        }
        let own = own.trim();
        if own.is_empty() || own.len() == title.len() {
            title
        } else {
            own.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_part_most_titles_share_is_cut() {
        let python = [
            "os — Miscellaneous operating system interfaces — Python 3.11.2 documentation",
            "json — JSON encoder and decoder — Python 3.11.2 documentation",
            "5. Data Structures — Python 3.11.2 documentation",
            "Glossary — Python 3.11.2 documentation",
            "Python 3.11.2 documentation",
        ];
        let affix = SiteAffix::find(python);
        assert_eq!(
            affix.suffix.as_deref(),
            Some(" — Python 3.11.2 documentation")
        );
        assert_eq!(affix.prefix, None);
        assert_eq!(
            affix.strip(python[0].to_owned()),
            "os — Miscellaneous operating system interfaces"
        );
        // Nothing would be left: kept whole.
        assert_eq!(affix.strip(python[4].to_owned()), python[4]);

        let site = [
            "Acme | Home",
            "Acme | Pricing",
            "Acme | Blog - News",
            "Acme | About us",
            "Other",
        ];
        let affix = SiteAffix::find(site);
        assert_eq!(affix.prefix.as_deref(), Some("Acme | "));
        assert_eq!(affix.strip(site[2].to_owned()), "Blog - News");

        // Titles that share nothing, or too few titles: nothing is cut.
        assert_eq!(
            SiteAffix::find(["A - b", "C - d", "E - f", "G - h", "I - j"]),
            SiteAffix::default()
        );
        assert_eq!(
            SiteAffix::find(["a - Rust", "b - Rust"]),
            SiteAffix::default()
        );
    }
}
