//! The JavaScript boundary: the embedded index, and functions that take and
//! return plain JS values. Every search decision is the engine's.
//!
//! ```js
//! import init, { search, corpusInfo } from './pkg/search.js';
//! await init();
//! const { total, hits } = search('jewish labour', { limit: 10, offset: 0 });
//! ```
//!
//! Errors reach JavaScript as thrown `Error`s whose message says what was
//! expected. Nothing here panics on any argument: a panic would abort the
//! module (`panic = "abort"`) and end search on the page until a reload.

use std::sync::OnceLock;

use engine::{format, Index, Query, SearchOptions, MAX_LIMIT};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The index the build script wrote for the corpus folder.
static INDEX_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// Decoded on first use, once.
fn index() -> Result<&'static Index<'static>, JsError> {
    static INDEX: OnceLock<Result<Index<'static>, engine::FormatError>> = OnceLock::new();
    INDEX
        .get_or_init(|| format::decode(INDEX_BYTES))
        .as_ref()
        .map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of `search`. */
export interface SearchOptions {
  /** Hits to return: an integer from 0 to 1000. Default 10. */
  limit?: number;
  /** Hits to skip, for paging: an integer ≥ 0. Default 0. */
  offset?: number;
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
"#;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct JsSearchOptions {
    limit: Option<f64>,
    offset: Option<f64>,
}

#[derive(Serialize)]
struct JsSearchResult<'a> {
    total: usize,
    hits: Vec<JsHit<'a>>,
}

#[derive(Serialize)]
struct JsHit<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    score: f32,
    excerpt: String,
    highlights: Vec<[u32; 2]>,
}

#[derive(Serialize)]
struct JsCorpusInfo<'a> {
    count: usize,
    documents: Vec<JsDocument<'a>>,
}

#[derive(Serialize)]
struct JsDocument<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
}

/// Ranked hits for `query`, with excerpts and highlight ranges.
///
/// Throws if `query` is not a string or `options` is not an object of known
/// options with integer values in range.
#[wasm_bindgen(unchecked_return_type = "SearchResult")]
pub fn search(
    #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let query = query
        .as_string()
        .ok_or_else(|| JsError::new(&format!("search(query, options): query must be a string, got {}", type_name(&query))))?;
    let options = search_options(options)?;
    let index = index()?;
    let results = index.search(&Query::parse(&query), &options);
    let results = JsSearchResult {
        total: results.total,
        hits: results
            .hits
            .into_iter()
            .map(|hit| JsHit {
                id: hit.id,
                title: hit.title,
                url: hit.url,
                score: hit.score,
                excerpt: hit.excerpt,
                highlights: hit.highlights,
            })
            .collect(),
    };
    to_js(&results)
}

/// The documents in the index: their count, and each one's id, title and URL.
#[wasm_bindgen(js_name = corpusInfo, unchecked_return_type = "CorpusInfo")]
pub fn corpus_info() -> Result<JsValue, JsError> {
    let index = index()?;
    let documents = index.documents().iter().map(|d| JsDocument { id: d.id, title: d.title, url: d.url }).collect();
    to_js(&JsCorpusInfo { count: index.documents().len(), documents })
}

fn search_options(value: JsValue) -> Result<SearchOptions, JsError> {
    let mut options = SearchOptions::default();
    if value.is_undefined() || value.is_null() {
        return Ok(options);
    }
    if !value.is_object() || js_sys_is_array(&value) {
        return Err(JsError::new(&format!(
            "search(query, options): options must be an object like {{ limit: 10, offset: 0 }}, got {}",
            type_name(&value)
        )));
    }
    let given: JsSearchOptions = serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("search(query, options): {e}; expected {{ limit?: number, offset?: number }}")))?;
    if let Some(limit) = given.limit {
        options.limit = integer_option("limit", limit, MAX_LIMIT as f64)?;
    }
    if let Some(offset) = given.offset {
        options.offset = integer_option("offset", offset, u32::MAX as f64)?;
    }
    Ok(options)
}

fn integer_option(name: &str, value: f64, max: f64) -> Result<usize, JsError> {
    if value.fract() != 0.0 || !(0.0..=max).contains(&value) {
        return Err(JsError::new(&format!("search(query, options): options.{name} must be an integer from 0 to {max}, got {value}")));
    }
    Ok(value as usize)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

fn js_sys_is_array(value: &JsValue) -> bool {
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Array, js_name = isArray)]
        fn is_array(value: &JsValue) -> bool;
    }
    is_array(value)
}

/// What JavaScript's `typeof` says, or `null`/`array`, for error messages.
fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if js_sys_is_array(value) {
        "an array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_else(|| "an unknown value".into())
    }
}
