//! What only the indexer's sharded bundles need: an index whose files are
//! fetched as searches need them (the `sharded` feature; the other modules
//! carry none of it).

use std::collections::BTreeMap;

use engine::{Index, Manifest, ShardRef};
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::{
    corpus_info_of, js_number, search_arguments, suggest_arguments, to_js, Loaded, LOADED,
};

/// A search needs at most five rounds of fetches (`engine/src/shards.rs`);
/// more would be a bug, reported rather than looped on.
const MAX_ROUNDS: usize = 8;

/// A sharded index, and what it needs to fetch its files.
pub(crate) struct Sharded {
    pub(crate) index: Index<'static>,
    manifest: Manifest,
    /// The folder the manifest is in, ending in `/`.
    base_url: String,
    /// Fetches under way, shared by every search that needs the same file.
    in_flight: BTreeMap<ShardRef, Promise>,
}

/// Opens a sharded index: `manifest` is its manifest (`search.js` carries a
/// copy of `manifest.json`), found at `base_url` (which ends in `/`). `core`
/// is a Promise of the core file's Response, fetched by `search.js` while the
/// module compiled; if it is undefined, the core is fetched here. So is
/// `dictionary`, of the whole dictionary file, when the manifest says to
/// prefetch it (undefined otherwise, or to leave it to the searches).
#[wasm_bindgen(js_name = openSharded)]
pub async fn open_sharded(
    base_url: String,
    manifest: JsValue,
    core: JsValue,
    dictionary: JsValue,
) -> Result<(), JsError> {
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
    let response = if core.is_undefined() || core.is_null() {
        None
    } else {
        Some(Promise::resolve(&core))
    };
    let core = fetch_bytes(&core_url, manifest.core.bytes, None, response)
        .await
        .map_err(|e| JsError::new(&e))?;
    let mut index = Index::open_sharded(&manifest, &core, &mut inflate)
        .map_err(|e| file_error(&core_url, &e.message()))?;
    if multiplexed(&core_url) {
        index.set_parallel_requests(usize::MAX);
    }
    if manifest.prefetch_dictionary && !dictionary.is_undefined() && !dictionary.is_null() {
        let url = [base_url.as_str(), &manifest.dictionary_file.name].concat();
        let all = index.whole_dictionary();
        let bytes = fetch_bytes(
            &url,
            manifest.dictionary_file.bytes,
            index.byte_range(all),
            Some(Promise::resolve(&dictionary)),
        )
        .await
        .map_err(|e| JsError::new(&e))?;
        index
            .add_shard(all, &bytes, &mut inflate)
            .map_err(|e| file_error(&url, &e.error.message()))?;
    }
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

/// Whether the host answered `url` over HTTP/2 or 3, which run every request
/// of a round at once, as the browser's resource timing says. No entry (a
/// host of another origin that does not send `Timing-Allow-Origin`, or no
/// `performance`) counts as HTTP/1.1: requests are then planned in waves.
fn multiplexed(url: &str) -> bool {
    let Ok(performance) = js_sys::Reflect::get(&js_sys::global(), &"performance".into()) else {
        return false;
    };
    if !performance.is_object() {
        return false;
    }
    let performance: web_sys::Performance = performance.unchecked_into();
    performance.get_entries_by_name(url).iter().any(|entry| {
        let timing: web_sys::PerformanceResourceTiming = entry.unchecked_into();
        matches!(timing.next_hop_protocol().as_str(), "h2" | "h3")
    })
}

fn file_error(url: &str, message: &str) -> JsError {
    JsError::new(&["search index file ", url, ": ", message].concat())
}

/// Stored bytes read back: the indexer deflated them (indexer/src/bundle.rs).
/// They stay for the page's life, as the index borrows them. The limit only
/// stops data that inflates without end; no file comes near it.
fn inflate(stored: &[u8]) -> Option<&'static [u8]> {
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(stored, 1 << 30).ok()?;
    Some(Box::leak(bytes.into_boxed_slice()))
}

/// The bytes of `url`, a file of `file_bytes` bytes as stored, or with
/// `range` (start, length) only those: fetched with an HTTP range request,
/// and cut from the whole file if the host answers with it. Fetched here
/// unless `response` is a fetch of it already under way.
async fn fetch_bytes(
    url: &str,
    file_bytes: u32,
    range: Option<(u32, u32)>,
    response: Option<Promise>,
) -> Result<Vec<u8>, String> {
    let failed = |why: &str| ["could not load the search index file ", url, ": ", why].concat();
    let response = match response {
        Some(response) => response,
        None => {
            // `fetch` of whatever global scope this is: a window, a worker, or Node.
            let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
            match range {
                None => scope.fetch_with_str(url),
                Some((start, len)) => {
                    let headers = web_sys::Headers::new().map_err(|_| failed("no Headers"))?;
                    let last = js_number(f64::from(start + len - 1));
                    let value = ["bytes=", &js_number(f64::from(start)), "-", &last].concat();
                    headers
                        .set("Range", &value)
                        .map_err(|_| failed("no Range header"))?;
                    let init = web_sys::RequestInit::new();
                    init.set_headers(&headers);
                    scope.fetch_with_str_and_init(url, &init)
                }
            }
        }
    };
    let response = JsFuture::from(response).await.map_err(|_| {
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
    let mut stored = Uint8Array::new(&buffer).to_vec();
    // 206: the range asked for. 200: the whole file (a host without range
    // requests), of which the range is cut.
    let partial = response.status() == 206;
    let (expected, cut) = match range {
        Some((start, len)) if !partial => (file_bytes, Some((start, len))),
        Some((_, len)) => (len, None),
        None => (file_bytes, None),
    };
    if stored.len() != expected as usize {
        return Err(failed(
            &[
                "it has ",
                &js_number(stored.len() as f64),
                " bytes where the manifest says ",
                &js_number(f64::from(expected)),
                " (truncated, or from another build)",
            ]
            .concat(),
        ));
    }
    if let Some((start, len)) = cut {
        stored = stored[start as usize..(start + len) as usize].to_vec();
    }
    Ok(stored)
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
                    let file_bytes = entry.bytes;
                    let range = sharded.index.byte_range(shard);
                    let promise = future_to_promise(async move {
                        let result = fetch_bytes(&url, file_bytes, range, None).await;
                        LOADED
                            .with(|loaded| {
                                if let Some(Loaded::Sharded(sharded)) = &mut *loaded.borrow_mut() {
                                    sharded.in_flight.remove(&shard);
                                    match result {
                                        Ok(bytes) => sharded
                                            .index
                                            .add_shard(shard, &bytes, &mut inflate)
                                            .map_err(|e| {
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
                                            }),
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

/// [`search`] on a sharded index: a Promise of the same results.
#[wasm_bindgen(js_name = searchSharded, skip_typescript)]
pub async fn search_sharded(query: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let (query, options) = search_arguments(query, options)?;
    resolve(|index| to_js(&index.search(&query, &options))).await?
}

/// [`suggest`] on a sharded index.
#[wasm_bindgen(js_name = suggestSharded, skip_typescript)]
pub async fn suggest_sharded(text: JsValue, limit: JsValue) -> Result<JsValue, JsError> {
    let (text, limit) = suggest_arguments(text, limit)?;
    resolve(|index| to_js(&index.complete(&text, limit))).await?
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
