// Builds the serialized index a static site would ship for one JS peer, as
// its docs recommend: MiniSearch 7.2.0 (`JSON.stringify(miniSearch)`, loaded
// with `MiniSearch.loadJSON`) or lunr 2.3.9 (`JSON.stringify(idx)`, loaded
// with `lunr.Index.load`; titles and links beside it, since lunr stores no
// fields). Run as its own process by bench/peers.mjs, so that its time and
// peak memory are the index build's alone.
//
//   node bench/peers/build_index.mjs minisearch|lunr DOCS_JSON OUT_JSON
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import lunr from 'lunr';
import MiniSearch from 'minisearch';

// The options both the build and the page use: title and text searched,
// title and link stored for the results list (MiniSearch's loadJSON needs them again).
export const MINISEARCH_OPTIONS = { fields: ['title', 'text'], storeFields: ['title', 'url'] };

// MiniSearch's search options nearest to how ours matches: typos (an edit
// distance of a fifth of each word's length, the value of MiniSearch's README)
// and prefixes. MiniSearch takes every word as a prefix, where ours takes only
// the word being typed. Timed beside the peers, and ranked by bench/relevance.mjs.
export const MINISEARCH_LIKE_OURS = { prefix: true, fuzzy: 0.2 };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [engine, docsPath, outPath] = process.argv.slice(2);
  const docs = JSON.parse(readFileSync(docsPath, 'utf8'));
  let json;
  if (engine === 'minisearch') {
    const index = new MiniSearch(MINISEARCH_OPTIONS);
    index.addAll(docs.map((doc, id) => ({ id, title: doc.title, text: doc.text, url: doc.url })));
    json = JSON.stringify(index);
  } else if (engine === 'lunr') {
    const index = lunr(function () {
      this.ref('id');
      this.field('title');
      this.field('text');
      docs.forEach((doc, id) => this.add({ id, title: doc.title, text: doc.text }));
    });
    json = JSON.stringify({ index, documents: docs.map((doc) => [doc.title, doc.url]) });
  } else {
    console.error(`build_index: unknown engine \`${engine}\`; use minisearch or lunr`);
    process.exit(1);
  }
  writeFileSync(outPath, json);
}
