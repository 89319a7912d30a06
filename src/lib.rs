//! The JavaScript boundary: the embedded index, and functions that take and
//! return plain JS values. Every search decision is the engine's.
//!
//! ```js
//! import init, { search, suggest, corpusInfo } from './pkg/search.js';
//! await init();
//! const { total, hits } = search('jewish labour', { limit: 10, offset: 0 });
//! ```
//!
//! Errors reach JavaScript as thrown `Error`s whose message says what was
//! expected. Nothing here panics on any argument: a panic would abort the
//! module (`panic = "abort"`) and end search on the page until a reload.

use std::sync::OnceLock;

use engine::{format, Hit, Index, Query, SearchOptions, MAX_COMPLETIONS, MAX_LIMIT};
use js_sys::{Array, Number, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The index the build script wrote for the corpus folder.
static INDEX_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// Decoded on first use, once.
fn index() -> Result<&'static Index<'static>, JsError> {
    static INDEX: OnceLock<Result<Index<'static>, engine::FormatError>> = OnceLock::new();
    INDEX
        .get_or_init(|| format::decode(INDEX_BYTES))
        .as_ref()
        .map_err(|e| JsError::new(&e.message()))
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of `search`. */
export interface SearchOptions {
  /** Hits to return: an integer from 0 to 1000. Default 10. */
  limit?: number;
  /** Hits to skip, for paging: an integer ≥ 0. Default 0. */
  offset?: number;
  /** Words of at least this many characters match with one typo: an integer from 1 to 1000. Default 5. */
  minCharsForOneTypo?: number;
  /** Words of at least this many characters match with two typos: an integer from 1 to 1000. Default 9. */
  minCharsForTwoTypos?: number;
}

/** One matching document. */
export interface SearchHit {
  /** The document's path relative to the corpus folder, `/`-separated. */
  id: string;
  title: string;
  /** Where the result links to: the base URL (set at build time) + the percent-encoded id. */
  url: string;
  /** Relevance; higher is better. Only comparable within one result list. */
  score: number;
  /** About 30 words around the densest cluster of matches (the title when the body has none); `…` marks a cut. */
  excerpt: string;
  /** Matched words in `excerpt` as [start, end) UTF-16 offsets, so `excerpt.slice(start, end)` is the word. */
  highlights: [number, number][];
}

export interface SearchResult {
  /** Number of matching documents, over all pages. */
  total: number;
  hits: SearchHit[];
  /** The query with misspelt words corrected, when some words match nothing exactly and the correction finds documents with every word; else null. */
  didYouMean: string | null;
}

/** A completion of the word being typed. */
export interface Suggestion {
  /** The completed word, lower-cased as the documents spell it. */
  word: string;
  /** The text typed, with its last word completed. */
  query: string;
  /** How many documents contain the word. */
  documents: number;
}

export interface CorpusDocument {
  id: string;
  title: string;
  url: string;
}

export interface CorpusInfo {
  /** Number of documents in the index. */
  count: number;
  /** Every document, sorted by id. */
  documents: CorpusDocument[];
}

/**
 * Ranked hits for `query`, with excerpts and highlight ranges.
 * Throws an Error if `query` is not a string, or `options` is not an object of
 * known options with integer values in range.
 */
export function search(query: string, options?: SearchOptions): SearchResult;

/**
 * Completions of the last word of `text` (when nothing follows it), the words
 * most documents contain first: at most `limit` (default 10, at most 100).
 * Throws an Error if `text` is not a string or `limit` is not an integer in range.
 */
export function suggest(text: string, limit?: number): Suggestion[];
"#;

/// Ranked hits for `query`, with excerpts and highlight ranges.
///
/// Throws if `query` is not a string or `options` is not an object of known
/// options with integer values in range. Declared for TypeScript in `TYPES`,
/// where `options` can be marked optional.
#[wasm_bindgen(skip_typescript)]
pub fn search(
    #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let query = query.as_string().ok_or_else(|| {
        JsError::new(
            &[
                "search(query, options): query must be a string, got ",
                &type_name(&query),
            ]
            .concat(),
        )
    })?;
    let options = search_options(options)?;
    let index = index()?;
    let results = index.search(&Query::parse(&query), &options);
    let hits: Array = results.hits.iter().map(hit_object).collect();
    Ok(object(&[
        (Key::Total, results.total.into()),
        (Key::Hits, hits.into()),
        (
            Key::DidYouMean,
            results
                .did_you_mean
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from),
        ),
    ]))
}

/// Completions of the last word of `text`, for an autocomplete list.
///
/// Throws if `text` is not a string or `limit` is not an integer from 0 to
/// 100. Declared for TypeScript in `TYPES`.
#[wasm_bindgen(skip_typescript)]
pub fn suggest(text: JsValue, limit: JsValue) -> Result<JsValue, JsError> {
    let text = text.as_string().ok_or_else(|| {
        JsError::new(
            &[
                "suggest(text, limit): text must be a string, got ",
                &type_name(&text),
            ]
            .concat(),
        )
    })?;
    let limit = integer_option(
        "suggest(text, limit): limit",
        &limit,
        MAX_COMPLETIONS as u32,
    )?
    .unwrap_or(10);
    let completions: Array = index()?
        .complete(&text, limit)
        .iter()
        .map(|c| {
            object(&[
                (Key::Word, c.word.as_str().into()),
                (Key::Query, c.query.as_str().into()),
                (Key::Documents, c.documents.into()),
            ])
        })
        .collect();
    Ok(completions.into())
}

/// The documents in the index: their count, and each one's id, title and URL.
#[wasm_bindgen(js_name = corpusInfo, unchecked_return_type = "CorpusInfo")]
pub fn corpus_info() -> Result<JsValue, JsError> {
    let index = index()?;
    let documents: Array = index
        .documents()
        .iter()
        .map(|d| {
            object(&[
                (Key::Id, d.id.into()),
                (Key::Title, d.title.into()),
                (Key::Url, d.url.into()),
            ])
        })
        .collect();
    Ok(object(&[
        (Key::Count, index.documents().len().into()),
        (Key::Documents, documents.into()),
    ]))
}

/// A plain JS object with these properties, in this order.
///
/// Results are built with `Reflect.set` rather than serialised with
/// serde-wasm-bindgen: measured here, serde-wasm-bindgen (its serializer and
/// the map it interns field names in) adds 3.4 KB to the gzipped module, and
/// the module's budget for the seed corpus is 60 KB including the texts.
fn object(properties: &[(Key, JsValue)]) -> JsValue {
    let object = Object::new();
    KEYS.with(|keys| {
        for (key, value) in properties {
            set_property(&object, &keys[*key as usize], value);
        }
    });
    object.into()
}

#[wasm_bindgen]
extern "C" {
    /// `Reflect.set` without js-sys's exception wrapper: setting a property of
    /// a fresh plain object cannot throw, and the wrapper's try/catch is paid
    /// on every property of every hit.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn set_property(target: &Object, key: &JsValue, value: &JsValue) -> bool;
}

/// The property names of results. Each is made into a JS string once, not on
/// every search: converting a Rust string costs a `TextDecoder` call.
#[derive(Clone, Copy)]
enum Key {
    Total,
    Hits,
    Count,
    Documents,
    Id,
    Title,
    Url,
    Score,
    Excerpt,
    Highlights,
    DidYouMean,
    Word,
    Query,
}

thread_local! {
    /// Indexed by `Key as usize`, in declaration order.
    static KEYS: [JsValue; 13] = [
        "total", "hits", "count", "documents", "id", "title", "url", "score", "excerpt", "highlights",
        "didYouMean", "word", "query",
    ]
    .map(JsValue::from_str);
}

fn hit_object(hit: &Hit<'_>) -> JsValue {
    let highlights: Array = hit
        .highlights
        .iter()
        .map(|&[start, end]| Array::of2(&start.into(), &end.into()))
        .collect();
    object(&[
        (Key::Id, hit.id.into()),
        (Key::Title, hit.title.into()),
        (Key::Url, hit.url.into()),
        (Key::Score, hit.score.into()),
        (Key::Excerpt, hit.excerpt.as_str().into()),
        (Key::Highlights, highlights.into()),
    ])
}

fn search_options(value: JsValue) -> Result<SearchOptions, JsError> {
    let mut options = SearchOptions::default();
    if value.is_undefined() || value.is_null() {
        return Ok(options);
    }
    if !value.is_object() || Array::is_array(&value) {
        return Err(JsError::new(
            &["search(query, options): options must be an object like { limit: 10, offset: 0 }, got ", &type_name(&value)]
                .concat(),
        ));
    }
    for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        // A getter can throw; pass its exception on as our error.
        let given = Reflect::get(&value, &key).map_err(|_| {
            JsError::new(&["search(query, options): reading options.", &name, " threw"].concat())
        })?;
        match name.as_str() {
            "limit" => {
                options.limit = integer_option(
                    "search(query, options): options.limit",
                    &given,
                    MAX_LIMIT as u32,
                )?
                .unwrap_or(options.limit)
            }
            "offset" => {
                options.offset =
                    integer_option("search(query, options): options.offset", &given, u32::MAX)?
                        .unwrap_or(options.offset)
            }
            "minCharsForOneTypo" => {
                let chars = &mut options.typos.one_typo_from;
                *chars = typo_chars("minCharsForOneTypo", &given)?.unwrap_or(*chars)
            }
            "minCharsForTwoTypos" => {
                let chars = &mut options.typos.two_typos_from;
                *chars = typo_chars("minCharsForTwoTypos", &given)?.unwrap_or(*chars)
            }
            _ => return Err(JsError::new(
                &[
                    "search(query, options): unknown option `",
                    &name,
                    "`; the options are limit, offset, minCharsForOneTypo and minCharsForTwoTypos",
                ]
                .concat(),
            )),
        }
    }
    Ok(options)
}

/// A typo threshold: an integer from 1 to 1000 (1000: practically never).
fn typo_chars(name: &str, value: &JsValue) -> Result<Option<usize>, JsError> {
    let path = ["search(query, options): options.", name].concat();
    integer_in(&path, value, 1, 1000)
}

/// An integer from 0 to `max` (`name` says where, for the message);
/// `undefined` means "use the default".
fn integer_option(name: &str, value: &JsValue, max: u32) -> Result<Option<usize>, JsError> {
    integer_in(name, value, 0, max)
}

fn integer_in(name: &str, value: &JsValue, min: u32, max: u32) -> Result<Option<usize>, JsError> {
    if value.is_undefined() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (min as f64..=max as f64).contains(&n) => {
            Ok(Some(n as usize))
        }
        _ => {
            let shown = match value.as_f64() {
                Some(n) => js_number(n),
                None => type_name(value),
            };
            let max = js_number(max as f64);
            Err(JsError::new(
                &[
                    name,
                    " must be an integer from ",
                    &js_number(min as f64),
                    " to ",
                    &max,
                    ", got ",
                    &shown,
                ]
                .concat(),
            ))
        }
    }
}

/// JavaScript's own spelling of a number. Messages are built without
/// `format!`, so that the module carries no `core::fmt` (about 2 KB gzipped).
fn js_number(n: f64) -> String {
    Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// What JavaScript's `typeof` says, or `null`/`an array`, for error messages.
fn type_name(value: &JsValue) -> String {
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
