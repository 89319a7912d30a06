//! Markdown, rendered to plain text with pulldown-cmark.
//!
//! The first heading (of any level) is the title and is left out of the body;
//! every later one starts a section, linked by its `{#id}` if it has one,
//! else by a text fragment of its words (the id a site generator gives it is
//! the generator's own).
//!
//! Front matter (a YAML block between `---` lines, or TOML between `+++`,
//! as Jekyll, Hugo, Zola and mdBook's plugins write it) is not indexed, but
//! read (`front_matter`): its `title` is the page's (the first heading then
//! starts a section), `description` (or `summary`) and `image` are shown
//! with hits, `tags`, `categories`, `category` and `section` are filters,
//! `date` and `weight` sort keys, and the tables `filters`, `sort` and
//! `meta` set any others. Front matter that is not YAML or TOML fails the
//! build, naming the file. Raw HTML is not indexed.
//!
//! A paragraph, list item or table cell whose only words are links to other
//! pages of the site (a list of `[Install](install.md)`) is marked as HTML's
//! are (`SourceDocument::link_lines`): its words match, but count for little.

use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};
use yaml_rust2::{Yaml, YamlLoader};

use super::{is_page_link, one_line, parsed, word_spans_of, FactKind, Facts, Heading, Parsed};

/// A paragraph, list item or table cell being read: the byte ranges of the
/// body its links to other pages hold, and whether it has words besides.
#[derive(Default)]
struct Line {
    links: Vec<(usize, usize)>,
    other_words: bool,
}

pub(super) fn parse(text: &str) -> Result<Parsed, String> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut title: Option<String> = None;
    let mut in_title = false;
    let mut in_metadata = false;
    let mut metadata = String::new();
    let mut facts = Facts::default();
    let mut heading = String::new();
    let mut body = String::new();
    let mut headings: Vec<Heading> = Vec::new();
    // The section heading being read: where it starts in the body.
    let mut section_start: Option<usize> = None;
    // The lines being read, innermost last, and where the link to another
    // page being read starts in the body.
    let mut lines: Vec<Line> = Vec::new();
    let mut page_link: Option<usize> = None;
    let mut link_line_bytes: Vec<(usize, usize)> = Vec::new();
    for event in Parser::new_ext(text, options) {
        match &event {
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell) => {
                lines.push(Line::default())
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                if let Some(line) = lines.pop().filter(|line| !line.other_words) {
                    link_line_bytes.extend(line.links);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if !in_title && is_page_link(dest_url) => {
                page_link = Some(body.len())
            }
            Event::End(TagEnd::Link) => {
                if let (Some(start), Some(line)) = (page_link.take(), lines.last_mut()) {
                    line.links.push((start, body.len()));
                }
            }
            Event::Text(text) | Event::Code(text) if page_link.is_none() => {
                if let Some(line) = lines.last_mut() {
                    line.other_words |= text.chars().any(char::is_alphanumeric);
                }
            }
            _ => {}
        }
        let out = if in_title { &mut heading } else { &mut body };
        match event {
            Event::Start(Tag::Heading { .. }) if title.is_none() => in_title = true,
            Event::End(TagEnd::Heading(_)) if in_title => {
                in_title = false;
                title = Some(one_line(&heading)).filter(|t| !t.is_empty());
            }
            Event::Start(Tag::Heading { id, .. }) => {
                body.push('\n');
                section_start = Some(body.len());
                headings.push(Heading {
                    at: body.len(),
                    title: String::new(),
                    id: id.map(|id| id.to_string()),
                });
            }
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::Text(text) if in_metadata => metadata.push_str(&text),
            Event::End(TagEnd::MetadataBlock(kind)) => {
                in_metadata = false;
                let (front_title, front) = front_matter(&metadata, kind)?;
                facts = front;
                // A title set here is the page's: its first heading is then a section.
                title = title.or(front_title);
            }
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
                if !in_metadata =>
            {
                out.push_str(&text)
            }
            Event::SoftBreak => out.push(' '),
            // A list inside an item starts on a line of its own.
            Event::Start(Tag::List(_)) => out.push('\n'),
            Event::HardBreak | Event::Rule => out.push('\n'),
            Event::End(TagEnd::Heading(_)) => {
                if let (Some(start), Some(last)) = (section_start.take(), headings.last_mut()) {
                    last.title = body[start..].to_owned();
                }
                body.push('\n');
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::FootnoteDefinition,
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    link_line_bytes.sort_unstable();
    let mut page = parsed(title, &body, headings);
    page.link_lines = word_spans_of(&body, &link_line_bytes);
    page.facts = facts;
    Ok(page)
}

/// Reads a front matter block: the page's title, if it sets one, and its facts.
fn front_matter(text: &str, kind: MetadataBlockKind) -> Result<(Option<String>, Facts), String> {
    let fields: Vec<(String, Value)> = match kind {
        MetadataBlockKind::YamlStyle => {
            let documents = YamlLoader::load_from_str(text).map_err(|e| format!("YAML: {e}"))?;
            match documents.into_iter().next() {
                None | Some(Yaml::Null) => Vec::new(),
                Some(Yaml::Hash(hash)) => hash
                    .into_iter()
                    .filter_map(|(k, v)| Some((yaml_scalar(&k)?, yaml_value(v))))
                    .collect(),
                Some(_) => return Err("YAML front matter must be `key: value` lines".into()),
            }
        }
        MetadataBlockKind::PlusesStyle => text
            .parse::<toml::Table>()
            .map_err(|e| format!("TOML: {}", one_line(&e.to_string())))?
            .into_iter()
            .map(|(k, v)| (k, toml_value(v)))
            .collect(),
    };
    let mut title = None;
    let mut facts = Facts::default();
    for (key, value) in fields {
        let lowered = key.to_lowercase();
        match (lowered.as_str(), value) {
            ("title", Value::Scalars(values)) => title = values.into_iter().next(),
            ("description" | "summary", Value::Scalars(values)) => {
                add_all(&mut facts, FactKind::Meta, "description", values)
            }
            ("lang" | "language", Value::Scalars(values)) => {
                facts.language = values.into_iter().next().filter(|v| !v.trim().is_empty())
            }
            ("image", Value::Scalars(values)) => {
                add_all(&mut facts, FactKind::Meta, "image", values)
            }
            ("tags" | "categories" | "category" | "section", Value::Scalars(values)) => {
                add_all(&mut facts, FactKind::Filter, &lowered, values)
            }
            ("date" | "weight", Value::Scalars(values)) => {
                add_all(&mut facts, FactKind::Sort, &lowered, values)
            }
            (table @ ("filters" | "sort" | "meta"), Value::Table(entries)) => {
                let kind = match table {
                    "filters" => FactKind::Filter,
                    "sort" => FactKind::Sort,
                    _ => FactKind::Meta,
                };
                for (key, values) in entries {
                    add_all(&mut facts, kind, &key, values);
                }
            }
            _ => {}
        }
    }
    Ok((title, facts))
}

fn add_all(facts: &mut Facts, kind: FactKind, key: &str, values: Vec<String>) {
    for value in values {
        facts.add(kind, key, &value);
    }
}

/// A front matter value as far as pages use them: scalars (one, or a list),
/// or a table of those.
enum Value {
    Scalars(Vec<String>),
    Table(Vec<(String, Vec<String>)>),
}

fn yaml_scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(n) => Some(n.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

fn yaml_value(value: Yaml) -> Value {
    match value {
        Yaml::Array(items) => Value::Scalars(items.iter().filter_map(yaml_scalar).collect()),
        Yaml::Hash(hash) => Value::Table(
            hash.into_iter()
                .filter_map(|(k, v)| match yaml_value(v) {
                    Value::Scalars(values) => Some((yaml_scalar(&k)?, values)),
                    Value::Table(_) => None,
                })
                .collect(),
        ),
        scalar => Value::Scalars(yaml_scalar(&scalar).into_iter().collect()),
    }
}

fn toml_scalar(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(n) => Some(n.to_string()),
        toml::Value::Float(n) => Some(n.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

fn toml_value(value: toml::Value) -> Value {
    match value {
        toml::Value::Array(items) => Value::Scalars(items.iter().filter_map(toml_scalar).collect()),
        toml::Value::Table(table) => Value::Table(
            table
                .into_iter()
                .filter_map(|(k, v)| match toml_value(v) {
                    Value::Scalars(values) => Some((k, values)),
                    Value::Table(_) => None,
                })
                .collect(),
        ),
        scalar => Value::Scalars(toml_scalar(&scalar).into_iter().collect()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_language_of_front_matter() {
        for (text, language) in [
            ("---\nlang: fr\n---\nBonjour.", Some("fr")),
            ("+++\nlanguage = \"ja\"\n+++\nこんにちは。", Some("ja")),
            ("---\ntitle: x\n---\nHello.", None),
        ] {
            let page = super::parse(text).unwrap();
            assert_eq!(page.facts.language.as_deref(), language, "{text}");
        }
    }

    #[test]
    fn lines_that_only_link_to_other_pages_are_marked() {
        let text = "# Guide\n\nStart with [installing](install.md), then:\n\n\
            - [Install](install.md)\n  - [On Linux](install.md#linux), [on Mac](mac/)\n\
            - [Elsewhere](https://example.org/a.md)\n- [Here](#here)\n\n\
            | [Usage](usage.html) | what it does |\n|---|---|\n| [Tips](tips.md) | [FAQ](faq.md) |\n";
        let page = super::parse(text).unwrap();
        assert_eq!(
            super::super::link_line_words(&page),
            [
                vec!["Install"],
                vec!["On", "Linux"],
                vec!["on", "Mac"],
                vec!["Usage"],
                vec!["Tips"],
                vec!["FAQ"]
            ],
            "{}",
            page.body
        );
    }

    #[test]
    fn renders_markdown() {
        let cases = [
            (
                "---\nauthor: front\n---\n# The *Title*\n\nSome **bold** text\nwrapped, and `code`.\n\n- one\n- two\n",
                Some("The Title"),
                "Some bold text wrapped, and code.\none\ntwo",
            ),
            ("Intro para.\n\n## Later heading\n\nMore.", Some("Later heading"), "Intro para.\nMore."),
            ("No heading, <b>html</b> dropped.", None, "No heading, html dropped."),
            ("| a | b |\n|---|---|\n| 1 | 2 |\n", None, "a b\n1 2"),
            // A nested list's first item is a word apart from its parent's.
            ("- one\n  - two\n- three\n", None, "one\ntwo\nthree"),
        ];
        for (text, title, body) in cases {
            let super::Parsed {
                title: got_title,
                body: got_body,
                ..
            } = super::parse(text).unwrap();
            assert_eq!(got_title.as_deref(), title, "{text:?}");
            assert_eq!(got_body, body, "{text:?}");
        }
    }

    #[test]
    fn later_headings_start_sections() {
        let parsed = super::parse(
            "# Title\n\nIntro text.\n\n## Setup {#setup}\n\nDo it.\n\n### Then, more\n\nDone.",
        )
        .unwrap();
        let sections: Vec<_> = parsed
            .sections
            .iter()
            .map(|s| (s.word, s.title.as_str(), s.anchor.as_str()))
            .collect();
        assert_eq!(
            sections,
            [
                (2, "Setup", "#setup"),
                (5, "Then, more", "#:~:text=Then%2C%20more")
            ]
        );
        assert_eq!(parsed.body, "Intro text.\nSetup\nDo it.\nThen, more\nDone.");
    }

    #[test]
    fn front_matter_gives_title_filters_sort_values_and_metadata() {
        let yaml = "---\ntitle: From the front\ndescription: About it.\ntags: [rust, wasm]\n\
                    date: 2024-05-01\nfilters:\n  level: beginner\nauthor: nobody\n---\n\
                    # First heading\n\nText.\n";
        let toml = "+++\ntitle = \"From the front\"\ndescription = \"About it.\"\n\
                    tags = [\"rust\", \"wasm\"]\ndate = \"2024-05-01\"\n\
                    author = \"nobody\"\n[filters]\nlevel = \"beginner\"\n+++\n\
                    # First heading\n\nText.\n";
        let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
            items
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        for text in [yaml, toml] {
            let page = super::parse(text).unwrap();
            assert_eq!(page.title.as_deref(), Some("From the front"), "{text}");
            // The first heading is a section now, in the body.
            assert_eq!(page.body, "First heading\nText.");
            assert_eq!(page.sections.len(), 1);
            assert_eq!(page.facts.meta, pairs(&[("description", "About it.")]));
            let mut filters = page.facts.filters.clone();
            filters.sort();
            assert_eq!(
                filters,
                pairs(&[("level", "beginner"), ("tags", "rust"), ("tags", "wasm")])
            );
            assert_eq!(page.facts.sort, pairs(&[("date", "2024-05-01")]));
        }
    }

    #[test]
    fn front_matter_that_is_not_yaml_is_an_error() {
        let error = super::parse("---\ntags: [unclosed\n---\n# T\n").unwrap_err();
        assert!(error.starts_with("YAML"), "{error}");
        let error = super::parse("+++\ntags = [\n+++\n# T\n").unwrap_err();
        assert!(error.starts_with("TOML"), "{error}");
    }
}
