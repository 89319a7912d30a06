//! What only the indexer's sharded bundles need: an index whose files are
//! fetched as searches need them (the `sharded` feature; the other modules
//! carry none of it).

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
    /// Fetches under way, shared by every search that needs the same file: a
    /// round's worth, so a list (a BTreeMap's code was 3 KB of the module).
    in_flight: Vec<(ShardRef, Promise)>,
    /// Whether a round asks for a file's parts in one request of several
    /// ranges: on HTTP/1.1, when the host answered `search.js`'s request for
    /// two ranges of the core with them (a host that ignores several ranges
    /// sends the whole file: a texts file is up to 256 KB), until a host
    /// answers one with the whole file after all.
    multiple_ranges: bool,
}

/// Opens a sharded index: `manifest` is its manifest (`search.js` carries a
/// copy of `manifest.json`), found at `base_url` (which ends in `/`). `core`
/// is a Promise of the core file's Response, fetched by `search.js` while the
/// module compiled; if it is undefined, the core is fetched here. So is
/// `dictionary`, of the whole dictionary file, when the manifest says to
/// prefetch it (undefined otherwise, or to leave it to the searches), and
/// `ranges`, of the core's bytes 0 and 2 asked as two ranges: whether the
/// host answers several ranges (undefined: not asked, as from another
/// origin, where several ranges need a preflight request).
#[wasm_bindgen(js_name = openSharded)]
pub async fn open_sharded(
    base_url: String,
    manifest: JsValue,
    core: JsValue,
    dictionary: JsValue,
    ranges: JsValue,
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
    let (mut core, _) = fetch_parts(&core_url, manifest.core.bytes, &[], response)
        .await
        .map_err(|e| JsError::new(&e))?;
    let core = core.pop().unwrap_or_default();
    let mut index = Index::open_sharded(&manifest, &core, &mut inflate)
        .map_err(|e| file_error(&core_url, &e.message()))?;
    // On HTTP/2 every request of a round goes at once; on HTTP/1.1 a file's
    // parts go as one request of several ranges. Either way no part is
    // merged with its neighbours across bytes the search does not need.
    let multiplexed = multiplexed(&core_url);
    let multiple_ranges = !multiplexed
        && !ranges.is_undefined()
        && !ranges.is_null()
        && fetch_parts(
            &core_url,
            manifest.core.bytes,
            &[(0, 1), (2, 1)],
            Some(Promise::resolve(&ranges)),
        )
        .await
        .is_ok_and(|(_, whole)| !whole);
    if multiple_ranges || multiplexed {
        index.set_parallel_requests(usize::MAX);
    }
    if manifest.prefetch_dictionary && !dictionary.is_undefined() && !dictionary.is_null() {
        let url = [base_url.as_str(), &manifest.dictionary_file.name].concat();
        let all = index.whole_dictionary();
        let range = index.byte_range(all);
        let (mut bytes, _) = fetch_parts(
            &url,
            manifest.dictionary_file.bytes,
            range.as_slice(),
            Some(Promise::resolve(&dictionary)),
        )
        .await
        .map_err(|e| JsError::new(&e))?;
        let bytes = bytes.pop().unwrap_or_default();
        index
            .add_shard(all, &bytes, &mut inflate)
            .map_err(|e| file_error(&url, &e.error.message()))?;
    }
    LOADED.with(|loaded| {
        *loaded.borrow_mut() = Some(Loaded::Sharded(Sharded {
            index,
            manifest,
            base_url,
            in_flight: Vec::new(),
            multiple_ranges,
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
/// They stay for the page's life, as the index borrows them.
fn inflate(stored: &[u8]) -> Option<&'static [u8]> {
    let bytes = engine::inflate::inflate(stored, engine::inflate::MAX_PART_BYTES)?;
    Some(Box::leak(bytes.into_boxed_slice()))
}

/// The bytes of `url`, a file of `file_bytes` bytes as stored: the whole
/// file if `ranges` is empty, else those ranges (start, length), each cut
/// from what the host sends (one range, several, or the whole file from a
/// host without range requests). Fetched here unless `response` is a fetch
/// of it already under way. Also says whether the host sent the whole file
/// when asked for ranges.
async fn fetch_parts(
    url: &str,
    file_bytes: u32,
    ranges: &[(u32, u32)],
    response: Option<Promise>,
) -> Result<(Vec<Vec<u8>>, bool), String> {
    let failed = |why: &str| ["could not load the search index file ", url, ": ", why].concat();
    let response = match response {
        Some(response) => response,
        None => {
            // `fetch` of whatever global scope this is: a window, a worker, or Node.
            let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
            if ranges.is_empty() {
                scope.fetch_with_str(url)
            } else {
                let mut value = String::from("bytes=");
                for (i, &(start, len)) in ranges.iter().enumerate() {
                    if i > 0 {
                        value.push(',');
                    }
                    value.push_str(&js_number(f64::from(start)));
                    value.push('-');
                    value.push_str(&js_number(f64::from(start + len - 1)));
                }
                let headers = web_sys::Headers::new().map_err(|_| failed("no Headers"))?;
                headers
                    .set("Range", &value)
                    .map_err(|_| failed("no Range header"))?;
                let init = web_sys::RequestInit::new();
                init.set_headers(&headers);
                scope.fetch_with_str_and_init(url, &init)
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
    let stored = Uint8Array::new(&buffer).to_vec();
    // 206: the ranges asked for. 200: the whole file.
    let partial = response.status() == 206;
    if !partial && stored.len() != file_bytes as usize {
        return Err(failed(
            &[
                "it has ",
                &js_number(stored.len() as f64),
                " bytes where the manifest says ",
                &js_number(f64::from(file_bytes)),
                " (truncated, or from another build)",
            ]
            .concat(),
        ));
    }
    if ranges.is_empty() {
        return Ok((vec![stored], false));
    }
    let content_range = response.headers().get("content-range").ok().flatten();
    let sent = match (partial, content_range, ranges) {
        (false, ..) => Some(vec![(0, stored.as_slice())]),
        // One range asked for and sent: a host of another origin may hide
        // its Content-Range (not a header scripts see without CORS's leave).
        (true, None, &[(start, _)]) => Some(vec![(start, stored.as_slice())]),
        (true, content_range, _) => engine::byteranges::parts(&stored, content_range.as_deref()),
    };
    let parts = sent
        .and_then(|sent| {
            ranges
                .iter()
                .map(|&(start, len)| engine::byteranges::cut(&sent, start, len).map(<[u8]>::to_vec))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| {
            failed("its answer to a range request is cut short or not the bytes asked for (truncated, or from another build)")
        })?;
    Ok((parts, !partial))
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

/// A part of a file a request fetches: a shard, and its range of the file
/// (start, length), or none for the whole file.
type Part = (ShardRef, Option<(u32, u32)>);

/// Fetches `shards` (those not already fetched or under way) and adds them.
/// With several ranges to a request, a file's parts go in one request.
async fn fetch_shards(shards: &[ShardRef]) -> Result<(), JsError> {
    let promises = LOADED.with(|loaded| {
        let mut loaded = loaded.borrow_mut();
        let Some(Loaded::Sharded(sharded)) = &mut *loaded else {
            return Ok(Array::new());
        };
        let promises = Array::new();
        // Requests to make: a file's name and size, and its parts with their ranges.
        let mut requests: Vec<(&str, u32, Vec<Part>)> = Vec::new();
        for &shard in shards {
            if sharded.index.has_shard(shard) {
                continue;
            }
            if let Some((_, promise)) = sharded.in_flight.iter().find(|(s, _)| *s == shard) {
                promises.push(promise);
                continue;
            }
            let entry = sharded.manifest.file(shard).ok_or_else(|| {
                JsError::new(
                    "internal error: the index asked for a file its manifest does not list",
                )
            })?;
            let range = sharded.index.byte_range(shard);
            let joined = sharded.multiple_ranges && range.is_some();
            match requests
                .iter_mut()
                .find(|(name, _, parts)| joined && *name == entry.name && parts[0].1.is_some())
            {
                Some((_, _, parts)) => parts.push((shard, range)),
                None => requests.push((&entry.name, entry.bytes, vec![(shard, range)])),
            }
        }
        for (name, file_bytes, parts) in requests {
            let url = [sharded.base_url.as_str(), name].concat();
            let promise = future_to_promise(fetch_request(url, file_bytes, parts.clone()));
            for (shard, _) in parts {
                sharded.in_flight.push((shard, promise.clone()));
            }
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

/// One request: `parts` of the file at `url` (each a shard and its range, or
/// the whole file), added to the index as they arrive.
async fn fetch_request(url: String, file_bytes: u32, parts: Vec<Part>) -> Result<JsValue, JsValue> {
    let ranges: Vec<(u32, u32)> = parts.iter().filter_map(|&(_, range)| range).collect();
    let result = fetch_parts(&url, file_bytes, &ranges, None).await;
    LOADED
        .with(|loaded| {
            let Some(Loaded::Sharded(sharded)) = &mut *loaded.borrow_mut() else {
                return Ok(());
            };
            sharded
                .in_flight
                .retain(|(s, _)| !parts.iter().any(|(p, _)| p == s));
            let (bytes, whole) = result?;
            if whole && ranges.len() > 1 {
                // A host without several ranges after all: merge close parts again.
                sharded.multiple_ranges = false;
                sharded
                    .index
                    .set_parallel_requests(engine::PARALLEL_REQUESTS);
            }
            for ((shard, _), bytes) in parts.iter().zip(bytes) {
                sharded
                    .index
                    .add_shard(*shard, &bytes, &mut inflate)
                    .map_err(|e| {
                        let url = sharded.manifest.file(e.shard).map_or(url.clone(), |f| {
                            [sharded.base_url.as_str(), &f.name].concat()
                        });
                        [
                            "search index file ",
                            &url,
                            " is unusable: ",
                            &e.error.message(),
                        ]
                        .concat()
                    })?;
            }
            Ok(())
        })
        .map(|()| JsValue::UNDEFINED)
        .map_err(|message: String| JsError::new(&message).into())
}

/// [`search`] on a sharded index: a Promise of the same results.
#[wasm_bindgen(js_name = searchSharded, skip_typescript)]
pub async fn search_sharded(query: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let arguments = search_arguments(query, options)?;
    resolve(|index| {
        let options = arguments.options(index);
        #[cfg(feature = "facets")]
        crate::facets::check(index, &options)?;
        to_js(&crate::linked(
            index.search(&arguments.query(index), &options),
        ))
    })
    .await?
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
