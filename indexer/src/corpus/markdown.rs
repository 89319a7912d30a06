//! Markdown, rendered to plain text with pulldown-cmark.
//!
//! The first heading (of any level) is the title and is left out of the body;
//! every later one starts a section, linked by its `{#id}` if it has one,
//! else by a text fragment of its words (the id a site generator gives it is
//! the generator's own).
//! Front matter (`---` YAML or `+++` blocks) and raw HTML are not indexed.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{one_line, parsed, Heading, Parsed};

pub(super) fn parse(text: &str) -> Parsed {
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
    let mut heading = String::new();
    let mut body = String::new();
    let mut headings: Vec<Heading> = Vec::new();
    // The section heading being read: where it starts in the body.
    let mut section_start: Option<usize> = None;
    for event in Parser::new_ext(text, options) {
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
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
                if !in_metadata =>
            {
                out.push_str(&text)
            }
            Event::SoftBreak => out.push(' '),
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
    parsed(title, &body, headings)
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_markdown() {
        let cases = [
            (
                "---\ntitle: front\n---\n# The *Title*\n\nSome **bold** text\nwrapped, and `code`.\n\n- one\n- two\n",
                Some("The Title"),
                "Some bold text wrapped, and code.\none\ntwo",
            ),
            ("Intro para.\n\n## Later heading\n\nMore.", Some("Later heading"), "Intro para.\nMore."),
            ("No heading, <b>html</b> dropped.", None, "No heading, html dropped."),
            ("| a | b |\n|---|---|\n| 1 | 2 |\n", None, "a b\n1 2"),
        ];
        for (text, title, body) in cases {
            let super::Parsed {
                title: got_title,
                body: got_body,
                ..
            } = super::parse(text);
            assert_eq!(got_title.as_deref(), title, "{text:?}");
            assert_eq!(got_body, body, "{text:?}");
        }
    }

    #[test]
    fn later_headings_start_sections() {
        let parsed = super::parse(
            "# Title\n\nIntro text.\n\n## Setup {#setup}\n\nDo it.\n\n### Then, more\n\nDone.",
        );
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
}
