//! HTML, parsed with html5ever (through scraper) as a browser would.
//!
//! The title is `<title>` (less the site's suffix or prefix, `titles.rs`),
//! else the first `<h1>`. The text is the content
//! region's, less elements that are not content. Block elements separate
//! words with line breaks.
//!
//! The content region is every element marked `data-site-search-body` (the
//! site's own say), else the page's `<main>`, else its `[role=main]`, else
//! its only `<article>`, else `<body>`. (Before headings were weighted, the
//! sidebar's table of contents outside Sphinx's `role=main` was what gave a
//! page's own headings weight, and leaving it out cost the manual test
//! 0.07 of success@1; with them, it gains.)
//!
//! Inside it, these are left out: scripts, styles, navigation, page header and
//! footer and the like ([`SKIPPED`]), elements marked `data-site-search-ignore`,
//! elements matching the indexer's `--exclude-selectors`, and the site's
//! chrome: lines (innermost blocks and table cells, not headings) whose text
//! recurs verbatim on many of the site's pages (`chrome.rs`), and lines that
//! are the title of a page this one names as its neighbour
//! (`<link rel="prev" title="…">`, `next`, `up`, `home`, …): the previous and
//! next chapters' titles that DocBook's and other generators' navigation
//! bars show, which recur on two pages only, and would make each page a hit
//! for its neighbours' words.
//!
//! A line whose only words are links to other pages of the site (tables of
//! contents, Sphinx's and DocBook's; a manual's general index; lists of
//! related pages) stays in the text, but is marked (`links_alone_on_their_lines`,
//! `SourceDocument::link_lines`): its words are the other pages' titles and
//! names, and a visitor who types them is looking for those pages, so they
//! match but count for little. Absolute links to the page's own host (as its
//! canonical link or `og:url` gives it) count as links to its pages.
//!
//! Each heading (`h1` to `h6`), and each defined term (`dt`) with an anchor
//! of its own (an API reference's functions, a manual's settings) or an
//! empty target right before it (older Texinfo's `<span id="index-IFS">`
//! ending the `dd` before), after
//! the page's first `h1` starts a section (those before it are site chrome:
//! top bars, sidebars; the `h1` is the page's own title, and what follows
//! it, up to the next heading, is the page's opening, which links to the
//! page itself). A section's anchor is the heading's `id`, else that of an
//! `<a id>` or `<a name>` in it, else the target of a permalink in it
//! (`<a href="#id">¶</a>`), else the id of an element the heading opens
//! (DocBook and Sphinx put it on the `div` or `section` around it) or of an
//! empty target right before it (gtk-doc's `<a name="g-strfreev"></a><h3>`),
//! else a text fragment of its words; where the text before it already
//! shows those words (a manual's many `Note` headings), the fragment would
//! land there, and the heading starts no section.
//!
//! What a page says of itself (`page_facts`), anywhere in it: elements marked
//! `data-site-search-filter`, `data-site-search-sort` or `data-site-search-meta`
//! give a filter value, a sort value or a piece of metadata. The attribute
//! is `key:value`, or just `key`, and then the value is the element's
//! `content` (a `<meta>`), its `src` (an `<img>`), or its text. And from
//! `<meta>`: `description` (else `og:description`) and `og:image` (else
//! `twitter:image`) are the page's description and image, unless marked
//! ones say otherwise; Open Graph's article properties, as site generators
//! write them (Hugo's templates, Jekyll's SEO tag), give the filters
//! `section` (`article:section`) and `tags` (each `article:tag`) and the
//! sort key `date` (`article:published_time`).

use std::collections::HashSet;
use std::sync::LazyLock;

use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node, Selector};

use super::{
    is_page_link, language_runs, one_line, parsed, word_spans_of, FactKind, Facts, Heading, Parsed,
};

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
/// The attributes that give a page's filter values, sort values and metadata.
pub const FILTER_ATTRIBUTE: &str = "data-site-search-filter";
pub const SORT_ATTRIBUTE: &str = "data-site-search-sort";
pub const META_ATTRIBUTE: &str = "data-site-search-meta";

pub(super) fn parse(text: &str, excluded: &[Selector], chrome: &HashSet<String>) -> Parsed {
    let document = Html::parse_document(text);
    let title =
        first_text(&document, &SELECTORS.title).or_else(|| first_text(&document, &SELECTORS.h1));
    let mut skipped: HashSet<NodeId> = excluded
        .iter()
        .flat_map(|selector| document.select(selector).map(|e| e.id()))
        .collect();
    skipped.extend(document.select(&SELECTORS.ignored).map(|e| e.id()));
    let link_lines: HashSet<NodeId> = links_alone_on_their_lines(&document).into_iter().collect();
    let neighbours = neighbour_titles(&document);
    if !chrome.is_empty() || !neighbours.is_empty() {
        skipped.extend(
            leaves(&document)
                .filter(|(_, text)| chrome.contains(text) || neighbours.contains(text))
                .map(|(id, _)| id),
        );
    }
    let mut body = String::new();
    let mut heading_nodes = Vec::new();
    let mut language_changes = Vec::new();
    let mut link_line_bytes = Vec::new();
    for root in content_region(&document) {
        let mut text = Extracted {
            out: &mut body,
            headings: &mut heading_nodes,
            language_changes: &mut language_changes,
            link_lines: &link_lines,
            link_line_bytes: &mut link_line_bytes,
        };
        text.extract(root, &skipped);
        body.push('\n');
    }
    let page_heading = heading_nodes
        .iter()
        .position(|(_, node)| ElementRef::wrap(*node).is_some_and(|e| e.value().name() == "h1"));
    let headings = heading_nodes
        .into_iter()
        .enumerate()
        .skip(page_heading.unwrap_or(0))
        .filter_map(|(i, (at, node))| {
            let element = ElementRef::wrap(node)?;
            if Some(i) == page_heading {
                return Some(Heading::page_top(at));
            }
            let id = match element.value().name() {
                // A term defined where it has an anchor of its own (an API
                // reference's function, a setting): a heading in all but name.
                "dt" => Some(own_anchor(element).or_else(|| target_before(element))?),
                _ => anchor_id(element),
            };
            let mut title: String = element.text().collect();
            let mut at = at;
            // Sphinx opens a definition with its kind (`class enum.Enum`,
            // `exception PermissionError`): no part of the name a visitor
            // types, so the section, and its heading, start after it.
            if let Some(kind) = definition_kind(element) {
                let skipped = engine::analysis::word_spans(&kind).count();
                if let Some((start, _)) = engine::analysis::word_spans(&body[at..]).nth(skipped) {
                    at += start;
                    title = title.replacen(&kind, "", 1);
                }
            }
            Some(Heading {
                at,
                title,
                id: id.map(str::to_owned),
            })
        })
        .collect();
    let mut page = parsed(title, &body, headings);
    page.language_runs = language_runs(&body, language_changes);
    page.link_lines = word_spans_of(&body, &link_line_bytes);
    page.facts = page_facts(&document);
    page
}

/// The page's filter values, sort values and metadata (see the module's notes).
fn page_facts(document: &Html) -> Facts {
    let mut facts = Facts::default();
    for (selector, attribute, kind) in [
        (&SELECTORS.filters, FILTER_ATTRIBUTE, FactKind::Filter),
        (&SELECTORS.sorts, SORT_ATTRIBUTE, FactKind::Sort),
        (&SELECTORS.metas, META_ATTRIBUTE, FactKind::Meta),
    ] {
        for element in document.select(selector) {
            let marked = element.value().attr(attribute).unwrap_or_default();
            match marked.split_once(':') {
                Some((key, value)) => facts.add(kind, key, value),
                None => {
                    let value = ["content", "src"]
                        .iter()
                        .find_map(|name| element.value().attr(name))
                        .map_or_else(|| element.text().collect(), str::to_owned);
                    facts.add(kind, marked, &value);
                }
            }
        }
    }
    let meta_content = |names: &[&str]| {
        names.iter().find_map(|name| {
            document.select(&SELECTORS.meta_tags).find_map(|meta| {
                let meta = meta.value();
                let named = meta.attr("name").or_else(|| meta.attr("property"));
                named
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    .then(|| meta.attr("content"))
                    .flatten()
                    .filter(|content| !content.trim().is_empty())
            })
        })
    };
    if let Some(description) = meta_content(&["description", "og:description"]) {
        facts.add(FactKind::Meta, "description", description);
    }
    if let Some(image) = meta_content(&["og:image", "twitter:image"]) {
        facts.add(FactKind::Meta, "image", image);
    }
    // The page's language: `<html lang>` (or XHTML's `xml:lang`), else the
    // `Content-Language` its head declares.
    let root = document.root_element().value();
    facts.language = root
        .attr("lang")
        .or_else(|| root.attr("xml:lang"))
        .or_else(|| {
            document.select(&SELECTORS.meta_tags).find_map(|meta| {
                let meta = meta.value();
                meta.attr("http-equiv")
                    .is_some_and(|h| h.eq_ignore_ascii_case("content-language"))
                    .then(|| meta.attr("content"))
                    .flatten()
            })
        })
        .map(|tag| tag.trim().to_owned())
        .filter(|tag| !tag.is_empty());
    for meta in document.select(&SELECTORS.meta_tags) {
        let meta = meta.value();
        let (Some(property), Some(content)) = (meta.attr("property"), meta.attr("content")) else {
            continue;
        };
        match property {
            "article:section" => facts.add(FactKind::Filter, "section", content),
            "article:tag" => facts.add(FactKind::Filter, "tags", content),
            "article:published_time" => facts.add(FactKind::Sort, "date", content),
            _ => {}
        }
    }
    facts
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn id<'d>(element: ElementRef<'d>) -> Option<&'d str> {
    element.value().id().filter(|id| !id.is_empty())
}

/// The links inside `element`.
fn links<'d>(element: ElementRef<'d>) -> impl Iterator<Item = ElementRef<'d>> {
    element
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "a")
}

/// Whether `link` is a permalink: its text a sign (`¶`, `§`, `#`) or nothing.
/// Its sign is no word of the page: left out of the text (and excerpts).
fn is_permalink(link: ElementRef<'_>) -> bool {
    link.text()
        .flat_map(str::chars)
        .all(|c| c.is_whitespace() || matches!(c, '¶' | '§' | '#' | '🔗'))
}

/// The anchor `element` carries itself: its `id`, else that of an `<a id>`
/// or `<a name>` in it, else its permalink's target (`<a href="#id">¶</a>`).
fn own_anchor<'d>(element: ElementRef<'d>) -> Option<&'d str> {
    id(element)
        .or_else(|| links(element).find_map(target_name))
        .or_else(|| {
            // A permalink is a sign (`¶`, `§`, `#`) or nothing: a link with
            // words is something else (Sphinx's back link to its table of contents).
            links(element).filter(|&a| is_permalink(a)).find_map(|a| {
                a.value()
                    .attr("href")?
                    .strip_prefix('#')
                    .filter(|id| !id.is_empty())
            })
        })
}

/// The kind a `dt` names first, as Sphinx marks it (`<em
/// class="property">class </em>`), if it does.
fn definition_kind(element: ElementRef<'_>) -> Option<String> {
    if element.value().name() != "dt" {
        return None;
    }
    let first = element
        .children()
        .find(|node| !matches!(node.value(), Node::Text(text) if text.trim().is_empty()))?;
    let first = ElementRef::wrap(first)?;
    first
        .value()
        .classes()
        .any(|class| class == "property")
        .then(|| first.text().collect())
}

/// The id or name of `element` if it is an empty target (`<span
/// id=…></span>`, `<a name=…></a>`): a place to link to, with no text.
fn empty_target<'d>(element: ElementRef<'d>) -> Option<&'d str> {
    if !element.text().all(|t| t.trim().is_empty()) {
        return None;
    }
    target_name(element)
}

/// What a link to `element` names it by: its `id`, or an `<a>`'s `name`.
fn target_name<'d>(element: ElementRef<'d>) -> Option<&'d str> {
    let name = (element.value().name() == "a")
        .then(|| element.value().attr("name"))
        .flatten();
    id(element).or(name.filter(|n| !n.is_empty()))
}

/// The empty target right before `element`: the element before it, or the
/// last one inside that (older Texinfo ends each `dd` with the next `dt`'s
/// index targets: `<span id="index-IFS"></span></dd><dt>IFS`).
fn target_before<'d>(element: ElementRef<'d>) -> Option<&'d str> {
    let not_blank = |node: &NodeRef<'d, Node>| match node.value() {
        Node::Text(text) => !text.trim().is_empty(),
        Node::Comment(_) => false,
        _ => true,
    };
    let before = ElementRef::wrap(element.prev_siblings().find(not_blank)?)?;
    empty_target(before).or_else(|| {
        let last = ElementRef::wrap(before.children().rev().find(not_blank)?)?;
        empty_target(last)
    })
}

/// The id that links to `heading` (see the module's doc), if any.
fn anchor_id<'d>(heading: ElementRef<'d>) -> Option<&'d str> {
    if let Some(anchor) = own_anchor(heading) {
        return Some(anchor);
    }
    let links = || links(heading);
    // A link in it to an element around it (rustdoc's method name links to
    // the method's section).
    let around = |target: &str| {
        heading
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|e| id(e) == Some(target))
    };
    let anchor = links().find_map(|a| {
        a.value()
            .attr("href")?
            .strip_prefix('#')
            .filter(|t| around(t))
    });
    if anchor.is_some() {
        return anchor;
    }
    // Up through the elements the heading opens: nothing before it in each
    // but whitespace, empty elements (Sphinx puts `<span id>` targets there)
    // and links (rustdoc puts a method's source link and permalink there).
    let mut node = *heading;
    while let Some(parent) = node.parent().and_then(ElementRef::wrap) {
        let opens = node.prev_siblings().all(|sibling| match sibling.value() {
            Node::Text(text) => text.trim().is_empty(),
            Node::Element(element) => {
                element.name() == "a"
                    || ElementRef::wrap(sibling)
                        .is_some_and(|e| e.text().all(|t| t.trim().is_empty()))
            }
            _ => true,
        });
        if !opens || matches!(parent.value().name(), "body" | "html") {
            return None;
        }
        // The element's id, else an empty target right before it (`<a
        // name="g-strfreev"></a><h3>`, as gtk-doc writes each function's
        // heading), the nearest first.
        let target = node
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .find_map(empty_target);
        if let Some(target) = id(parent).or(target) {
            return Some(target);
        }
        node = *parent;
    }
    None
}

/// The links to other pages of the site that are a line by themselves (or
/// the line, with the punctuation between them, where it holds no other line):
/// where an element that starts a line (a block or a table cell, not a
/// heading) has, in its own text (less the lines inside it), no letter or
/// digit outside such links (see the module's notes). A link inside a
/// sentence, a heading that is a link, and a link with words beside it
/// (`CREATE INDEX — define a new index`) are not such lines.
fn links_alone_on_their_lines(document: &Html) -> Vec<NodeId> {
    // Absolute links to the page's own site (a generator that writes
    // `https://example.com/docs/…` for its own pages) are read as the
    // root-relative ones they stand for.
    let origin = own_origin(document);
    let to_another_page = |href: &str| match origin.as_deref() {
        Some(origin) => match href.trim().strip_prefix(origin) {
            Some("") => true,
            Some(path) if path.starts_with(['/', '?', '#']) => is_page_link(path),
            _ => is_page_link(href),
        },
        None => is_page_link(href),
    };
    let mut alone = Vec::new();
    for line in document
        .root_element()
        .descendants()
        .filter(|&n| starts_line(n))
    {
        if line
            .value()
            .as_element()
            .is_some_and(|e| is_heading(e.name()))
        {
            continue;
        }
        let mut links = Vec::new();
        let mut other_words = false;
        let mut inner_lines = false;
        // The line's own nodes: not those of the lines inside it. Iterative,
        // so deeply nested markup cannot overflow the stack.
        let mut stack: Vec<_> = line.children().collect();
        while let Some(node) = stack.pop() {
            match node.value() {
                Node::Text(text) => other_words |= text.chars().any(char::is_alphanumeric),
                Node::Element(_) if starts_line(node) => inner_lines = true,
                Node::Element(element) => {
                    if element.name() == "a" && element.attr("href").is_some_and(to_another_page) {
                        links.push(node.id());
                    } else {
                        stack.extend(node.children());
                    }
                }
                _ => {}
            }
            if other_words {
                break;
            }
        }
        match (other_words, links.is_empty(), inner_lines) {
            (false, false, false) => alone.push(line.id()),
            // Only the links: the lines inside it stay (a table of
            // contents' entry, whose sub-entries are lines of their own).
            (false, false, true) => alone.extend(links),
            _ => {}
        }
    }
    alone
}

/// The scheme and host (`https://example.com`) of the page's own address, as
/// it gives it: its canonical link, else its Open Graph URL.
fn own_origin(document: &Html) -> Option<String> {
    let address = document
        .select(&SELECTORS.canonical)
        .find_map(|e| e.value().attr("href"))
        .or_else(|| {
            document
                .select(&SELECTORS.og_url)
                .find_map(|e| e.value().attr("content"))
        })?
        .trim();
    let (scheme, rest) = address.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let web = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http");
    (web && !host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// Whether `node` starts a line of text: a block element or a table cell.
fn starts_line(node: NodeRef<'_, Node>) -> bool {
    node.value()
        .as_element()
        .is_some_and(|e| BLOCKS.contains(&e.name()) || matches!(e.name(), "td" | "th"))
}

/// Longest text of a line that can be site chrome (a footer's notice fits).
const MAX_CHROME_CHARS: usize = 300;

/// What a sampled page tells of its site (`corpus::learn_site`).
pub(super) struct SampledPage {
    /// Its `<title>`, as [`parse`] reads it.
    pub title: Option<String>,
    /// Its lines that may be site chrome, each once: the texts of the
    /// elements that start a line (blocks and table cells, not headings) and
    /// hold no such element (`Prev`, `Home`, `© 2024 Acme`); each with
    /// whether it looks like navigation (a table cell, or only links).
    pub lines: HashSet<(String, bool)>,
}

pub(super) fn sample_page(text: &str) -> SampledPage {
    let document = Html::parse_document(text);
    let lines = leaves(&document)
        .map(|(id, text)| {
            let element = document
                .tree
                .get(id)
                .and_then(ElementRef::wrap)
                .expect("a leaf is an element of the page");
            let cell = matches!(element.value().name(), "td" | "th");
            let linked: usize = element
                .descendants()
                .filter_map(ElementRef::wrap)
                .filter(|e| e.value().name() == "a")
                .map(|a| one_line(&a.text().collect::<String>()).len())
                .sum();
            let navigational = cell || linked >= text.len();
            (text, navigational)
        })
        .collect();
    SampledPage {
        title: first_text(&document, &SELECTORS.title),
        lines,
    }
}

/// The page's innermost line elements that are not headings, with their
/// text on one line (the empty and the long left out).
fn leaves(document: &Html) -> impl Iterator<Item = (NodeId, String)> + '_ {
    document
        .root_element()
        .descendants()
        .filter(move |&node| starts_line(node))
        .filter_map(ElementRef::wrap)
        .filter(|e| !is_heading(e.value().name()))
        .filter(move |e| !e.descendants().skip(1).any(starts_line))
        .filter_map(|e| {
            let text = one_line(&e.text().collect::<String>());
            (!text.is_empty() && text.chars().count() <= MAX_CHROME_CHARS).then(|| (e.id(), text))
        })
}

/// Link relations that name a neighbouring page in a sequence or hierarchy
/// (HTML's and the older ones generators still write).
const NEIGHBOUR_RELATIONS: &[&str] = &[
    "prev", "previous", "next", "up", "home", "first", "last", "start", "contents", "index",
];

/// The titles of the pages this one links as its neighbours (`<link>` or
/// `<a>` with a [`NEIGHBOUR_RELATIONS`] `rel` and a `title`), on one line.
fn neighbour_titles(document: &Html) -> HashSet<String> {
    document
        .select(&SELECTORS.titled_relations)
        .filter(|e| {
            e.value().attr("rel").is_some_and(|rel| {
                rel.split_ascii_whitespace().any(|r| {
                    NEIGHBOUR_RELATIONS
                        .iter()
                        .any(|n| n.eq_ignore_ascii_case(r))
                })
            })
        })
        .filter_map(|e| e.value().attr("title"))
        .map(one_line)
        .filter(|title| !title.is_empty())
        .collect()
}

/// The elements whose text is the page's content (see the module's doc).
fn content_region(document: &Html) -> Vec<NodeRef<'_, Node>> {
    let marked: Vec<_> = document
        .select(&SELECTORS.marked_body)
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
    // The page's main content, where it says which it is: `main`, else
    // `[role=main]`, else a single `article`.
    for main in [&SELECTORS.main, &SELECTORS.role_main] {
        if let Some(main) = document.select(main).next() {
            return vec![*main];
        }
    }
    let mut articles = document.select(&SELECTORS.article);
    if let (Some(article), None) = (articles.next(), articles.next()) {
        return vec![*article];
    }
    document
        .select(&SELECTORS.body)
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

/// The selectors every page is read with, parsed once for the whole site.
struct Selectors {
    ignored: Selector,
    marked_body: Selector,
    main: Selector,
    role_main: Selector,
    article: Selector,
    body: Selector,
    title: Selector,
    h1: Selector,
    filters: Selector,
    sorts: Selector,
    metas: Selector,
    meta_tags: Selector,
    titled_relations: Selector,
    canonical: Selector,
    og_url: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    // The constant selectors of this file, which are valid CSS.
    let selector = |css: &str| Selector::parse(css).expect("valid selector");
    Selectors {
        ignored: selector(&format!("[{IGNORE_ATTRIBUTE}]")),
        marked_body: selector(&format!("[{BODY_ATTRIBUTE}]")),
        main: selector("main"),
        role_main: selector("[role=main]"),
        article: selector("article"),
        body: selector("body"),
        title: selector("title"),
        h1: selector("h1"),
        filters: selector(&format!("[{FILTER_ATTRIBUTE}]")),
        sorts: selector(&format!("[{SORT_ATTRIBUTE}]")),
        metas: selector(&format!("[{META_ATTRIBUTE}]")),
        meta_tags: selector("meta[content]"),
        titled_relations: selector("link[rel][title], a[rel][title]"),
        canonical: selector("link[rel~=canonical][href]"),
        og_url: selector("meta[property='og:url'][content]"),
    }
});

fn first_text(document: &Html, selector: &Selector) -> Option<String> {
    document
        .select(selector)
        .map(|e| one_line(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

/// Where the text of a content region goes as it is extracted.
struct Extracted<'o, 'd> {
    out: &'o mut String,
    /// The headings met (`h1`–`h6`, `dt`), at their byte offsets in `out`.
    headings: &'o mut Vec<(usize, NodeRef<'d, Node>)>,
    /// Where the text's language changes: from that byte of `out` on, the
    /// text is in the language of the tag (empty: the page's own). An
    /// element's `lang` (or `xml:lang`) says the language of what it holds.
    language_changes: &'o mut Vec<(usize, String)>,
    /// The elements that are a line only linking to other pages, or such
    /// links ([`links_alone_on_their_lines`]), and the byte ranges of `out`
    /// their text went to.
    link_lines: &'o HashSet<NodeId>,
    link_line_bytes: &'o mut Vec<(usize, usize)>,
}

impl<'d> Extracted<'_, 'd> {
    /// Appends the text of `root` (less the `skipped` nodes and what is not
    /// content), a line for each block, noting headings and languages.
    /// Iterative, so deeply nested markup cannot overflow the stack.
    fn extract(&mut self, root: NodeRef<'d, Node>, skipped: &HashSet<NodeId>) {
        // The language around the region: set by an element above it (not
        // `<html>`, whose `lang` is the page's own).
        let around = root
            .ancestors()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() != "html")
            .find_map(element_language)
            .unwrap_or_default();
        let mut languages = vec![around.to_owned()];
        if !around.is_empty() {
            self.language_changes
                .push((self.out.len(), around.to_owned()));
        }
        let mut stack = vec![(root, true)];
        while let Some((node, entering)) = stack.pop() {
            match node.value() {
                Node::Text(text) if entering => self.out.push_str(text),
                Node::Element(element) => {
                    let name = element.name();
                    if SKIPPED.contains(&name) || skipped.contains(&node.id()) {
                        continue;
                    }
                    if entering && name == "a" && ElementRef::wrap(node).is_some_and(is_permalink) {
                        continue;
                    }
                    let block = BLOCKS.contains(&name);
                    if block || matches!(name, "td" | "th") {
                        self.out.push(if block { '\n' } else { ' ' });
                    }
                    if entering && (is_heading(name) || name == "dt") {
                        self.headings.push((self.out.len(), node));
                    }
                    let language = ElementRef::wrap(node)
                        .and_then(element_language)
                        .filter(|_| name != "html");
                    if let Some(language) = language {
                        // Entering, its language; leaving, the one around it.
                        if entering {
                            languages.push(language.to_owned());
                        } else {
                            languages.pop();
                        }
                        let now = languages.last().cloned().unwrap_or_default();
                        self.language_changes.push((self.out.len(), now));
                    }
                    if self.link_lines.contains(&node.id()) {
                        if entering {
                            self.link_line_bytes.push((self.out.len(), self.out.len()));
                        } else if let Some(last) = self.link_line_bytes.last_mut() {
                            last.1 = self.out.len();
                        }
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
        if !around.is_empty() {
            self.language_changes.push((self.out.len(), String::new()));
        }
    }
}

/// The language an element says its content is in: its `lang` (or XHTML's
/// `xml:lang`), trimmed; an empty one (HTML's "unknown") is the page's own.
fn element_language<'d>(element: ElementRef<'d>) -> Option<&'d str> {
    let element = element.value();
    element
        .attr("lang")
        .or_else(|| element.attr("xml:lang"))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_page_language() {
        for (html, language) in [
            ("<html lang='fr-CA'><p>Bonjour</p></html>", Some("fr-CA")),
            ("<html xml:lang='de'><p>Hallo</p></html>", Some("de")),
            (
                "<html><head><meta http-equiv='Content-Language' content='ja'></head><p>x</p></html>",
                Some("ja"),
            ),
            ("<html lang=''><p>x</p></html>", None),
            ("<p>No language</p>", None),
        ] {
            let parsed = super::parse(html, &[], &Default::default());
            assert_eq!(parsed.facts.language.as_deref(), language, "{html}");
        }
    }

    #[test]
    fn reads_where_the_text_changes_language() {
        let run = |word: u32, language: &str| engine::LanguageRun {
            word,
            language: language.to_owned(),
        };
        for (html, runs) in [
            (
                "<html lang='en'><body><p>Hello world</p><blockquote lang='fr'>Bonjour le \
                 monde</blockquote><p>Bye <i lang='de'>Tschüss</i> now</p></body></html>",
                vec![run(2, "fr"), run(5, ""), run(6, "de"), run(7, "")],
            ),
            // Nested, and back to the language around.
            (
                "<body><div lang='fr'>Un <span lang='de'>zwei</span> trois</div> four</body>",
                vec![run(0, "fr"), run(1, "de"), run(2, "fr"), run(3, "")],
            ),
            // The content region's own, or set above it; the page's own, none.
            (
                "<html lang='en'><body lang='pt'><main>Olá mundo</main></body></html>",
                vec![run(0, "pt")],
            ),
            ("<html lang='fr'><p>Bonjour</p></html>", vec![]),
            // Empty passages and `lang=''` (unknown: the page's own) change nothing.
            (
                "<p>One <span lang='fr'></span>two <span lang=''>three</span></p>",
                vec![],
            ),
        ] {
            let parsed = super::parse(html, &[], &Default::default());
            assert_eq!(parsed.language_runs, runs, "{html}");
        }
    }

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
            let parsed = super::parse(html, &[], &Default::default());
            assert_eq!(parsed.title.as_deref(), title, "{html}");
            assert_eq!(parsed.body, body, "{html}");
        }
    }

    /// Sections as (first word, title, anchor).
    fn sections(html: &str) -> Vec<(u32, String, String)> {
        super::parse(html, &[], &Default::default())
            .sections
            .into_iter()
            .map(|s| (s.word, s.title, s.anchor))
            .collect()
    }

    #[test]
    fn headings_start_sections_linked_by_the_nearest_id() {
        let section = |word, title: &str, anchor: &str| (word, title.to_owned(), anchor.to_owned());
        // The page's own h1 is not a section; an h2's own id is its anchor.
        assert_eq!(
            sections(
                "<h1>Page</h1><p>Intro words here</p><h2 id=install>Install it</h2><p>Run it.</p>"
            ),
            [section(0, "", ""), section(4, "Install it", "#install")]
        );
        // Sphinx: the id is on the section the heading opens; the permalink sign goes.
        assert_eq!(
            sections(
                "<section id=\"os-path\"><h2>os.path<a class=headerlink href=\"#os-path\">¶</a></h2><p>Paths.</p></section>"
            ),
            [section(0, "os.path", "#os-path")]
        );
        // DocBook: the id is on a div a few levels up, or on an <a> inside the heading.
        assert_eq!(
            sections(
                "<div class=navheader><table><tr><td>Prev</td><td>Next</td></tr></table></div>\
                 <div class=sect1 id=ddl><div class=titlepage><div><div><h2 class=title>5.1. Tables</h2></div></div></div>\
                 <p>Text.</p></div><h3><a name=\"old-style\"></a>Old style</h3>"
            ),
            [section(2, "5.1. Tables", "#ddl"), section(5, "Old style", "#old-style")]
        );
        // A heading after other content of its parent does not take the parent's id;
        // with no id at all, a text fragment quotes it (escaped, the directive's - and , too).
        assert_eq!(
            sections("<div id=page><p>Lead.</p><h2>Pre-install, then run &amp; go</h2></div>"),
            [section(
                1,
                "Pre-install, then run & go",
                "#:~:text=Pre%2Dinstall%2C%20then%20run%20%26%20go"
            )]
        );
        // A text fragment lands on the first place its words show: a heading
        // whose words the text before it already shows is no section of its own.
        assert_eq!(
            sections(
                "<h1>Tables</h1><p>Note that</p><div class=note><h3>Note</h3><p>x</p></div>\
                 <h2>Keys</h2><p>y</p><div class=note><h3>Note</h3><p>z</p></div>"
            ),
            [section(0, "", ""), section(5, "Keys", "#:~:text=Keys")]
        );
        // Two h1s: the second is a section; headings before the first are chrome,
        // and the first starts the page's opening (an empty anchor).
        assert_eq!(
            sections("<h4>Previous topic</h4><p>x</p><h1>A</h1><p>y</p><h1 id=b>B</h1>"),
            [section(3, "", ""), section(5, "B", "#b")]
        );
        // rustdoc: a method's source link and permalink come before its heading.
        assert_eq!(
            sections(
                "<h1>Struct Vec</h1><p>x</p><section id=\"method.push\" class=method><a class=src href=\"../src\">Source</a>\
                 <a href=\"#method.push\" class=anchor>§</a><h4 class=code-header>pub fn push(&amp;mut self)</h4></section>\
                 <h2 id=examples><a href=\"#examples\" class=doc-anchor>§</a>Examples</h2>"
            ),
            [section(0, "", ""), section(4, "pub fn push(&mut self)", "#method.push"), section(9, "Examples", "#examples")]
        );
        // rustdoc, newer: a version before the heading, whose name links to the section around it.
        assert_eq!(
            sections(
                "<h1>Enum Entry</h1><section id=\"method.insert_entry\"><span class=rightside>1.83.0 · <a href=\"../src\">Source</a></span>\
                 <h4>pub fn <a href=\"#method.insert_entry\">insert_entry</a>(self)</h4></section>"
            ),
            [section(0, "", ""), section(4, "pub fn insert_entry(self)", "#method.insert_entry")]
        );
        // Sphinx 5: an empty target before the heading, the permalink inside it.
        assert_eq!(
            sections(
                "<section id=list-displays>\n<span id=lists></span><h3><span class=section-number>6.2.5. </span>List displays\
                 <a class=headerlink href=\"#list-displays\">¶</a></h3></section>\
                 <div id=wrapper><span id=t></span><h3>Opened</h3></div>\
                 <h2><a class=toc-backref href=\"#id3\">Tasks</a><a class=headerlink href=\"#tasks\">¶</a></h2>"
            ),
            [
                section(0, "6.2.5. List displays", "#list-displays"),
                section(3, "Opened", "#wrapper"),
                section(4, "Tasks", "#tasks")
            ]
        );
        // gtk-doc: an empty named target right before each function's heading,
        // whose words the page's summary table already shows.
        assert_eq!(
            sections(
                "<h1>String Utility Functions</h1><table><tr><td>g_strfreev ()</td></tr></table>\
                 <div class=refsect2><a name=\"g-strfreev\"></a><h3>g_strfreev ()</h3><p>Frees.</p></div>"
            ),
            [section(0, "", ""), section(4, "g_strfreev ()", "#g-strfreev")]
        );
        // A defined term with an anchor of its own starts a section (Sphinx's API
        // entries, DocBook's settings); one without, or with only its list's id
        // around it, does not.
        assert_eq!(
            sections(
                "<h1>email.charset</h1><p>x</p><dl class=\"py function\"><dt class=sig id=\"email.charset.add_alias\">\
                 email.charset.add_alias(charset)<a class=headerlink href=\"#email.charset.add_alias\">¶</a></dt>\
                 <dd>Adds an alias.</dd></dl>\
                 <div class=variablelist id=vars><dl><dt>plain term</dt><dd>y</dd>\
                 <dt><span class=term><code>work_mem</code> (integer) <a id=\"GUC-WORK-MEM\"></a></span></dt><dd>z</dd></dl></div>"
            ),
            [
                section(0, "", ""),
                section(2, "email.charset.add_alias(charset)", "#email.charset.add_alias"),
                section(10, "work_mem (integer)", "#GUC-WORK-MEM")
            ]
        );
        // Sphinx names a definition's kind first: the section starts at its name.
        assert_eq!(
            sections(
                "<h1>enum</h1><p>x</p><dl class=\"py class\"><dt class=sig id=\"enum.Enum\">\n\
                 <em class=property><span class=pre>class</span><span class=w> </span></em>\
                 <span class=\"sig-prename descclassname\"><span class=pre>enum.</span></span>\
                 <span class=\"sig-name descname\"><span class=pre>Enum</span></span></dt><dd>Base.</dd></dl>"
            ),
            [section(0, "", ""), section(3, "enum.Enum", "#enum.Enum")]
        );
        // Older Texinfo: the term's index target ends the `dd` before it;
        // a term after a `dd` that ends in text has none.
        assert_eq!(
            sections(
                "<h1>Parameters</h1><dl><dt>HOME</dt><dd>Home.\n<span id=\"index-IFS\"></span>\n</dd>\
                 <dt><span><tt>IFS</tt> &lt;S&gt;</span></dt><dd>Separators.</dd><dt>PATH</dt><dd>p</dd></dl>"
            ),
            [section(0, "", ""), section(3, "IFS <S>", "#index-IFS")]
        );
    }

    #[test]
    fn permalink_signs_are_not_text() {
        let html = "<h1>Page</h1><h2 id=x>Install<a class=headerlink href=\"#x\">¶</a></h2>\
                    <p>Run <a href=\"#x\">#</a> it.</p>";
        let parsed = super::parse(html, &[], &Default::default());
        assert_eq!(parsed.body, "Page\nInstall\nRun it.");
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
            // Else the page's main content: `main`, else `[role=main]`, else its one `article`.
            ("<body><div>Sidebar</div><main><p>Content</p></main></body>", "Content"),
            (
                "<body><div role=navigation>Sidebar</div><div class=body role=main><p>Content</p></div></body>",
                "Content",
            ),
            ("<body><div>Sidebar</div><article>Post</article></body>", "Post"),
            // Else the body (two articles: a list of posts).
            (
                "<body><div>Sidebar</div><article>One</article><article>Two</article></body>",
                "Sidebar\nOne\nTwo",
            ),
            // Ignored by attribute and by the indexer's selectors.
            (
                "<body><main><p>Keep</p><div data-site-search-ignore><p>Edit this page</p></div>\
                 <div class=ad>Buy</div><ul id=related><li>Other</li></ul></main></body>",
                "Keep",
            ),
        ];
        for (html, body) in cases {
            let got = super::parse(html, &excluded, &Default::default()).body;
            assert_eq!(got, body, "{html}");
        }
        let error = super::exclude_selectors(&["div[".to_owned()]).unwrap_err();
        assert!(error.contains("`div[`"), "{error}");
    }

    #[test]
    fn chrome_lines_are_left_out_but_headings_and_content_stay() {
        let chrome: std::collections::HashSet<String> = [
            "Prev",
            "Up",
            "Home",
            "Next",
            "SQL Commands",
            "Examples",
            "© Acme",
        ]
        .map(String::from)
        .into();
        let html = "<div class=navheader><table><tr><th colspan=3>CREATE INDEX</th></tr>\
            <tr><td><a href=a.html>Prev</a></td><td>Up</td><th>SQL Commands</th><td>Home</td><td>Next</td></tr></table></div>\
            <h1>CREATE INDEX</h1><p>Next, define a new index.</p><h2 id=ex>Examples</h2><p>Up to you.</p>\
            <div><p>Next</p><p>kept: not alone</p> Home</div><p>© Acme</p>";
        let parsed = super::parse(html, &[], &chrome);
        assert_eq!(
            parsed.body,
            "CREATE INDEX\nCREATE INDEX\nNext, define a new index.\nExamples\nUp to you.\nkept: not alone\nHome"
        );
        // The lines the sample counts: innermost blocks and cells, not headings.
        let mut lines: Vec<(String, bool)> = super::sample_page(html).lines.into_iter().collect();
        lines.sort_unstable();
        let line = |text: &str, navigational| (text.to_owned(), navigational);
        assert_eq!(
            lines,
            [
                line("CREATE INDEX", true),
                line("Home", true),
                line("Next", false),
                line("Next", true),
                line("Next, define a new index.", false),
                line("Prev", true),
                line("SQL Commands", true),
                line("Up", true),
                line("Up to you.", false),
                line("kept: not alone", false),
                line("© Acme", false)
            ]
        );
    }

    #[test]
    fn neighbours_titles_in_navigation_bars_are_left_out() {
        // DocBook's: the next and previous chapters' titles in cells of the
        // footer, as the head's `link rel` names them.
        let html = "<html><head><title>Chapter 16. About</title>\
            <link rel=prev href=15.html title=\"Chapter 15. Changes expected\">\
            <link rel=\"next\" href=17.html title=\"Chapter 17. Index\">\
            <link rel=stylesheet href=a.css title=Chapter></head><body>\
            <h1>Chapter 16. About</h1><p>About this FAQ.</p>\
            <p>Chapter 17. Index</p><p>Chapter 17. Index, and more.</p><p>Chapter</p>\
            <table><tr><td>Chapter 15. Changes expected </td><td>Home</td></tr></table></body></html>";
        let parsed = super::parse(html, &[], &std::collections::HashSet::new());
        assert_eq!(
            parsed.body,
            "Chapter 16. About\nAbout this FAQ.\nChapter 17. Index, and more.\nChapter\nHome"
        );
    }

    #[test]
    fn lines_that_only_link_to_other_pages_are_marked() {
        // Sphinx's table of contents, a general index's entries, DocBook's
        // table of contents: each line only links to another page.
        let html = "<h1>File Access</h1><p>Modules for files.</p><div class=toctree>\
            <ul><li><a href=pathlib.html>pathlib — paths</a><ul>\
            <li><a href=pathlib.html#as_posix><code>PurePath.as_posix()</code></a></li></ul></li>\
            <li><a href='/library/os.html?x#W_OK'>W_OK</a> (<a href=../os.html>os</a>)</li></ul></div>\
            <dl><dt><span class=sect1><a href=sql-createindex.html>CREATE INDEX</a></span> — define a new index</dt></dl>\
            <p>See <a href=os.html>os</a> for more.</p><h2><a href=next.html>A heading</a></h2>\
            <ul><li><a href=#local>On this page</a></li><li><a href=https://example.org/x.html>Elsewhere</a></li>\
            <li><a href=report.pdf>The report</a></li><li><a href=mailto:a@b.c>Write</a></li></ul>";
        let parsed = super::parse(html, &[], &Default::default());
        // Their text stays, and their words are marked.
        assert_eq!(
            parsed.body,
            "File Access\nModules for files.\npathlib — paths\nPurePath.as_posix()\nW_OK (os)\n\
             CREATE INDEX — define a new index\nSee os for more.\nA heading\nOn this page\nElsewhere\nThe report\nWrite"
        );
        assert_eq!(
            super::super::link_line_words(&parsed),
            [
                vec!["pathlib", "paths"],
                vec!["PurePath.as_posix"],
                vec!["W_OK", "os"]
            ]
        );
        // A site that links its own pages by absolute URL, and says its
        // address: those links are to its pages.
        let html = "<html><head><link rel=canonical href='https://example.com/docs/a/'></head><body>\
            <h1>A</h1><p>Text.</p><ul><li><a href='https://example.com/docs/b/'>Bee</a></li>\
            <li><a href='https://example.com'>Home</a></li><li><a href='https://example.com.evil/x/'>Evil</a></li>\
            <li><a href='https://example.com/b.pdf'>Pdf</a></li></ul></body></html>";
        let parsed = super::parse(html, &[], &Default::default());
        assert_eq!(
            super::super::link_line_words(&parsed),
            [vec!["Bee"], vec!["Home"]]
        );
        for (href, page) in [
            ("a.html", true),
            ("../dir/", true),
            ("/docs/intro", true),
            ("a.HTM#x", true),
            ("#x", false),
            ("", false),
            ("https://x.org/a.html", false),
            ("//x.org/a", false),
            ("img/a.png", false),
            ("a.tar.gz", false),
        ] {
            assert_eq!(super::super::is_page_link(href), page, "{href}");
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // Deep enough to overflow a recursive walk on a 2 MiB test thread; html5ever
        // itself is quadratic in depth, so not deeper.
        let html = "<div>".repeat(20_000) + "deep" + &"</div>".repeat(20_000);
        assert_eq!(super::parse(&html, &[], &Default::default()).body, "deep");
    }

    #[test]
    fn a_page_gives_its_filters_sort_values_and_metadata() {
        let html = "<html><head><title>T</title>\
            <meta name=description content='What the page is about.'>\
            <meta property=og:image content='img/cover.png'>\
            <meta data-site-search-filter=category content=Guide>\
            <meta property=article:tag content=wasm><meta property=article:tag content=search>\
            <meta property=article:published_time content=2024-03-04>\
            </head><body><main><h1>T</h1>\
            <p>By <span data-site-search-filter=author>Ada  Lovelace</span>.</p>\
            <p data-site-search-filter='tag:rust' data-site-search-sort='date:2024-01-02'>Text.</p>\
            <img data-site-search-meta=thumb src=t.png alt=''>\
            <p data-site-search-filter='empty:'>Nothing.</p>\
            </main></body></html>";
        let page = super::parse(html, &[], &Default::default());
        let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
            items
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            page.facts.filters,
            pairs(&[
                ("category", "Guide"),
                ("author", "Ada Lovelace"),
                ("tag", "rust"),
                ("tags", "wasm"),
                ("tags", "search")
            ])
        );
        // A marked value comes first: a sort key's first value counts.
        assert_eq!(
            page.facts.sort,
            pairs(&[("date", "2024-01-02"), ("date", "2024-03-04")])
        );
        assert_eq!(
            page.facts.meta,
            pairs(&[
                ("thumb", "t.png"),
                ("description", "What the page is about."),
                ("image", "img/cover.png")
            ])
        );
    }
}
