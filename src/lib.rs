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
use js_sys::{Array, Number, Object, Reflect};
use serde::Serialize;
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

/// Reads `{ limit, offset }`. Options are read by hand rather than with serde,
/// so that an unknown key (a typo such as `limt`) is an error rather than
/// ignored, and so that messages can show the value JavaScript passed.
fn search_options(value: JsValue) -> Result<SearchOptions, JsError> {
    let mut options = SearchOptions::default();
    if value.is_undefined() || value.is_null() {
        return Ok(options);
    }
    if !value.is_object() || Array::is_array(&value) {
        return Err(JsError::new(&format!(
            "search(query, options): options must be an object like {{ limit: 10, offset: 0 }}, got {}",
            type_name(&value)
        )));
    }
    for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        // A getter can throw; pass its exception on as our error.
        let given = Reflect::get(&value, &key).map_err(|_| JsError::new(&format!("search(query, options): reading options.{name} threw")))?;
        match name.as_str() {
            "limit" => options.limit = integer_option("limit", &given, MAX_LIMIT as u32)?.unwrap_or(options.limit),
            "offset" => options.offset = integer_option("offset", &given, u32::MAX)?.unwrap_or(options.offset),
            _ => {
                return Err(JsError::new(&format!(
                    "search(query, options): unknown option `{name}`; the options are limit and offset"
                )))
            }
        }
    }
    Ok(options)
}

/// An integer option from 0 to `max`; `undefined` means "use the default".
fn integer_option(name: &str, value: &JsValue, max: u32) -> Result<Option<usize>, JsError> {
    if value.is_undefined() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=max as f64).contains(&n) => Ok(Some(n as usize)),
        _ => {
            let shown = match value.as_f64() {
                // JavaScript's own spelling of the number: no float formatting code in the module.
                Some(n) => Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default(),
                None => type_name(value),
            };
            Err(JsError::new(&format!("search(query, options): options.{name} must be an integer from 0 to {max}, got {shown}")))
        }
    }
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

/// What JavaScript's `typeof` says, or `null`/`an array`, for error messages.
fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if Array::is_array(value) {
        "an array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_else(|| "an unknown value".into())
    }
}
