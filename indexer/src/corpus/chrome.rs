//! Site chrome, found by repetition: the lines that recur verbatim on many
//! of a site's pages (navigation tables' `Prev` `Up` `Home` `Next`, a
//! breadcrumb's parts, a footer's notice) are not content, whatever markup
//! carries them. They are left out of the index and so of excerpts: a
//! DocBook manual puts its navigation in plain `div`s and tables, which no
//! tag name gives away.
//!
//! A line is an innermost block or table cell that is not a heading
//! (`html::line_texts`); headings are the pages' structure, even where many
//! pages share one (rustdoc's `Examples`). The lines are counted on a sample
//! of the site's pages spread through it in path order ([`sample`], which
//! the site's title suffix is found on too), read once more each, so a site
//! of any size costs at most [`SAMPLE`] extra parses.

use std::collections::{HashMap, HashSet};

/// Pages sampled, spread evenly through the site (for its chrome and its titles' suffix).
pub(super) const SAMPLE: usize = 100;
/// Fewest pages a site must have for its chrome to be told from content.
pub(super) const MIN_PAGES: usize = 10;
/// A line that looks like navigation (a table cell, or only links) is
/// chrome when it is on at least this share of the sampled pages: a
/// chapter's own navigation (`Up: SQL Commands` on 200 of a manual's 1,200
/// pages) is chrome too.
const MIN_SHARE_NAVIGATION: f64 = 0.1;
/// Any other line must be on a quarter of them: Python's docs say "New in
/// version 3.8." on a tenth of their pages, and it is content.
const MIN_SHARE: f64 = 0.25;
/// And on at least this many pages, whatever the share.
const MIN_REPEATS: usize = 4;

/// Which of `count` pages, spread evenly, to sample.
pub(super) fn sample(count: usize) -> impl Iterator<Item = usize> {
    let taken = count.min(SAMPLE);
    (0..taken).map(move |i| i * count / taken.max(1))
}

/// The lines that are chrome, from each sampled page's lines (each once,
/// with whether it looks like navigation).
pub(super) fn learn(pages: impl IntoIterator<Item = HashSet<(String, bool)>>) -> HashSet<String> {
    let mut on_pages: HashMap<(String, bool), usize> = HashMap::new();
    let mut sampled = 0;
    for lines in pages {
        sampled += 1;
        for line in lines {
            *on_pages.entry(line).or_default() += 1;
        }
    }
    if sampled < MIN_PAGES {
        return HashSet::new();
    }
    let needed = |share: f64| MIN_REPEATS.max((sampled as f64 * share).ceil() as usize);
    let (navigation, other) = (needed(MIN_SHARE_NAVIGATION), needed(MIN_SHARE));
    on_pages
        .into_iter()
        .filter(|((_, navigational), pages)| {
            *pages >= if *navigational { navigation } else { other }
        })
        .map(|((line, _), _)| line)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page's lines, all navigation but those starting with "Text".
    fn page(lines: &[&str]) -> HashSet<(String, bool)> {
        lines
            .iter()
            .map(|l| (l.to_string(), !l.starts_with("Text")))
            .collect()
    }

    #[test]
    fn lines_on_many_pages_are_chrome() {
        let mut pages: Vec<HashSet<(String, bool)>> = (0..30)
            .map(|i| page(&["Prev", "Next", &format!("Text {i}"), "Text everywhere"]))
            .collect();
        // On 3 of 30 pages (10%), but fewer than MIN_REPEATS: content.
        for p in pages.iter_mut().take(3) {
            p.insert(("Shared tip".into(), true));
        }
        // A chapter's navigation on 5 of them (17%): chrome.
        for p in pages.iter_mut().skip(10).take(5) {
            p.insert(("SQL Commands".into(), true));
        }
        // A line of text on 7 of them (23%): content; on 8 (27%) it would not be.
        for p in pages.iter_mut().skip(20).take(7) {
            p.insert(("Text: new in version 3.8.".into(), false));
        }
        let chrome = learn(pages);
        let mut found: Vec<_> = chrome.iter().map(String::as_str).collect();
        found.sort_unstable();
        assert_eq!(found, ["Next", "Prev", "SQL Commands", "Text everywhere"]);
    }

    #[test]
    fn a_small_site_has_no_chrome_to_tell() {
        let pages = (0..MIN_PAGES - 1).map(|_| page(&["Home", "Same everywhere"]));
        assert!(learn(pages).is_empty());
    }

    #[test]
    fn the_sample_spreads_through_the_site() {
        assert_eq!(sample(5).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
        let spread: Vec<_> = sample(1000).collect();
        assert_eq!(
            (spread.len(), spread[0], spread[1], spread[99]),
            (100, 0, 10, 990)
        );
        assert_eq!(sample(0).count(), 0);
    }
}
