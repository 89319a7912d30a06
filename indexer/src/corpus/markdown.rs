//! Markdown, rendered to plain text with pulldown-cmark.
//!
//! The first heading (of any level) is the title and is left out of the body.
//! Front matter (`---` YAML or `+++` blocks) and raw HTML are not indexed.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{collapse_whitespace, one_line};

pub(super) fn parse(text: &str) -> (Option<String>, String) {
    let options = Options::ENABLE_TABLES
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
    for event in Parser::new_ext(text, options) {
        let out = if in_title { &mut heading } else { &mut body };
        match event {
            Event::Start(Tag::Heading { .. }) if title.is_none() => in_title = true,
            Event::End(TagEnd::Heading(_)) if in_title => {
                in_title = false;
                title = Some(one_line(&heading)).filter(|t| !t.is_empty());
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
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
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
    (title, collapse_whitespace(&body))
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
            let (got_title, got_body) = super::parse(text);
            assert_eq!(got_title.as_deref(), title, "{text:?}");
            assert_eq!(got_body, body, "{text:?}");
        }
    }
}
