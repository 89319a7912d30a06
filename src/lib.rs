//! The JavaScript boundary: where the index comes from, and functions that
//! take and return plain JS values. Every search decision is the engine's.
//!
//! The index reaches the module in one of three ways:
//! - compiled in by the build script (the `corpus` feature, `make build`);
//! - handed in whole at start-up ([`load_index`]): the indexer's embedded
//!   bundles carry it in a custom section of this module's own wasm file;
//! - opened from a sharded bundle's manifest ([`open_sharded`]), after which
//!   [`search_sharded`] and its siblings fetch the shards each search needs.
//!
//! `www/search/search.js` hides which: it is the API sites import. Options
//! and results cross with serde-wasm-bindgen; the shards are fetched with
//! the browser's `fetch` through web-sys. Errors reach JavaScript as `Error`s
//! whose message says what was expected, or which file could not be used.
//! Nothing here panics on any argument: a panic would abort the module
//! (`panic = "abort"`) and end search on the page until a reload.

use std::cell::RefCell;
use std::collections::BTreeMap;

use engine::{
    format, Completion, Index, Manifest, Query, SearchOptions, SearchResults, ShardRef,
    MAX_COMPLETIONS, MAX_LIMIT,
};
use js_sys::{Array, Number, Promise, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The index the build script wrote for the corpus folder.
#[cfg(feature = "corpus")]
static INDEX_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// A search needs at most four rounds of fetches (`engine/src/shards.rs`);
/// more would be a bug, reported rather than looped on.
const MAX_ROUNDS: usize = 8;

/// The index, however it arrived. Shard bytes are leaked: each is kept for
/// the page's life (they are the cache), and the index borrows from them.
enum Loaded {
    Memory(Index<'static>),
    Sharded(Sharded),
}

struct Sharded {
    index: Index<'static>,
    manifest: Manifest,
    /// The folder the manifest is in, ending in `/`.
    base_url: String,
    /// Fetches under way, shared by every search that needs the same file.
    in_flight: BTreeMap<ShardRef, Promise>,
}

thread_local! {
    static LOADED: RefCell<Option<Loaded>> = const { RefCell::new(None) };
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
            Some(Loaded::Sharded(_)) => Err(JsError::new(
                "this index is sharded: its searches return Promises (use search.js, which knows)",
            )),
            None => Err(JsError::new(
                "no index is loaded: call init() from search.js before searching",
            )),
        }
    })
}

/// Whether the build script compiled an index into this module.
#[wasm_bindgen(js_name = hasIndex)]
pub fn has_index() -> bool {
    cfg!(feature = "corpus")
}

/// Loads a whole index (an embedded bundle's, from its custom section).
#[wasm_bindgen(js_name = loadIndex)]
pub fn load_index(bytes: Vec<u8>) -> Result<(), JsError> {
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let index = format::decode(bytes).map_err(|e| JsError::new(&e.message()))?;
    LOADED.with(|loaded| *loaded.borrow_mut() = Some(Loaded::Memory(index)));
    Ok(())
}

/// Opens a sharded index: `manifest` is `manifest.json`'s parsed content,
/// found at `base_url` (which ends in `/`); fetches the core file.
#[wasm_bindgen(js_name = openSharded)]
pub async fn open_sharded(base_url: String, manifest: JsValue) -> Result<(), JsError> {
    let manifest: Manifest = serde_wasm_bindgen::from_value(manifest).map_err(|e| {
        JsError::new(
            &[
                &base_url,
                "manifest.json is not a search index manifest: ",
                &e.to_string(),
                "; rebuild the index",
            ]
            .concat(),
        )
    })?;
    let core_url = [base_url.as_str(), &manifest.core.name].concat();
    let core = fetch_bytes(&core_url, manifest.core.bytes)
        .await
        .map_err(|e| JsError::new(&e))?;
    let index =
        Index::open_sharded(&manifest, core).map_err(|e| file_error(&core_url, &e.message()))?;
    LOADED.with(|loaded| {
        *loaded.borrow_mut() = Some(Loaded::Sharded(Sharded {
            index,
            manifest,
            base_url,
            in_flight: BTreeMap::new(),
        }))
    });
    Ok(())
}

fn file_error(url: &str, message: &str) -> JsError {
    JsError::new(&["search index file ", url, ": ", message].concat())
}

/// The bytes of `url`, which must be `expected` long.
async fn fetch_bytes(url: &str, expected: u32) -> Result<&'static [u8], String> {
    let failed = |why: &str| ["could not load the search index file ", url, ": ", why].concat();
    // `fetch` of whatever global scope this is: a window, a worker, or Node.
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let response = JsFuture::from(scope.fetch_with_str(url))
        .await
        .map_err(|_| {
            failed("the network request failed (offline, or the server is unreachable)")
        })?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        let status = js_number(f64::from(response.status()));
        return Err(failed(
            &[
                "HTTP ",
                &status,
                " (deploy the whole search folder, and rebuild it if it is from another build)",
            ]
            .concat(),
        ));
    }
    let buffer = response
        .array_buffer()
        .map_err(|_| failed("its body could not be read"))?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|_| failed("its body could not be read"))?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    if bytes.len() != expected as usize {
        return Err(failed(
            &[
                "it has ",
                &js_number(bytes.len() as f64),
                " bytes where the manifest says ",
                &js_number(f64::from(expected)),
                " (truncated, or from another build)",
            ]
            .concat(),
        ));
    }
    Ok(Box::leak(bytes.into_boxed_slice()))
}

/// Runs `ask` on the sharded index until nothing it needs is missing,
/// fetching what each round lists (in parallel, once each even across
/// concurrent searches).
async fn resolve<T>(ask: impl Fn(&Index<'static>) -> T) -> Result<T, JsError> {
    for _ in 0..MAX_ROUNDS {
        let step = LOADED.with(|loaded| match &*loaded.borrow() {
            Some(Loaded::Sharded(sharded)) => {
                let answer = ask(&sharded.index);
                Ok((answer, sharded.index.take_missing()))
            }
            Some(Loaded::Memory(index)) => Ok((ask(index), Vec::new())),
            None => Err(JsError::new(
                "no index is loaded: call init() from search.js before searching",
            )),
        })?;
        let (answer, missing) = step;
        if missing.is_empty() {
            return Ok(answer);
        }
        fetch_shards(&missing).await?;
    }
    Err(JsError::new(
        "internal error: a search kept asking for more of the index; please report this with the query",
    ))
}

/// Fetches `shards` (those not already fetched or under way) and adds them.
async fn fetch_shards(shards: &[ShardRef]) -> Result<(), JsError> {
    let promises = LOADED.with(|loaded| {
        let mut loaded = loaded.borrow_mut();
        let Some(Loaded::Sharded(sharded)) = &mut *loaded else {
            return Ok(Array::new());
        };
        let promises = Array::new();
        for &shard in shards {
            if sharded.index.has_shard(shard) {
                continue;
            }
            let promise = match sharded.in_flight.get(&shard) {
                Some(promise) => promise.clone(),
                None => {
                    let entry = sharded.manifest.file(shard).ok_or_else(|| {
                        JsError::new(
                            "internal error: the index asked for a file its manifest does not list",
                        )
                    })?;
                    let url = [sharded.base_url.as_str(), &entry.name].concat();
                    let expected = entry.bytes;
                    let promise = future_to_promise(async move {
                        let result = fetch_bytes(&url, expected).await;
                        LOADED
                            .with(|loaded| {
                                if let Some(Loaded::Sharded(sharded)) = &mut *loaded.borrow_mut() {
                                    sharded.in_flight.remove(&shard);
                                    match result {
                                        Ok(bytes) => {
                                            sharded.index.add_shard(shard, bytes).map_err(|e| {
                                                let url = sharded.manifest.file(e.shard).map_or(
                                                    url.clone(),
                                                    |f| {
                                                        [sharded.base_url.as_str(), &f.name]
                                                            .concat()
                                                    },
                                                );
                                                [
                                                    "search index file ",
                                                    &url,
                                                    " is unusable: ",
                                                    &e.error.message(),
                                                ]
                                                .concat()
                                            })
                                        }
                                        Err(message) => Err(message),
                                    }
                                } else {
                                    Ok(())
                                }
                            })
                            .map(|()| JsValue::UNDEFINED)
                            .map_err(|message| JsError::new(&message).into())
                    });
                    sharded.in_flight.insert(shard, promise.clone());
                    promise
                }
            };
            promises.push(&promise);
        }
        Ok::<_, JsError>(promises)
    })?;
    if promises.length() == 0 {
        return Ok(());
    }
    JsFuture::from(Promise::all(&promises))
        .await
        .map(|_| ())
        .map_err(|error| {
            // The fetch's own Error, passed on.
            error
                .dyn_into::<js_sys::Error>()
                .map(|e| JsError::new(&String::from(e.message())))
                .unwrap_or_else(|_| JsError::new("could not load the search index"))
        })
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
}

/// The fields of [`JsSearchOptions`], as JavaScript spells them.
const OPTION_NAMES: [&str; 4] = [
    "limit",
    "offset",
    "minCharsForOneTypo",
    "minCharsForTwoTypos",
];

const SEARCH: &str = "search(query, options): ";

fn search_arguments(query: JsValue, options: JsValue) -> Result<(Query, SearchOptions), JsError> {
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
                    &[SEARCH, "unknown option `", &key, "`; the options are limit, offset, minCharsForOneTypo and minCharsForTwoTypos"].concat(),
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
    Ok((Query::parse(&query), options))
}

/// Results as plain JS objects (`null` for a missing "did you mean").
fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
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

fn search_results(results: SearchResults<'_>) -> Result<JsValue, JsError> {
    to_js(&results)
}

/// Ranked hits for `query`, with excerpts and highlight ranges, from an index
/// in memory. Declared for TypeScript in `www/search/search.d.ts`.
#[wasm_bindgen(skip_typescript)]
pub fn search(query: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let (query, options) = search_arguments(query, options)?;
    search_results(with_memory_index(|index| index.search(&query, &options))?)
}

/// [`search`] on a sharded index: a Promise of the same results.
#[wasm_bindgen(js_name = searchSharded, skip_typescript)]
pub async fn search_sharded(query: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let (query, options) = search_arguments(query, options)?;
    resolve(|index| search_results(index.search(&query, &options))).await?
}

const SUGGEST: &str = "suggest(text, limit): ";

fn suggest_arguments(text: JsValue, limit: JsValue) -> Result<(String, usize), JsError> {
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

fn completions(completions: Vec<Completion>) -> Result<JsValue, JsError> {
    to_js(&completions)
}

/// Completions of the last word of `text`, for an autocomplete list.
#[wasm_bindgen(skip_typescript)]
pub fn suggest(text: JsValue, limit: JsValue) -> Result<JsValue, JsError> {
    let (text, limit) = suggest_arguments(text, limit)?;
    completions(with_memory_index(|index| index.complete(&text, limit))?)
}

/// [`suggest`] on a sharded index.
#[wasm_bindgen(js_name = suggestSharded, skip_typescript)]
pub async fn suggest_sharded(text: JsValue, limit: JsValue) -> Result<JsValue, JsError> {
    let (text, limit) = suggest_arguments(text, limit)?;
    resolve(|index| completions(index.complete(&text, limit))).await?
}

/// What `corpusInfo` tells of each document.
#[derive(Serialize)]
struct CorpusDocument<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct CorpusInfo<'a> {
    count: usize,
    documents: Vec<CorpusDocument<'a>>,
}

fn corpus_info_of(index: &Index<'_>) -> Result<JsValue, JsError> {
    let documents = index.documents();
    to_js(&CorpusInfo {
        count: documents.len(),
        documents: documents
            .iter()
            .map(|d| CorpusDocument {
                id: d.id,
                title: d.title,
                url: d.url,
            })
            .collect(),
    })
}

/// The documents in the index: their count, and each one's id, title and URL.
#[wasm_bindgen(js_name = corpusInfo, skip_typescript)]
pub fn corpus_info() -> Result<JsValue, JsError> {
    with_memory_index(corpus_info_of)?
}

/// [`corpus_info`] on a sharded index: fetches every text shard.
#[wasm_bindgen(js_name = corpusInfoSharded, skip_typescript)]
pub async fn corpus_info_sharded() -> Result<JsValue, JsError> {
    resolve(|index| {
        index.has_all_texts();
        corpus_info_of(index)
    })
    .await?
}

/// An integer from `min` to `max` (`name` says where, for the message);
/// `undefined` means "use the default".
fn integer_in(name: &str, value: &JsValue, min: u32, max: u32) -> Result<Option<usize>, JsError> {
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
