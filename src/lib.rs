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
use js_sys::{Array, Number, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod json;
use json::Json;

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
    let mut json = Json::with_capacity(200 + 400 * results.hits.len());
    json.raw("{\"total\":")
        .uint(results.total as u64)
        .raw(",\"hits\":")
        .array(&results.hits, write_hit)
        .raw(",\"didYouMean\":")
        .optional_string(results.did_you_mean.as_deref())
        .raw("}");
    parsed(json)
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
    let completions = index()?.complete(&text, limit);
    let mut json = Json::with_capacity(2 + 80 * completions.len());
    json.array(&completions, |json, completion| {
        json.raw("{\"word\":")
            .string(&completion.word)
            .raw(",\"query\":")
            .string(&completion.query)
            .raw(",\"documents\":")
            .uint(u64::from(completion.documents))
            .raw("}");
    });
    parsed(json)
}

/// The documents in the index: their count, and each one's id, title and URL.
#[wasm_bindgen(js_name = corpusInfo, unchecked_return_type = "CorpusInfo")]
pub fn corpus_info() -> Result<JsValue, JsError> {
    let documents = index()?.documents();
    let mut json = Json::with_capacity(40 + 120 * documents.len());
    json.raw("{\"count\":")
        .uint(documents.len() as u64)
        .raw(",\"documents\":")
        .array(documents, |json, document| {
            json.raw("{\"id\":")
                .string(document.id)
                .raw(",\"title\":")
                .string(document.title)
                .raw(",\"url\":")
                .string(document.url)
                .raw("}");
        })
        .raw("}");
    parsed(json)
}

/// One hit as a JSON object; the properties of `SearchHit` in `TYPES`.
fn write_hit(json: &mut Json, hit: &Hit<'_>) {
    json.raw("{\"id\":")
        .string(hit.id)
        .raw(",\"title\":")
        .string(hit.title)
        .raw(",\"url\":")
        .string(hit.url)
        .raw(",\"score\":")
        .score(hit.score)
        .raw(",\"excerpt\":")
        .string(&hit.excerpt)
        .raw(",\"highlights\":")
        .array(&hit.highlights, |json, &[start, end]| {
            json.array([start, end], |json, offset| {
                json.uint(u64::from(offset));
            });
        })
        .raw("}");
}

/// The JS value of a JSON text this module wrote (see `json.rs` for why
/// results cross as JSON).
fn parsed(json: Json) -> Result<JsValue, JsError> {
    JSON::parse(&json.into_text())
        // Only a bug in the writer could make the text invalid; say so
        // rather than abort.
        .map_err(|_| {
            JsError::new("internal error: the search module wrote invalid JSON; please report this with the query")
        })
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
