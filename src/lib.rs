//! The JavaScript boundary: where the index comes from, and functions that
//! take and return plain JS values. Every search decision is the engine's.
//!
//! The index reaches the module in one of three ways:
//! - compiled in by the build script (the `corpus` feature, `make build`);
//! - handed in whole at start-up ([`load_index`], the `load` feature): the
//!   indexer's embedded bundles carry it in a custom section of this
//!   module's own wasm file;
//! - opened from a sharded bundle's manifest (`sharded::open_sharded`, the
//!   `sharded` feature), after which `searchSharded` and its siblings fetch
//!   the shards each search needs.
//!
//! Each bundle carries only the module it needs: `make build`'s with the
//! seeds compiled in, and the indexer's (embedded and sharded, each with
//! and without the `facets` feature: metadata, filters and sort).
//!
//! `www/search/search.js` hides which: it is the API sites import. Options
//! and results cross with serde-wasm-bindgen; the shards are fetched with
//! the browser's `fetch` through web-sys. Errors reach JavaScript as `Error`s
//! whose message says what was expected, or which file could not be used.
//! Nothing here panics on any argument: a panic would abort the module
//! (`panic = "abort"`) and end search on the page until a reload.

use std::cell::RefCell;

#[cfg(any(feature = "corpus", feature = "load"))]
use engine::format;
use engine::{Index, Query, SearchOptions, MAX_COMPLETIONS, MAX_LIMIT};
use js_sys::{Array, Number};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The `filters` and `sort` options, and their check against the index.
#[cfg(feature = "facets")]
mod facets;

/// Sharded indexes (the indexer's sharded bundles).
#[cfg(feature = "sharded")]
mod sharded;

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The index the build script wrote for the corpus folder.
#[cfg(feature = "corpus")]
static INDEX_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// The index, however it arrived. Shard bytes are leaked: each is kept for
/// the page's life (they are the cache), and the index borrows from them.
pub(crate) enum Loaded {
    // The sharded module never holds a whole index.
    #[cfg_attr(not(any(feature = "corpus", feature = "load")), allow(dead_code))]
    Memory(Index<'static>),
    #[cfg(feature = "sharded")]
    Sharded(sharded::Sharded),
}

thread_local! {
    pub(crate) static LOADED: RefCell<Option<Loaded>> = const { RefCell::new(None) };
    /// What relative links are resolved against ([`set_link_base`]).
    static LINK_BASE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `f` on the index in memory; the build script's, decoded on first use.
fn with_memory_index<T>(f: impl FnOnce(&Index<'static>) -> T) -> Result<T, JsError> {
    LOADED.with(|loaded| {
        #[cfg(feature = "corpus")]
        if loaded.borrow().is_none() {
            let index = format::decode(INDEX_BYTES).map_err(|e| JsError::new(&e.message()))?;
            *loaded.borrow_mut() = Some(Loaded::Memory(index));
        }
        match &*loaded.borrow() {
            Some(Loaded::Memory(index)) => Ok(f(index)),
            #[cfg(feature = "sharded")]
            Some(Loaded::Sharded(_)) => Err(JsError::new(
                "this index is sharded: its searches return Promises (use search.js, which knows)",
            )),
            None => Err(JsError::new(
                "no index is loaded: call init() from search.js before searching",
            )),
        }
    })
}

/// Loads a whole index (an embedded bundle's, from its custom section).
#[cfg(feature = "load")]
#[wasm_bindgen(js_name = loadIndex)]
pub fn load_index(bytes: Vec<u8>) -> Result<(), JsError> {
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let index = format::decode(bytes).map_err(|e| JsError::new(&e.message()))?;
    LOADED.with(|loaded| *loaded.borrow_mut() = Some(Loaded::Memory(index)));
    Ok(())
}

/// Whether the build script compiled an index into this module.
#[wasm_bindgen(js_name = hasIndex)]
pub fn has_index() -> bool {
    cfg!(feature = "corpus")
}

/// Options of `search`, as JavaScript passes them. Each value is kept as a
/// JS value and checked here, so that a message can say what was expected
/// and what came ("an integer from 0 to 1000, got 2.5").
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct JsSearchOptions {
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    limit: JsValue,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    offset: JsValue,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    min_chars_for_one_typo: JsValue,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    min_chars_for_two_typos: JsValue,
    /// Read by a module with the `languages` feature (the stemmers) or the
    /// `facets` one (a site in several languages narrowed to one): the
    /// plain module's sites are in one language, stemmed as English, and it
    /// ignores it.
    #[cfg(any(feature = "languages", feature = "facets"))]
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    language: JsValue,
    #[cfg(feature = "facets")]
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    filters: JsValue,
    #[cfg(feature = "facets")]
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    sort: JsValue,
}

/// The fields of [`JsSearchOptions`], as JavaScript spells them. A module
/// without the `facets` feature (the seeds', and the indexer's for a site
/// whose pages set no metadata, filters or sort values) knows no `filters`
/// or `sort`: the message for an unknown option says so.
#[cfg(feature = "facets")]
const OPTION_NAMES: &[&str] = &[
    "limit",
    "offset",
    "minCharsForOneTypo",
    "minCharsForTwoTypos",
    "language",
    "filters",
    "sort",
];
#[cfg(not(feature = "facets"))]
const OPTION_NAMES: &[&str] = &[
    "limit",
    "offset",
    "minCharsForOneTypo",
    "minCharsForTwoTypos",
    "language",
];
/// [`OPTION_NAMES`] in a sentence.
#[cfg(feature = "facets")]
const OPTIONS_LISTED: &str =
    "limit, offset, minCharsForOneTypo, minCharsForTwoTypos, language, filters and sort";
#[cfg(not(feature = "facets"))]
const OPTIONS_LISTED: &str = "limit, offset, minCharsForOneTypo, minCharsForTwoTypos and language (this module was built without filters and sort)";

pub(crate) const SEARCH: &str = "search(query, options): ";

/// What `search` was asked: the query's text, the language to read it in
/// (`options.language`), and the other options.
pub(crate) struct SearchArguments {
    text: String,
    #[cfg(any(feature = "languages", feature = "facets"))]
    language: Option<String>,
    options: SearchOptions,
}

impl SearchArguments {
    /// The query, read in the languages of `index`'s pages (or in the one asked for).
    pub(crate) fn query(&self, index: &Index<'_>) -> Query {
        #[cfg(feature = "languages")]
        return index.parse_query(&self.text, self.language.as_deref());
        #[cfg(not(feature = "languages"))]
        index.parse_query(&self.text, None)
    }

    /// The options, narrowed to the pages in the language asked for on a
    /// site in several languages (unless they filter by language themselves).
    pub(crate) fn options(&self, index: &Index<'_>) -> std::borrow::Cow<'_, SearchOptions> {
        #[cfg(feature = "facets")]
        if let Some(filter) = self
            .language
            .as_deref()
            .and_then(|tag| index.language_filter(tag))
        {
            if !self.options.filters.iter().any(|f| f.key == filter.key) {
                let mut options = self.options.clone();
                options.filters.push(filter);
                return std::borrow::Cow::Owned(options);
            }
        }
        let _ = index;
        std::borrow::Cow::Borrowed(&self.options)
    }
}

pub(crate) fn search_arguments(
    query: JsValue,
    options: JsValue,
) -> Result<SearchArguments, JsError> {
    let query = query.as_string().ok_or_else(|| {
        JsError::new(&[SEARCH, "query must be a string, got ", &type_name(&query)].concat())
    })?;
    let given: JsSearchOptions = if options.is_undefined() || options.is_null() {
        JsSearchOptions::default()
    } else if !options.is_object() || Array::is_array(&options) {
        return Err(JsError::new(
            &[
                SEARCH,
                "options must be an object like { limit: 10, offset: 0 }, got ",
                &type_name(&options),
            ]
            .concat(),
        ));
    } else {
        // serde-wasm-bindgen reads a struct's fields by name and never sees
        // other keys (`deny_unknown_fields` has nothing to deny), so a
        // misspelt option is caught here rather than silently ignored.
        for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
            let key = key.as_string().unwrap_or_default();
            if !OPTION_NAMES.contains(&key.as_str()) {
                return Err(JsError::new(
                    &[
                        SEARCH,
                        "unknown option `",
                        &key,
                        "`; the options are ",
                        OPTIONS_LISTED,
                    ]
                    .concat(),
                ));
            }
        }
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsError::new(&[SEARCH, "options: ", &e.to_string()].concat()))?
    };
    let mut options = SearchOptions::default();
    let path = |name: &str| [SEARCH, "options.", name].concat();
    if let Some(limit) = integer_in(&path("limit"), &given.limit, 0, MAX_LIMIT as u32)? {
        options.limit = limit;
    }
    if let Some(offset) = integer_in(&path("offset"), &given.offset, 0, u32::MAX)? {
        options.offset = offset;
    }
    let typos = &mut options.typos;
    if let Some(chars) = integer_in(
        &path("minCharsForOneTypo"),
        &given.min_chars_for_one_typo,
        1,
        1000,
    )? {
        typos.one_typo_from = chars;
    }
    if let Some(chars) = integer_in(
        &path("minCharsForTwoTypos"),
        &given.min_chars_for_two_typos,
        1,
        1000,
    )? {
        typos.two_typos_from = chars;
    }
    // A language tag (`fr`, `pt-BR`): the query is read in it when the site
    // has pages in it, in each of the site's languages otherwise.
    #[cfg(any(feature = "languages", feature = "facets"))]
    let language = match given.language {
        value if value.is_undefined() || value.is_null() => None,
        value => Some(value.as_string().ok_or_else(|| {
            JsError::new(
                &[
                    &path("language"),
                    " must be a language tag like \"fr\" or \"pt-BR\", got ",
                    &type_name(&value),
                ]
                .concat(),
            )
        })?),
    };
    #[cfg(feature = "facets")]
    facets::read_options(given.filters, given.sort, &mut options)?;
    Ok(SearchArguments {
        text: query,
        #[cfg(any(feature = "languages", feature = "facets"))]
        language,
        options,
    })
}

/// Makes every relative link of the results absolute, against `base`: a
/// bundle written by the indexer knows where the site's root is from its own
/// URL (search.js sets it), so its links work wherever the site is served.
/// Links that start with `/` or a scheme are left as they are.
#[wasm_bindgen(js_name = setLinkBase, skip_typescript)]
pub fn set_link_base(base: String) {
    LINK_BASE.with(|link_base| *link_base.borrow_mut() = base);
}

/// `url` resolved against the link base, when it is relative and there is one.
pub(crate) fn link(url: &str) -> Option<String> {
    let relative = engine::is_site_relative(url);
    LINK_BASE.with(|base| {
        let base = base.borrow();
        // `./` is the site's root page.
        let path = url.strip_prefix("./").unwrap_or(url);
        (relative && !base.is_empty()).then(|| [base.as_str(), path].concat())
    })
}

/// The results with their links resolved ([`link`]).
pub(crate) fn linked(mut results: engine::SearchResults<'_>) -> engine::SearchResults<'_> {
    for hit in &mut results.hits {
        if let Some(url) = link(&hit.url) {
            hit.url = url.into();
        }
        for section in &mut hit.sections {
            if let Some(url) = link(&section.url) {
                section.url = url;
            }
        }
        // An image is linked as the page is (the indexer makes it relative to the site).
        #[cfg(feature = "facets")]
        for (key, value) in &mut hit.meta.0 {
            if *key == "image" {
                if let Some(url) = link(value) {
                    *value = url.into();
                }
            }
        }
    }
    results
}

/// Results as plain JS objects (`null` for a missing "did you mean").
pub(crate) fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            JsError::new(
                &[
                    "internal error: results could not be converted: ",
                    &e.to_string(),
                ]
                .concat(),
            )
        })
}

/// Ranked hits for `query`, with excerpts and highlight ranges, from an index
/// in memory. Declared for TypeScript in `www/search/search.d.ts`.
#[wasm_bindgen(skip_typescript)]
pub fn search(query: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let arguments = search_arguments(query, options)?;
    with_memory_index(|index| {
        let options = arguments.options(index);
        #[cfg(feature = "facets")]
        facets::check(index, &options)?;
        to_js(&linked(index.search(&arguments.query(index), &options)))
    })?
}

const SUGGEST: &str = "suggest(text, limit): ";

pub(crate) fn suggest_arguments(text: JsValue, limit: JsValue) -> Result<(String, usize), JsError> {
    let text = text.as_string().ok_or_else(|| {
        JsError::new(&[SUGGEST, "text must be a string, got ", &type_name(&text)].concat())
    })?;
    let limit = integer_in(
        &[SUGGEST, "limit"].concat(),
        &limit,
        0,
        MAX_COMPLETIONS as u32,
    )?;
    Ok((text, limit.unwrap_or(10)))
}

/// Completions of the last word of `text`, for an autocomplete list.
#[wasm_bindgen(skip_typescript)]
pub fn suggest(text: JsValue, limit: JsValue) -> Result<JsValue, JsError> {
    let (text, limit) = suggest_arguments(text, limit)?;
    to_js(&with_memory_index(|index| index.complete(&text, limit))?)
}

/// What `corpusInfo` tells of each document.
#[derive(Serialize)]
struct CorpusDocument<'a> {
    id: &'a str,
    title: &'a str,
    url: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct CorpusInfo<'a> {
    count: usize,
    documents: Vec<CorpusDocument<'a>>,
}

pub(crate) fn corpus_info_of(index: &Index<'_>) -> Result<JsValue, JsError> {
    let documents = index.documents();
    to_js(&CorpusInfo {
        count: documents.len(),
        documents: documents
            .iter()
            .map(|d| CorpusDocument {
                id: d.id,
                title: d.title,
                url: link(d.url).map_or(d.url.into(), Into::into),
            })
            .collect(),
    })
}

/// The documents in the index: their count, and each one's id, title and URL.
#[wasm_bindgen(js_name = corpusInfo, skip_typescript)]
pub fn corpus_info() -> Result<JsValue, JsError> {
    with_memory_index(corpus_info_of)?
}

/// An integer from `min` to `max` (`name` says where, for the message);
/// `undefined` means "use the default".
pub(crate) fn integer_in(
    name: &str,
    value: &JsValue,
    min: u32,
    max: u32,
) -> Result<Option<usize>, JsError> {
    if value.is_undefined() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (f64::from(min)..=f64::from(max)).contains(&n) => {
            Ok(Some(n as usize))
        }
        _ => {
            let shown = match value.as_f64() {
                Some(n) => js_number(n),
                None => type_name(value),
            };
            Err(JsError::new(
                &[
                    name,
                    " must be an integer from ",
                    &js_number(f64::from(min)),
                    " to ",
                    &js_number(f64::from(max)),
                    ", got ",
                    &shown,
                ]
                .concat(),
            ))
        }
    }
}

/// JavaScript's own spelling of a number.
pub(crate) fn js_number(n: f64) -> String {
    Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// What JavaScript's `typeof` says, or `null`/`an array`, for error messages.
pub(crate) fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if Array::is_array(value) {
        "an array".into()
    } else {
        value
            .js_typeof()
            .as_string()
            .unwrap_or_else(|| "an unknown value".into())
    }
}
