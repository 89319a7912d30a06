//! Reading a folder of documents into [`SourceDocument`]s. Indexing only.
//!
//! | file                | title                                   | text                                             |
//! |---------------------|-----------------------------------------|--------------------------------------------------|
//! | `.txt`              | first non-empty line                    | the lines after it                               |
//! | `.md`, `.markdown`  | first heading                           | the rest, rendered to plain text                 |
//! | `.html`, `.htm`     | `<title>`, else the first `<h1>`        | `<body>` less `script`, `style`, `nav`, `header`, `footer`, … |
//!
//! A Markdown or HTML file without a heading or title gets its first line,
//! cut between words to at most `engine::MAX_TITLE_CHARS` (`engine::short_title`),
//! as title (the line stays in the body); a file with no text at all, its
//! file name (without extension). A long title (a text file's first line is
//! often a paragraph) is indexed whole, and shown cut the same way in hits.
//!
//! A page's link is its path under the base URL, with `index.html` (or
//! `.htm`) left off: `guide/index.html` links as `guide/`, as hosts serve it.
//! Whitespace runs are collapsed (to one newline where they held one).
//!
//! Nothing is dropped silently: other files, hidden files and folders (names
//! starting with `.`) and files with no text are returned in
//! [`Corpus::skipped`] with the reason, for the build to warn about; a file
//! that cannot be read or is not UTF-8, a missing folder, or a folder with no
//! documents is a [`CorpusError`] naming the path. So is a file with a NUL
//! byte (binary, or UTF-16 that happens to be valid UTF-8), and a file over
//! [`LoadOptions::max_file_bytes`]: its whole text would be embedded in the
//! module every visitor downloads, so a huge file is far more likely a
//! mistake (a log, a data dump) than a page to search.
//!
//! Memory: the documents' texts are held until the index is built, and the
//! build's peak is about 16 times the corpus's text (5 times for one very
//! large document; see TESTING.md).
//!
//! Files are read in sorted path order, so the same folder gives the same corpus.

mod html;

pub use html::{exclude_selectors, BODY_ATTRIBUTE, IGNORE_ATTRIBUTE};
mod chrome;
mod markdown;
mod text;
mod titles;
use titles::SiteAffix;

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use engine::{LanguageRun, Section, SourceDocument};

/// The largest file read by default: 10 MB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 10_000_000;

/// How document URLs are made, and how large a file may be.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Prepended to each document's id (its path, percent-encoded) to make its
    /// URL: `""` gives relative links, `"/docs/"` or `"https://example.com/"` absolute ones.
    pub base_url: String,
    /// A larger document file is an error ([`CorpusError::TooLarge`]), found
    /// before the file is read.
    pub max_file_bytes: u64,
    /// A folder never read (the indexer's output, when it is inside the input).
    pub exclude: Option<PathBuf>,
    /// Only files with these extensions (lower case, without the dot) are
    /// documents; None: every kind read. A site of HTML pages often ships
    /// text files that are not pages (Sphinx's `_sources/*.txt`, `robots.txt`).
    pub extensions: Option<Vec<String>>,
    /// Elements of HTML pages left out of the text, as CSS selectors
    /// ([`exclude_selectors`] parses them), beside what is always left out.
    pub exclude_selectors: Vec<scraper::Selector>,
    /// The language of a page that says nothing of its own ([`page_language`]),
    /// as a code (`en`, `fr`); empty for English.
    pub language: String,
}

/// Language codes a path may carry, as its first folder (`fr/guide.html`,
/// `pt-br/…`) or before its extension (`guide.fr.html`, as Debian's
/// documentation and Apache's content negotiation name pages): common
/// languages only, so that a folder called `js` or `img` is never one.
const PATH_LANGUAGES: &[&str] = &[
    "ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr", "gl", "he",
    "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "nb", "nl", "nn", "no", "pl", "pt", "ro",
    "ru", "sk", "sl", "sr", "sv", "ta", "th", "tr", "uk", "vi", "zh",
];

/// A page's language, as a code ([`engine::analysis::language_code`]): the
/// one it declares (`<html lang>`, front matter's `lang` or `language`),
/// else the one its path names ([`PATH_LANGUAGES`]), else `default`.
pub fn page_language(declared: Option<&str>, id: &str, default: &str) -> String {
    if let Some(code) = declared.map(engine::analysis::language_code) {
        if !code.is_empty() {
            return code;
        }
    }
    let named = |part: &str| {
        let lowered = part.to_ascii_lowercase();
        let primary = lowered.split(['-', '_']).next().unwrap_or_default();
        let tag_like =
            lowered.len() == primary.len() || matches!(lowered.len() - primary.len(), 3..=5);
        (tag_like && PATH_LANGUAGES.contains(&primary))
            .then(|| engine::analysis::language_code(primary))
    };
    let mut parts = id.split('/');
    let first = parts.next().unwrap_or_default();
    if id.contains('/') {
        if let Some(code) = named(first) {
            return code;
        }
    }
    let file = id.rsplit('/').next().unwrap_or_default();
    let mut dotted = file.rsplit('.');
    let (_extension, before) = (dotted.next(), dotted.next());
    if let Some(code) = before
        .filter(|_| file.matches('.').count() >= 2)
        .and_then(named)
    {
        return code;
    }
    default.to_owned()
}

/// The file size limit set by `SEARCH_MAX_FILE_MB`, a whole number of
/// megabytes; unset or empty means [`DEFAULT_MAX_FILE_BYTES`]. The build
/// script and the tools that index as it does all read the setting here.
pub fn max_file_bytes(megabytes: Option<&str>) -> Result<u64, String> {
    match megabytes {
        None | Some("") => Ok(DEFAULT_MAX_FILE_BYTES),
        Some(text) => text
            .parse::<u64>()
            .ok()
            .and_then(|mb| mb.checked_mul(1_000_000))
            .filter(|&bytes| bytes > 0)
            .ok_or_else(|| {
                format!(
                    "SEARCH_MAX_FILE_MB must be a whole number of megabytes, like 50; got `{text}`"
                )
            }),
    }
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            base_url: String::new(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            exclude: None,
            extensions: None,
            exclude_selectors: Vec::new(),
            language: engine::analysis::DEFAULT_LANGUAGE.to_owned(),
        }
    }
}

/// The documents of a folder, and what was skipped.
#[derive(Debug, Default)]
pub struct Corpus {
    pub documents: Vec<SourceDocument>,
    pub skipped: Vec<Skipped>,
}

/// A file or folder left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: &'static str,
}

#[derive(Debug)]
pub enum CorpusError {
    Missing {
        path: PathBuf,
    },
    NotAFolder {
        path: PathBuf,
    },
    NoDocuments {
        path: PathBuf,
        skipped: usize,
    },
    Unreadable {
        path: PathBuf,
        source: io::Error,
    },
    NotUtf8 {
        path: PathBuf,
        offset: usize,
        line: usize,
    },
    NulByte {
        path: PathBuf,
        offset: usize,
        line: usize,
    },
    TooLarge {
        path: PathBuf,
        bytes: u64,
        limit: u64,
    },
    NameNotUtf8 {
        path: PathBuf,
    },
    LinkLoop {
        path: PathBuf,
    },
    FrontMatter {
        path: PathBuf,
        reason: String,
    },
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorpusError::Missing { path } => write!(
                f,
                "corpus folder `{}` does not exist; give a folder of .txt, .md or .html files (SEARCH_CORPUS for make build)",
                path.display()
            ),
            CorpusError::NotAFolder { path } => write!(
                f,
                "corpus path `{}` is not a folder; give a folder of .txt, .md or .html files (SEARCH_CORPUS for make build)",
                path.display()
            ),
            CorpusError::NoDocuments { path, skipped } => write!(
                f,
                "corpus folder `{}` has no .txt, .md or .html document with text ({skipped} entries skipped, see the warnings); add documents or give another folder",
                path.display()
            ),
            CorpusError::Unreadable { path, source } => {
                write!(f, "cannot read corpus file `{}`: {source}; fix it or remove it from the folder", path.display())
            }
            CorpusError::NotUtf8 { path, offset, line } => write!(
                f,
                "corpus file `{}` is not valid UTF-8 (first bad byte at offset {offset}, line {line}); convert it to UTF-8 (for example with iconv) or remove it",
                path.display()
            ),
            CorpusError::NulByte { path, offset, line } => write!(
                f,
                "corpus file `{}` has a NUL byte (offset {offset}, line {line}), so it is binary or UTF-16 rather than UTF-8 text; convert it to UTF-8 (for example with iconv -f UTF-16) or remove it",
                path.display()
            ),
            CorpusError::TooLarge { path, bytes, limit } => write!(
                f,
                "corpus file `{}` is {} MB, over the limit of {} MB for one document (its whole text would be embedded in the module each visitor downloads); split it into pages, remove it, or raise the limit with SEARCH_MAX_FILE_MB (make build) or --max-file-mb (site-search-index)",
                path.display(),
                megabytes(*bytes),
                megabytes(*limit),
            ),
            CorpusError::NameNotUtf8 { path } => {
                write!(f, "corpus file name `{}` is not valid UTF-8; rename it", path.display())
            }
            CorpusError::LinkLoop { path } => write!(
                f,
                "corpus folder has a symbolic link loop at `{}`; remove the link",
                path.display()
            ),
            CorpusError::FrontMatter { path, reason } => write!(
                f,
                "corpus file `{}` has front matter that cannot be read ({reason}); fix it (YAML between `---` lines, or TOML between `+++` lines) or remove it",
                path.display()
            ),
        }
    }
}

impl std::error::Error for CorpusError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CorpusError::Unreadable { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The kinds of document we read, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Markdown,
    Html,
}

impl Kind {
    fn of(path: &Path) -> Option<Kind> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "txt" => Some(Kind::Text),
            "md" | "markdown" => Some(Kind::Markdown),
            "html" | "htm" => Some(Kind::Html),
            _ => None,
        }
    }
}

/// The file a search bundle always has (`site-search-index`'s output, or
/// `make build`'s `dist/search/`): a folder holding it with `search.js` is an
/// earlier bundle, whose files are not documents.
pub const BUNDLE_MARKER: &str = "engine_bg.wasm";

/// Reads every document under `root`, recursively, into memory.
pub fn load_dir(root: &Path, options: &LoadOptions) -> Result<Corpus, CorpusError> {
    let mut documents = Vec::new();
    let skipped = visit_documents(root, options, &mut |document| {
        documents.push(document);
        Ok::<(), CorpusError>(())
    })?;
    Ok(Corpus { documents, skipped })
}

/// A file to read, found by the walk.
struct Found {
    id: String,
    path: PathBuf,
    relative: PathBuf,
    kind: Kind,
}

/// Reads the documents under `root` one at a time, in order of their ids
/// (the order the index numbers them in), handing each to `on_document`
/// and keeping none: a site of any size is read in the memory of its
/// largest page. Returns what was skipped; an error from `on_document`
/// stops the walk and is returned.
pub fn visit_documents<E: From<CorpusError>>(
    root: &Path,
    options: &LoadOptions,
    on_document: &mut dyn FnMut(SourceDocument) -> Result<(), E>,
) -> Result<Vec<Skipped>, E> {
    let (mut found, mut skipped) = find_files(root, options)?;
    // By id, as `IndexBuilder` sorts documents: a folder's walk order is
    // not the order of its paths as strings (`a/b.txt` before `a.txt`).
    found.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let (affix, chrome) = learn_site(&found, options);
    let mut documents = 0usize;
    for file in found {
        let text = read_text(&file.path, options.max_file_bytes)?;
        let Parsed {
            title,
            body,
            sections,
            language_runs,
            link_lines,
            mut facts,
        } = match file.kind {
            Kind::Text => text::parse(&text),
            Kind::Markdown => {
                markdown::parse(&text).map_err(|reason| CorpusError::FrontMatter {
                    path: file.path.clone(),
                    reason,
                })?
            }
            Kind::Html => html::parse(&text, &options.exclude_selectors, &chrome),
        };
        for (key, value) in &mut facts.meta {
            if key == "image" {
                *value = site_image(&file.id, value, &options.base_url);
            }
        }
        drop(text);
        let title = match file.kind {
            Kind::Html => title.map(|title| affix.strip(title)),
            _ => title,
        };
        if title.is_none() && body.is_empty() {
            skipped.push(Skipped {
                path: file.relative,
                reason: "no text",
            });
            continue;
        }
        let title = title
            .or_else(|| {
                body.lines()
                    .next()
                    .map(|line| engine::short_title(line).into_owned())
            })
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| file_stem(&file.relative));
        let url = format!(
            "{}{}",
            options.base_url,
            percent_encode_path(link_path(&file.id))
        );
        let url = if url.is_empty() { "./".to_owned() } else { url };
        documents += 1;
        let language = page_language(facts.language.as_deref(), &file.id, &options.language);
        on_document(SourceDocument {
            id: file.id,
            title,
            url,
            body,
            sections,
            meta: facts.meta,
            filters: facts.filters,
            sort: facts.sort,
            language,
            language_runs,
            link_lines,
        })?;
    }
    // In path order, as the walk met them, wherever the reason was found.
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    if documents == 0 {
        return Err(CorpusError::NoDocuments {
            path: root.to_path_buf(),
            skipped: skipped.len(),
        }
        .into());
    }
    Ok(skipped)
}

/// What the site's HTML pages share, learnt from a sample of them spread
/// through the site ([`chrome::sample`]), each parsed once: the suffix and
/// prefix around their titles (`titles.rs`), and their chrome, the lines
/// that recur on many of them (`chrome.rs`). A page that cannot be read is
/// passed over here: the walk that reads it says why.
fn learn_site(found: &[Found], options: &LoadOptions) -> (SiteAffix, HashSet<String>) {
    let pages: Vec<&Found> = found
        .iter()
        .filter(|file| matches!(file.kind, Kind::Html))
        .collect();
    let sampled: Vec<html::SampledPage> = chrome::sample(pages.len())
        .filter_map(|i| read_text(&pages[i].path, options.max_file_bytes).ok())
        .map(|html| html::sample_page(&html))
        .collect();
    let affix = SiteAffix::find(sampled.iter().filter_map(|page| page.title.as_deref()));
    let chrome = chrome::learn(sampled.into_iter().map(|page| page.lines));
    (affix, chrome)
}

/// Walks `root` for the files to read, and what it leaves out.
fn find_files(
    root: &Path,
    options: &LoadOptions,
) -> Result<(Vec<Found>, Vec<Skipped>), CorpusError> {
    match fs::metadata(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(CorpusError::Missing {
                path: root.to_path_buf(),
            })
        }
        Err(source) => {
            return Err(CorpusError::Unreadable {
                path: root.to_path_buf(),
                source,
            })
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(CorpusError::NotAFolder {
                path: root.to_path_buf(),
            })
        }
        Ok(_) => {}
    }

    let mut skipped = Vec::new();
    let mut found = Vec::new();
    let mut entries = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| walk_error(root, e))?;
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let hidden = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with('.'));
        if entry.file_type().is_dir() {
            let reason = if hidden {
                Some("hidden folder")
            } else if options
                .exclude
                .as_deref()
                .is_some_and(|out| same_path(out, path))
            {
                Some("the indexer's output folder")
            } else if path.join(BUNDLE_MARKER).is_file() && path.join("search.js").is_file() {
                Some("an earlier search bundle (the indexer's output)")
            } else {
                None
            };
            if let Some(reason) = reason {
                skipped.push(Skipped {
                    path: relative,
                    reason,
                });
                entries.skip_current_dir();
            }
            continue;
        }
        if hidden {
            skipped.push(Skipped {
                path: relative,
                reason: "hidden file",
            });
            continue;
        }
        let Some(kind) = Kind::of(path) else {
            skipped.push(Skipped {
                path: relative,
                reason: "not a .txt, .md or .html file",
            });
            continue;
        };
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if options
            .extensions
            .as_ref()
            .is_some_and(|only| !only.contains(&extension))
        {
            skipped.push(Skipped {
                path: relative,
                reason: "its extension is not among those chosen to index",
            });
            continue;
        }
        let id = document_id(&relative).ok_or_else(|| CorpusError::NameNotUtf8 {
            path: path.to_path_buf(),
        })?;
        found.push(Found {
            id,
            path: path.to_path_buf(),
            relative,
            kind,
        });
    }
    Ok((found, skipped))
}

/// Whether two paths name the same folder (compared canonical where they exist).
fn same_path(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn walk_error(root: &Path, error: walkdir::Error) -> CorpusError {
    let path = error.path().unwrap_or(root).to_path_buf();
    if error.loop_ancestor().is_some() {
        return CorpusError::LinkLoop { path };
    }
    let source = error
        .into_io_error()
        .unwrap_or_else(|| io::Error::other("cannot walk the folder"));
    CorpusError::Unreadable { path, source }
}

/// The file's text: UTF-8, without NUL bytes, at most `max_bytes` long; a
/// byte-order mark is dropped.
fn read_text(path: &Path, max_bytes: u64) -> Result<String, CorpusError> {
    let unreadable = |source| CorpusError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let size = fs::metadata(path).map_err(unreadable)?.len();
    if size > max_bytes {
        return Err(CorpusError::TooLarge {
            path: path.to_path_buf(),
            bytes: size,
            limit: max_bytes,
        });
    }
    let bytes = fs::read(path).map_err(unreadable)?;
    let line_at =
        |bytes: &[u8], offset: usize| 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(CorpusError::NulByte {
            path: path.to_path_buf(),
            offset,
            line: line_at(&bytes, offset),
        });
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        CorpusError::NotUtf8 {
            path: path.to_path_buf(),
            offset,
            line: line_at(e.as_bytes(), offset),
        }
    })?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(text)
}

/// Bytes as megabytes with one decimal, for messages: `52_429_298` is `52.4`.
fn megabytes(bytes: u64) -> String {
    format!("{}.{}", bytes / 1_000_000, bytes % 1_000_000 / 100_000)
}

/// The id of a document: its path relative to the corpus folder, `/`-separated.
fn document_id(relative: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

/// The path a document is linked by: `index.html` and `index.htm` left off
/// (a folder's page is served at the folder).
fn link_path(id: &str) -> &str {
    for index in ["index.html", "index.htm"] {
        if let Some(folder) = id.strip_suffix(index) {
            if folder.is_empty() || folder.ends_with('/') {
                return folder;
            }
        }
    }
    id
}

fn file_stem(relative: &Path) -> String {
    relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Percent-encodes a `/`-separated path for use in a URL: everything but
/// unreserved characters and `/`, so that spaces, `#` and `?` in file names
/// stay part of the path.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A file as its parser reads it.
#[derive(Debug, Default, PartialEq)]
struct Parsed {
    title: Option<String>,
    body: String,
    sections: Vec<Section>,
    /// Where its text's language changes (HTML's elements with a `lang`).
    language_runs: Vec<LanguageRun>,
    /// Its lines that only link to other pages (`SourceDocument::link_lines`).
    link_lines: Vec<(u32, u32)>,
    /// What the page says of itself besides its text (`SourceDocument`'s
    /// `meta`, `filters` and `sort`): HTML's `<meta>` and `data-site-search-*`
    /// attributes, Markdown's front matter.
    facts: Facts,
}

/// A page's metadata, filter values and sort values, as `(key, value)` pairs.
#[derive(Debug, Default, PartialEq)]
struct Facts {
    meta: Vec<(String, String)>,
    filters: Vec<(String, String)>,
    sort: Vec<(String, String)>,
    /// The language the page declares (a tag as written: `<html lang>`,
    /// front matter's `lang`), if it declares one.
    language: Option<String>,
}

impl Facts {
    /// Adds a value to `meta`, `filters` or `sort` (`kind`), on one line,
    /// unless key or value is empty.
    fn add(&mut self, kind: FactKind, key: &str, value: &str) {
        let (key, value) = (one_line(key), one_line(value));
        if key.is_empty() || value.is_empty() {
            return;
        }
        match kind {
            FactKind::Meta => &mut self.meta,
            FactKind::Filter => &mut self.filters,
            FactKind::Sort => &mut self.sort,
        }
        .push((key, value));
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum FactKind {
    Meta,
    Filter,
    Sort,
}

/// An image's path (`src`, as the page writes it) made relative to the
/// site's root and put after `base_url`, as a page's own URL is: the module
/// resolves both alike. Absolute URLs and root paths stay as they are.
fn site_image(page_id: &str, src: &str, base_url: &str) -> String {
    let src = src.trim();
    if !engine::is_site_relative(src) {
        return src.to_owned();
    }
    let mut parts: Vec<&str> = page_id.split('/').collect();
    parts.pop();
    for part in src.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("{base_url}{}", parts.join("/"))
}

/// A heading met while a page's text was put together: where it starts in
/// that text (in bytes), its words, and its id if it has one.
struct Heading {
    at: usize,
    title: String,
    id: Option<String>,
}

impl Heading {
    /// Where the page's own opening starts (an HTML page's `h1`): a section
    /// with no title and no anchor, whose hits link to the page itself.
    fn page_top(at: usize) -> Heading {
        Heading {
            at,
            title: String::new(),
            id: None,
        }
    }
}

/// The page of `text` (its body before [`collapse_whitespace`]) with its
/// sections, one per heading of `headings` (in order of `at`): the word
/// each starts at, its title, and its anchor (`#id`, or a text fragment of
/// its words, which browsers scroll to and mark, where it has no id).
fn parsed(title: Option<String>, text: &str, headings: Vec<Heading>) -> Parsed {
    let mut sections = Vec::with_capacity(headings.len());
    let mut words = WordsBefore::new(text);
    let mut before = LoweredPrefix::new(text);
    for heading in headings {
        let word = words.at(heading.at);
        let title = heading_title(&heading.title);
        let anchor = match heading.id.as_deref().filter(|id| !id.is_empty()) {
            Some(id) => format!("#{}", percent_encode_fragment(id)),
            // The page's opening (or a heading of no words, the same): hits
            // there link to the page.
            None if title.is_empty() => String::new(),
            // A fragment lands on the first place the page shows its words:
            // where the text before the heading already does (a DocBook
            // manual's many `Note` headings), it would land there, so the
            // heading is no section of its own.
            None if shows_before(&mut before, heading.at, &title) => continue,
            None => text_fragment(&title),
        };
        if title.is_empty() && !anchor.is_empty() {
            continue;
        }
        sections.push(Section {
            word,
            title,
            anchor,
        });
    }
    Parsed {
        title,
        body: collapse_whitespace(text),
        sections,
        language_runs: Vec::new(),
        link_lines: Vec::new(),
        facts: Facts::default(),
    }
}

/// Whether `href` leads to another page of the site: a relative or
/// root-relative address (no scheme, no other host), not a place on this
/// page (`#…`), and a page rather than a file (`.pdf`, `.zip`, an image):
/// no extension, or one pages have (Markdown's among them: a Markdown
/// site's links name its source files).
pub(super) fn is_page_link(href: &str) -> bool {
    let href = href.trim();
    let path = href.split(['?', '#']).next().unwrap_or_default();
    if path.is_empty() || href.starts_with("//") {
        return false;
    }
    // A scheme (`https:`, `mailto:`) ends before the first `/`.
    if path
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'))
    {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or_default();
    match name.rsplit_once('.') {
        None => true,
        Some((_, extension)) => [
            "html", "htm", "xhtml", "shtml", "php", "asp", "aspx", "md", "markdown",
        ]
        .iter()
        .any(|page| extension.eq_ignore_ascii_case(page)),
    }
}

/// The words of each of `page`'s lines that only link to other pages.
#[cfg(test)]
fn link_line_words(page: &Parsed) -> Vec<Vec<&str>> {
    page.link_lines
        .iter()
        .map(|&(start, end)| {
            engine::analysis::word_spans(&page.body)
                .skip(start as usize)
                .take((end - start) as usize)
                .map(|(_, word)| word)
                .collect()
        })
        .collect()
}

/// Counts the words of a text that start before byte offsets asked for in
/// increasing order: the word position (from 0) a heading, a passage or a
/// line starting there has. Whitespace runs only ever separate words, so the
/// positions counted in the text as extracted are those of the collapsed
/// body the index reads.
struct WordsBefore<'t> {
    starts: std::iter::Peekable<Box<dyn Iterator<Item = usize> + 't>>,
    count: u32,
}

impl<'t> WordsBefore<'t> {
    fn new(text: &'t str) -> Self {
        let starts: Box<dyn Iterator<Item = usize> + 't> =
            Box::new(engine::analysis::word_spans(text).map(|(start, _)| start));
        WordsBefore {
            starts: starts.peekable(),
            count: 0,
        }
    }

    /// The words that start before byte `at` (no fewer than the last answer's).
    fn at(&mut self, at: usize) -> u32 {
        while self.starts.next_if(|&start| start < at).is_some() {
            self.count += 1;
        }
        self.count
    }
}

/// Byte ranges of `text` (in order, not overlapping) as the body words they
/// hold, `[start, end)`: a range of no words is left out.
fn word_spans_of(text: &str, ranges: &[(usize, usize)]) -> Vec<(u32, u32)> {
    let mut words = WordsBefore::new(text);
    let mut spans = Vec::with_capacity(ranges.len());
    for &(start, end) in ranges {
        let (first, last) = (words.at(start), words.at(end));
        if last > first {
            spans.push((first, last));
        }
    }
    spans
}

/// `changes` (from a byte of `text` on, the language of a tag; empty for
/// the page's own) as the body words they start at: a passage of no words
/// changes nothing, and a change to the language already in force is none.
fn language_runs(text: &str, changes: Vec<(usize, String)>) -> Vec<LanguageRun> {
    let mut words = WordsBefore::new(text);
    let mut runs: Vec<LanguageRun> = Vec::new();
    for (at, language) in changes {
        let word = words.at(at);
        match runs.last_mut() {
            Some(last) if last.word == word => last.language = language,
            _ => runs.push(LanguageRun { word, language }),
        }
    }
    // Runs past the last word change nothing, nor do those to the language
    // in force (the page's own, from the start).
    let total = words.at(usize::MAX);
    let mut in_force = String::new();
    runs.retain(|run| {
        let changes = run.word < total && run.language != in_force;
        if changes {
            in_force.clone_from(&run.language);
        }
        changes
    });
    runs
}

/// A heading's words on one line, without the permalink sign that site
/// generators put before or after it (`¶` in Sphinx, `§` in rustdoc, `#`
/// elsewhere).
fn heading_title(text: &str) -> String {
    one_line(text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '¶' | '§' | '#' | '🔗')))
}

/// Whether the text before byte `at` holds the words a text fragment of
/// `heading` quotes, case aside (ASCII's: it keeps byte offsets).
fn shows_before(before: &mut LoweredPrefix<'_>, at: usize, heading: &str) -> bool {
    let quoted: Vec<&str> = heading.split(' ').take(TEXT_FRAGMENT_WORDS).collect();
    before
        .upto(at)
        .contains(&quoted.join(" ").to_ascii_lowercase())
}

/// A page's text up to a byte, on one line and in ASCII lower case, grown
/// as the headings come in order: made once per page, not once per heading
/// (which was a third of indexing the Rust docs, whose long pages have
/// hundreds of headings).
struct LoweredPrefix<'t> {
    text: &'t str,
    /// Bytes of `text` read into `lowered`.
    read: usize,
    lowered: String,
    /// Whitespace read and not yet written: a space, if a word follows.
    space: bool,
}

impl<'t> LoweredPrefix<'t> {
    fn new(text: &'t str) -> Self {
        LoweredPrefix {
            text,
            read: 0,
            lowered: String::new(),
            space: false,
        }
    }

    /// `text[..at]` as `one_line` writes it, in ASCII lower case.
    fn upto(&mut self, at: usize) -> &str {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        if at < self.read {
            // Headings out of order: read again from the start.
            *self = LoweredPrefix::new(self.text);
        }
        for c in self.text[self.read..at].chars() {
            if c.is_whitespace() {
                self.space = true;
                continue;
            }
            if std::mem::take(&mut self.space) && !self.lowered.is_empty() {
                self.lowered.push(' ');
            }
            self.lowered.push(c.to_ascii_lowercase());
        }
        self.read = at;
        &self.lowered
    }
}

/// Most words a text fragment quotes of a heading: enough to find it.
const TEXT_FRAGMENT_WORDS: usize = 8;

/// A link to the first place a page shows `heading`'s words: a text
/// fragment (`#:~:text=`), which Chromium, Safari and Firefox scroll to.
fn text_fragment(heading: &str) -> String {
    let words: Vec<&str> = heading.split(' ').take(TEXT_FRAGMENT_WORDS).collect();
    let mut out = String::from("#:~:text=");
    for &byte in words.join(" ").as_bytes() {
        // The directive's own syntax (`-`, `,`, `&`) must be escaped; letters
        // and digits are all that is kept as it is.
        if byte.is_ascii_alphanumeric() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// An id as a URL fragment: the bytes a URL cannot hold as they are escaped.
fn percent_encode_fragment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for &byte in id.as_bytes() {
        if byte.is_ascii_graphic() && !b"\"#%<>`".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Collapses whitespace: a run holding a line break becomes one `\n`, any other
/// run one space; the ends are trimmed.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run: Option<char> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            if c == '\n' || c == '\r' || run == Some('\n') {
                run = Some('\n');
            } else {
                run = Some(' ');
            }
            continue;
        }
        if let Some(separator) = run.take() {
            if !out.is_empty() {
                out.push(separator);
            }
        }
        out.push(c);
    }
    out
}

pub(crate) use engine::analysis::one_line;

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_language_is_declared_or_in_its_path() {
        use super::page_language;
        for (declared, id, language) in [
            (Some("fr-CA"), "en/page.html", "fr"),
            (Some("  "), "page.html", "en"),
            (Some("x-klingon"), "de/page.html", "de"),
            (None, "fr/guide/page.html", "fr"),
            (None, "pt-br/page.html", "pt"),
            (None, "zh_CN/page.html", "zh"),
            (None, "index.ja.html", "ja"),
            (None, "ch01.fr.html", "fr"),
            (None, "guide/intro.de.md", "de"),
            // Not languages: common folder names, a lone file named like one, a dotted name.
            (None, "js/app.html", "en"),
            (None, "img/fr.html", "en"),
            (None, "fr.html", "en"),
            (None, "v1.2.html", "en"),
            (None, "french/page.html", "en"),
        ] {
            assert_eq!(
                page_language(declared, id, "en"),
                language,
                "{declared:?} {id}"
            );
        }
        assert_eq!(page_language(None, "page.html", "ja"), "ja");
    }

    #[test]
    fn folder_pages_link_as_folders() {
        for (id, link) in [
            ("index.html", ""),
            ("guide/index.html", "guide/"),
            ("guide/index.htm", "guide/"),
            ("guide/reindex.html", "guide/reindex.html"),
            ("guide/page.html", "guide/page.html"),
        ] {
            assert_eq!(super::link_path(id), link, "{id}");
        }
    }
    use super::*;

    #[test]
    fn percent_encodes_paths() {
        for (path, url) in [
            ("a/b.txt", "a/b.txt"),
            ("my notes #1?.html", "my%20notes%20%231%3F.html"),
            ("café.md", "caf%C3%A9.md"),
        ] {
            assert_eq!(percent_encode_path(path), url);
        }
    }

    #[test]
    fn collapses_whitespace() {
        for (text, collapsed) in [
            ("  a  b\t c ", "a b c"),
            ("a \n\n  b", "a\nb"),
            ("a\r\nb", "a\nb"),
            ("\n\n", ""),
        ] {
            assert_eq!(collapse_whitespace(text), collapsed, "{text:?}");
        }
    }

    /// The prefix grown heading by heading is what a fresh copy of the text
    /// before each heading, on one line and lowered, would be.
    #[test]
    fn lowered_prefix_is_the_text_before_on_one_line() {
        let text = "  Note THAT\u{2003}x\n\n Straße  ÉTÉ\tend ";
        let fresh = |at: usize| one_line(&text[..at]).to_ascii_lowercase();
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&at| text.is_char_boundary(at))
            .collect();
        let mut grown = LoweredPrefix::new(text);
        for &at in &boundaries {
            assert_eq!(grown.upto(at), fresh(at), "at {at}");
        }
        // Out of order, it reads again; inside a character, it stops before it.
        assert_eq!(grown.upto(6), fresh(6));
        let inside = text.find('ß').unwrap() + 1;
        assert_eq!(grown.upto(inside), fresh(inside - 1));
    }

    #[test]
    fn images_are_made_relative_to_the_site_as_links_are() {
        use super::site_image;
        assert_eq!(
            site_image("guide/intro.html", "img/a.png", "docs/"),
            "docs/guide/img/a.png"
        );
        assert_eq!(
            site_image("guide/intro.html", "../img/a.png", ""),
            "img/a.png"
        );
        assert_eq!(site_image("a.md", "./b.png", ""), "b.png");
        assert_eq!(
            site_image("a/b.html", "/static/c.png", "docs/"),
            "/static/c.png"
        );
        assert_eq!(
            site_image("a/b.html", "https://x.org/c.png", ""),
            "https://x.org/c.png"
        );
    }
}
