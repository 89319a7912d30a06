// The search API (search.js). In a sharded bundle, search, suggest and
// corpusInfo return Promises of what they return directly in an embedded one;
// `await` works on both.

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
  /**
   * The language the query is written in, a tag like `"fr"` or `"pt-BR"` (the widget passes its page's
   * `lang`). On a site in several languages that has pages in it, the query's words are stemmed as those
   * pages' were and the results are narrowed to them (unless `filters` names `language` itself); otherwise
   * the words are read in each of the site's languages and every page can match. A bundle of a site in one
   * language stemmed as English ignores it.
   */
  language?: string;
  /**
   * Only pages whose filter values meet every key's condition: a value (the page has it), a list (it has every
   * one), or `{ any, all, not }`, each a value or a list: `{ tag: { any: ["rust", "wasm"], not: "old" } }`.
   * An unknown value matches nothing; a key no page sets throws (the message lists the site's keys). With
   * filters (or a sort) and a query of no words, every page they let through is listed.
   * Unknown (it throws) to a module built without them: a site whose pages set no metadata, filters or sort
   * values, and `make build`'s seeds module.
   */
  filters?: Record<string, FilterCondition>;
  /** Order by a sort key's values instead of relevance, `{ date: "desc" }`: pages without a value last, ties by relevance. */
  sort?: Record<string, "asc" | "desc">;
}

export type FilterCondition =
  | string
  | string[]
  | { any?: string | string[]; all?: string | string[]; not?: string | string[] };

/** One matching document. */
export interface SearchHit {
  /** The document's path relative to the site's folder, `/`-separated. */
  id: string;
  /** The page's title; one of over 80 characters is cut between words, `…` added. */
  title: string;
  /** Where the result links to: the base URL (set when indexing) + the percent-encoded id (without a base URL,
   * absolute from the site's root, which the bundle finds from its own URL), with the anchor of
   * the section the excerpt is in (`#id`, or a `#:~:text=` fragment) when the page has headings and that is
   * not its opening. */
  url: string;
  /** Relevance; higher is better. Only comparable within one result list. */
  score: number;
  /** About 30 words around the densest cluster of matches (the title when the body has none); `…` marks a cut. */
  excerpt: string;
  /** Matched words in `excerpt` as [start, end) UTF-16 offsets, so `excerpt.slice(start, end)` is the word. */
  highlights: [number, number][];
  /** Matched words in `title`, the same way. */
  titleHighlights: [number, number][];
  /** The page's sections that answer, at most 3: the one `url` lands on (with this hit's excerpt), then others
   * whose headings hold the query's words, in the page's order; empty for a page without headings, or when the
   * excerpt is from its opening and no other heading matches. */
  sections: SearchSection[];
  /** What the page says of itself: `description`, `image` (a URL, resolved as `url` is), or any key the site sets.
   * Absent when no page of the site sets any (its module leaves metadata, filters and sort out). */
  meta?: Record<string, string>;
}

/** A section of a page (from one of its headings to the next). */
export interface SearchSection {
  /** Its heading. */
  title: string;
  /** The page's URL with the section's anchor. */
  url: string;
  /** About 30 words of it around the matches (from its heading on, for the sections after the first). */
  excerpt: string;
  highlights: [number, number][];
}

export interface SearchResult {
  /** Number of matching documents, over all pages. */
  total: number;
  hits: SearchHit[];
  /** The query with misspelt words corrected, when some words match nothing exactly and the correction finds documents with every word; else null. */
  didYouMean: string | null;
  /** Only when the site has filters: per filter, per value, how many of the `total` matches have it (0 included). */
  filters?: Record<string, Record<string, number>>;
  /** The same over the matches before `options.filters`. */
  totalFilters?: Record<string, Record<string, number>>;
  /** Only when the site has filters: how many pages match before `options.filters`. */
  unfilteredTotal?: number;
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

export interface InitOptions {
  /** The engine's wasm: its bytes, a URL, a Response or a Promise of one. Default: engine_bg.wasm beside search.js. */
  module_or_path?: BufferSource | URL | string | Response | Promise<Response> | WebAssembly.Module;
}

/** Loads the engine and the index; call (and await) before anything else. Rejects with an Error naming what could not be loaded. */
export default function init(options?: InitOptions): Promise<void>;

/** Whether the index is sharded: then search, suggest and corpusInfo return Promises. */
export function isSharded(): boolean;

/**
 * Ranked hits for `query`, with excerpts and highlight ranges.
 * Throws (sharded: rejects with) an Error if `query` is not a string, or
 * `options` is not an object of known options with integer values in range;
 * when sharded, also if a file of the index cannot be loaded or is corrupt
 * (the message names it). The next search works either way.
 */
export function search(query: string, options?: SearchOptions): SearchResult | Promise<SearchResult>;

/**
 * Completions of the last word of `text` (when nothing follows it), the words
 * most documents contain first: at most `limit` (default 10, at most 100).
 */
export function suggest(text: string, limit?: number): Suggestion[] | Promise<Suggestion[]>;

/** Every document's id, title and URL (sharded: fetches every text shard). */
export function corpusInfo(): CorpusInfo | Promise<CorpusInfo>;
