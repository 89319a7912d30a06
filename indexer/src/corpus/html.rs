//! HTML, parsed with html5ever (through scraper) as a browser would.
//!
//! The title is `<title>`, else the first `<h1>`. The text is the content
//! region's, less elements that are not content. Block elements separate
//! words with line breaks.
//!
//! The content region is every element marked `data-site-search-body` (the
//! site's own say), else `<body>`. Not yet `<main>` or `[role=main]` found
//! on their own: on Python's Sphinx docs that cost the manual test 0.07 of
//! success@1 (0.350 to 0.280, `bench/manual.mjs`), because the sidebar's
//! table of contents, outside `role=main`, repeats the page's headings, the
//! only weight headings get today. It comes with heading weighting.
//!
//! Inside it, these are left out: scripts, styles, navigation, page header and
//! footer and the like ([`SKIPPED`]), elements marked `data-site-search-ignore`,
//! and elements matching the indexer's `--exclude-selectors`.

use std::collections::HashSet;

use ego_tree::{NodeId, NodeRef};
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

/// The attribute that marks a page's content region: only what it marks is indexed.
pub const BODY_ATTRIBUTE: &str = "data-site-search-body";
/// The attribute that marks an element (and what it holds) as not content.
pub const IGNORE_ATTRIBUTE: &str = "data-site-search-ignore";

pub(super) fn parse(text: &str, excluded: &[Selector]) -> (Option<String>, String) {
    let document = Html::parse_document(text);
    let title = first_text(&document, "title").or_else(|| first_text(&document, "h1"));
    let mut skipped: HashSet<NodeId> = excluded
        .iter()
        .flat_map(|selector| document.select(selector).map(|e| e.id()))
        .collect();
    skipped.extend(
        document
            .select(&selector(&format!("[{IGNORE_ATTRIBUTE}]")))
            .map(|e| e.id()),
    );
    let mut body = String::new();
    for root in content_region(&document) {
        extract_text(root, &skipped, &mut body);
        body.push('\n');
    }
    (title, collapse_whitespace(&body))
}

/// The elements whose text is the page's content (see the module's doc).
fn content_region(document: &Html) -> Vec<NodeRef<'_, Node>> {
    let marked: Vec<_> = document
        .select(&selector(&format!("[{BODY_ATTRIBUTE}]")))
        .map(|e| *e)
        .collect();
    if !marked.is_empty() {
        // Not one inside another: its text would come twice.
        return marked
            .iter()
            .filter(|e| {
                !e.ancestors()
                    .any(|a| marked.iter().any(|m| m.id() == a.id()))
            })
            .copied()
            .collect();
    }
    document
        .select(&selector("body"))
        .map(|e| *e)
        .take(1)
        .collect()
}

/// Parses the indexer's `--exclude-selectors` (CSS selectors): the message
/// names the one that is not valid CSS.
pub fn exclude_selectors(selectors: &[String]) -> Result<Vec<Selector>, String> {
    selectors
        .iter()
        .map(|css| {
            Selector::parse(css)
                .map_err(|e| format!("`{css}` is not a CSS selector the indexer can use ({e:?})"))
        })
        .collect()
}

fn selector(css: &str) -> Selector {
    // Only called with the constant selectors of this file, which are valid CSS.
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
fn extract_text(root: NodeRef<'_, Node>, skipped: &HashSet<NodeId>, out: &mut String) {
    let mut stack = vec![(root, true)];
    while let Some((node, entering)) = stack.pop() {
        match node.value() {
            Node::Text(text) if entering => out.push_str(text),
            Node::Element(element) => {
                let name = element.name();
                if SKIPPED.contains(&name) || skipped.contains(&node.id()) {
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
            let (got_title, got_body) = super::parse(html, &[]);
            assert_eq!(got_title.as_deref(), title, "{html}");
            assert_eq!(got_body, body, "{html}");
        }
    }

    #[test]
    fn indexes_the_marked_region_and_leaves_out_what_is_marked() {
        let excluded = super::exclude_selectors(&[".ad, #related".to_owned()]).unwrap();
        let cases = [
            // The site's mark wins, every marked element, none twice.
            (
                "<body><main>Main</main><div data-site-search-body>One <span data-site-search-body>inner</span></div>\
                 <p>Between</p><section data-site-search-body>Two</section></body>",
                "One inner\nTwo",
            ),
            // Else the body.
            ("<body><div>Sidebar</div><main><p>Content</p></main></body>", "Sidebar\nContent"),
            // Ignored by attribute and by the indexer's selectors.
            (
                "<body><main><p>Keep</p><div data-site-search-ignore><p>Edit this page</p></div>\
                 <div class=ad>Buy</div><ul id=related><li>Other</li></ul></main></body>",
                "Keep",
            ),
        ];
        for (html, body) in cases {
            let (_, got) = super::parse(html, &excluded);
            assert_eq!(got, body, "{html}");
        }
        let error = super::exclude_selectors(&["div[".to_owned()]).unwrap_err();
        assert!(error.contains("`div[`"), "{error}");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // Deep enough to overflow a recursive walk on a 2 MiB test thread; html5ever
        // itself is quadratic in depth, so not deeper.
        let html = "<div>".repeat(20_000) + "deep" + &"</div>".repeat(20_000);
        let (_, body) = super::parse(&html, &[]);
        assert_eq!(body, "deep");
    }
}
