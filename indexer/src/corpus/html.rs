//! HTML, parsed with html5ever (through scraper) as a browser would.
//!
//! The title is `<title>`, else the first `<h1>`. The text is the body's, less
//! elements that are not content: scripts, styles, navigation, page header and
//! footer, and the like. Block elements separate words with line breaks.

use ego_tree::NodeRef;
use scraper::{Html, Node, Selector};

use super::{collapse_whitespace, one_line};

/// Elements whose content is not part of the document's text.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "noscript", "template", "svg", "iframe",
    "object", "head",
];
/// Elements that start a new line of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tr",
    "ul",
];

pub(super) fn parse(text: &str) -> (Option<String>, String) {
    let document = Html::parse_document(text);
    let title = first_text(&document, "title").or_else(|| first_text(&document, "h1"));
    let mut body = String::new();
    let body_selector = selector("body");
    if let Some(root) = document.select(&body_selector).next() {
        extract_text(*root, &mut body);
    }
    (title, collapse_whitespace(&body))
}

fn selector(css: &str) -> Selector {
    // Only called with the constant tag names of this file, which are valid CSS.
    Selector::parse(css).expect("valid selector")
}

fn first_text(document: &Html, tag: &str) -> Option<String> {
    document
        .select(&selector(tag))
        .map(|e| one_line(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

/// Appends the text under `root`. Iterative, so deeply nested markup cannot
/// overflow the stack.
fn extract_text(root: NodeRef<'_, Node>, out: &mut String) {
    let mut stack = vec![(root, true)];
    while let Some((node, entering)) = stack.pop() {
        match node.value() {
            Node::Text(text) if entering => out.push_str(text),
            Node::Element(element) => {
                let name = element.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block || matches!(name, "td" | "th") {
                    out.push(if block { '\n' } else { ' ' });
                }
                if entering {
                    stack.push((node, false));
                    // Reversed, so the first child is popped first.
                    let children: Vec<_> = node.children().collect();
                    stack.extend(children.into_iter().rev().map(|child| (child, true)));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn extracts_title_and_text() {
        let cases = [
            (
                "<html><head><title> Page  title </title><style>p{}</style></head><body><header>Site</header><nav>Menu</nav>\
                 <h1>Heading</h1><p>First <b>para</b>.</p><p>Second</p><script>alert(1)</script><footer>Foot</footer></body></html>",
                Some("Page title"),
                "Heading\nFirst para.\nSecond",
            ),
            ("<h1>Only h1</h1><div>a</div><div>b</div>", Some("Only h1"), "Only h1\na\nb"),
            ("<p>No <i>title</i>", None, "No title"),
            ("<table><tr><td>a</td><td>b</td></tr></table>", None, "a b"),
            ("<p>broken <b>markup <i>here</p> &amp; &lt;escaped&gt;", None, "broken markup here\n& <escaped>"),
        ];
        for (html, title, body) in cases {
            let (got_title, got_body) = super::parse(html);
            assert_eq!(got_title.as_deref(), title, "{html}");
            assert_eq!(got_body, body, "{html}");
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // Deep enough to overflow a recursive walk on a 2 MiB test thread; html5ever
        // itself is quadratic in depth, so not deeper.
        let html = "<div>".repeat(20_000) + "deep" + &"</div>".repeat(20_000);
        let (_, body) = super::parse(&html);
        assert_eq!(body, "deep");
    }
}
