// The search API a page imports: init(), search(), suggest(), corpusInfo().
// Declared in search.d.ts. Everything is found relative to this file's own
// URL, so the folder works wherever it is copied.
//
// The index is in one of two places, which this file hides:
// - embedded: inside the engine's wasm module (compiled in by `make build`,
//   or in the module's "site-search-index" custom section, written by the
//   indexer). search() and the others return their results directly.
// - sharded: in the index/ files beside it (listed in manifest.json), fetched as
//   searches need them (whole, or a part by HTTP range request). search() and
//   the others return Promises; each file or part is fetched once, even for
//   concurrent searches, and kept for the page's life.
// `await` works on both, so code written for the sharded mode runs on either.
import initEngine, * as engine from './engine.js';

// In a sharded bundle the indexer writes the index's manifest here (a copy of
// manifest.json, saving its round trip; this file is not minified).
const SHARDED = null;
// Where the site's root is from this file (`'../'` for a bundle in the site's
// search/ folder), written by the indexer when links are the pages' paths
// from the root: results' links are made absolute against it, so they work
// wherever the site is served and from any page. null: links as indexed.
const SITE_ROOT = null;

const INDEX_SECTION = 'site-search-index';
const WASM_URL = new URL('./engine_bg.wasm', import.meta.url);

let loading = null;

/**
 * Loads the engine and the index (once; later calls return the same Promise,
 * and after a failure the next call tries again). `module_or_path` may be the
 * wasm's bytes, a URL, a Response or a Promise of one (in Node: the bytes).
 */
export default function init(options = {}) {
  loading ??= load(options ?? {}).catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}

async function load({ module_or_path: source = WASM_URL }) {
  const early = SHARDED && prefetch(SHARDED);
  const module = await compile(await source);
  await initEngine({ module_or_path: module });
  if (SITE_ROOT !== null) engine.setLinkBase(new URL(SITE_ROOT, import.meta.url).href);
  const [index] = WebAssembly.Module.customSections(module, INDEX_SECTION);
  if (index) engine.loadIndex(new Uint8Array(index));
  else if (SHARDED) {
    await engine.openSharded(new URL('.', import.meta.url).href, SHARDED, early.core, early.dictionary, early.ranges);
  } else if (!engine.hasIndex()) throw new Error('this search module has no index: rebuild the search folder');
}

/**
 * What a sharded index fetches side by side with the module: its core, a
 * small dictionary (the manifest says whether to), and whether the host
 * answers several ranges in one request (a search's round then asks each
 * file's parts at once): two bytes of the core, asked as two ranges. Only
 * from the page's own origin: across origins several ranges are not a simple
 * request, and need a preflight. (A function of its own, so that an embedded
 * bundle's copy of this file, built with SHARDED null, leaves it out.)
 */
function prefetch(manifest) {
  const coreUrl = new URL(manifest.core.name, import.meta.url);
  const early = {
    core: fetch(coreUrl),
    dictionary: manifest.prefetchDictionary
      ? fetch(new URL(manifest.dictionaryFile.name, import.meta.url)) : undefined,
    ranges: globalThis.location?.origin === coreUrl.origin
      ? fetch(coreUrl, { headers: { Range: 'bytes=0-0,2-2' } }) : undefined,
  };
  // Reported when openSharded reads them, not as unhandled rejections.
  for (const response of Object.values(early)) response?.catch(() => {});
  return early;
}

/** A WebAssembly.Module from bytes, a URL, or a Response. */
async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL) source = await fetch(source);
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) throw new Error(`could not load the search engine ${source.url}: HTTP ${source.status}`);
    // Streaming needs the server to say application/wasm; the bytes do not.
    if (source.headers.get('content-type')?.startsWith('application/wasm')) {
      return WebAssembly.compileStreaming(source);
    }
    source = await source.arrayBuffer();
  }
  return WebAssembly.compile(source);
}

/** Whether the index is sharded (search() and the others then return Promises). */
export function isSharded() {
  return SHARDED !== null;
}

/** Ranked hits for `query`: `{ total, hits, didYouMean }`, or a Promise of it when sharded. */
export function search(query, options) {
  return SHARDED ? engine.searchSharded(query, options) : engine.search(query, options);
}

/** Completions of the last word of `text`, or a Promise of them when sharded. */
export function suggest(text, limit) {
  return SHARDED ? engine.suggestSharded(text, limit) : engine.suggest(text, limit);
}

/** `{ count, documents }`, or a Promise of it when sharded (which fetches every text shard). */
export function corpusInfo() {
  return SHARDED ? engine.corpusInfoSharded() : engine.corpusInfo();
}
