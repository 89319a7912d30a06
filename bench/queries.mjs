// The queries the benchmarks time, shared by bench/peers.mjs (the suite beside
// the peers) and bench/compare.mjs (builds of our module against each other).

/** The seeds: keyword queries and two questions a visitor might type. */
export const SEED_QUERIES = ['jewish labour', 'poale zion', 'witchhunt', 'antisemitism', 'labour party conference',
  'why should members not attend the training sessions', 'who organised the jewish labour movement in britain'];

/** Keyword queries a visitor would type: two longer words of each question. */
export function keywordQueries(questions) {
  return questions.map((q) => q.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 5).slice(0, 2).join(' '))
    .filter((q) => q.includes(' '));
}

/** A collection's first `count` questions as written, and a keyword query from each. */
export function questions(collection, count) {
  const asked = collection.queries.slice(0, count).map((q) => q.text);
  return [...asked, ...keywordQueries(asked)];
}

/**
 * How long a page runs its query list before it is timed. V8 runs wasm (and
 * JS) in a baseline tier until the hot code has been used a while: in a fresh
 * page our seed searches took 2 to 10 times their settled time for the first
 * 200 ms or so (BENCHMARKS.md, "Where a search's time goes").
 */
export const WARM_UP_MS = 1500;
