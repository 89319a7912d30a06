// The built module (dist/search) loaded in Node, as a site's own script would use it.
// Run `make build` first (`make test` does).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { HOSTILE_QUERIES } from './hostile_queries.mjs';

const pkg = new URL('../dist/search/', import.meta.url);
const { default: init, search, suggest, corpusInfo } = await import(new URL('search.js', pkg));

before(async () => {
  await init({ module_or_path: await readFile(new URL('engine_bg.wasm', pkg)) });
});

const SEEDS = ['000_2cd94087f88d64ec.txt', '003_b838cff0455367c0.txt', '004_478de67479f4dbbd.txt'];

test('corpusInfo describes the seed corpus', () => {
  const info = corpusInfo();
  assert.equal(info.count, 3);
  assert.deepEqual(info.documents.map((d) => d.id), SEEDS);
  assert.equal(info.documents[2].title.slice(0, 40), 'Yesterday saw the inaugural one-day conf');
  // make build links into dist/docs/, where it copies the corpus.
  assert.deepEqual(info.documents.map((d) => d.url), SEEDS.map((id) => `docs/${id}`));
});

test('phrases only one seed contains find that seed first', () => {
  // (query, the seed that alone contains all its words)
  const cases = [
    ['Poale Zion', '004_478de67479f4dbbd.txt'],
    ['Kenneth Stern', '000_2cd94087f88d64ec.txt'],
    ['monitoring centre', '003_b838cff0455367c0.txt'],
    ['Jeremy Newmark', '004_478de67479f4dbbd.txt'],
  ];
  for (const [query, id] of cases) {
    const { total, hits } = search(query, { limit: 10, offset: 0 });
    assert.ok(total >= 1, query);
    assert.equal(hits[0].id, id, query);
    assert.equal(hits[0].url, `docs/${id}`);
    assert.ok(hits[0].score > 0 && Number.isFinite(hits[0].score));
  }
  // A finished word (a space after it) is not extended as a prefix: only the one seed.
  assert.deepEqual(search('Poale Zion ', {}).hits.map((h) => h.id), ['004_478de67479f4dbbd.txt']);
});

test('result shape and highlights as UTF-16 offsets', () => {
  const result = search('jewish labour', { limit: 10, offset: 0 });
  assert.equal(result.total, 3);
  assert.deepEqual(Object.keys(result).sort(), ['didYouMean', 'hits', 'total']);
  assert.equal(result.didYouMean, null);
  for (const hit of result.hits) {
    assert.deepEqual(Object.keys(hit).sort(), ['excerpt', 'highlights', 'id', 'score', 'sections', 'title', 'titleHighlights', 'url']);
    assert.ok(hit.highlights.length > 0, hit.excerpt);
    for (const [start, end] of hit.highlights) {
      assert.match(hit.excerpt.slice(start, end).toLowerCase(), /^(jewish|labour)/, hit.excerpt);
    }
    for (const [start, end] of hit.titleHighlights) {
      assert.match(hit.title.slice(start, end).toLowerCase(), /^(jewish|labour)/, hit.title);
    }
  }
  // Two seeds' titles have the words (both long, cut between words): marked there.
  const titled = result.hits.filter((hit) => hit.titleHighlights.length > 0);
  assert.equal(titled.length, 2, JSON.stringify(result.hits.map((h) => [h.title, h.titleHighlights])));
  assert.ok(result.hits.some((hit) => hit.title.endsWith('…') && hit.title.length <= 80), 'a long title is cut');
  // Curly quotes and dashes before a match shift nothing: slice finds the word.
  const { hits } = search('monitoring', {});
  const [start, end] = hits[0].highlights[0];
  assert.equal(hits[0].excerpt.slice(start, end), 'monitoring');
});

test('search as you type: the last word matches as a prefix', () => {
  assert.equal(search('jew', {}).total, 3);
  assert.equal(search('newm', {}).hits[0].id, '004_478de67479f4dbbd.txt');
  assert.equal(search('zzzz', {}).total, 0);
});

test('paging with limit and offset', () => {
  const all = search('labour', { limit: 10 }).hits.map((h) => h.id);
  assert.equal(all.length, 3);
  assert.deepEqual(search('labour', { limit: 1, offset: 1 }).hits.map((h) => h.id), [all[1]]);
  assert.deepEqual(search('labour', { limit: 2, offset: 2 }).hits.map((h) => h.id), [all[2]]);
  assert.deepEqual(search('labour', { offset: 5 }).hits, []);
  assert.equal(search('labour', { limit: 0 }).total, 3);
  assert.equal(search('labour').hits.length, 3, 'options are optional');
});

test('bad arguments throw an Error that says what was expected, and search goes on', () => {
  const cases = [
    [() => search(42, {}), /query must be a string, got number/],
    [() => search(undefined), /query must be a string, got undefined/],
    [() => search(null), /query must be a string, got null/],
    [() => search('x', 'fast'), /options must be an object/],
    [() => search('x', [1]), /options must be an object.*got an array/],
    [() => search('x', { limit: -1 }), /options.limit must be an integer from 0 to 1000/],
    [() => search('x', { limit: 1.5 }), /options.limit must be an integer/],
    [() => search('x', { limit: 5000 }), /options.limit must be an integer from 0 to 1000/],
    [() => search('x', { limit: NaN }), /options.limit/],
    [() => search('x', { offset: -3 }), /options.offset must be an integer/],
    [() => search('x', { limt: 10 }), /unknown option `limt`; the options are limit, offset, minCharsForOneTypo, minCharsForTwoTypos and language/],
    [() => search('x', { minCharsForOneTypo: 0 }), /options.minCharsForOneTypo must be an integer from 1 to 1000, got 0$/],
    [() => search('x', { minCharsForTwoTypos: 'many' }), /options.minCharsForTwoTypos must be an integer from 1 to 1000, got string$/],
    [() => suggest(7), /suggest\(text, limit\): text must be a string, got number/],
    [() => suggest('lab', 101), /suggest\(text, limit\): limit must be an integer from 0 to 100, got 101/],
    [() => search('x', { limit: 2.5 }), /got 2\.5$/],
    [() => search('x', { limit: '10' }), /got string$/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (error) => error instanceof Error && message.test(error.message), String(message));
    assert.equal(search('Poale', {}).hits[0].id, '004_478de67479f4dbbd.txt', 'still answers after an error');
  }
});

test('hostile queries return a result, never a crash', () => {
  for (const [label, query] of HOSTILE_QUERIES) {
    const result = search(query, {});
    assert.ok(Number.isInteger(result.total) && Array.isArray(result.hits), label);
    assert.ok(Array.isArray(suggest(query, 10)), label);
  }
  // Documented answers (engine/src/query.rs): no words, or only operators, match nothing;
  // an unclosed quote is a phrase being typed.
  for (const label of ['empty', 'whitespace only', 'a lone quote', 'a lone minus', 'OR alone', 'operators only', 'NUL']) {
    const query = HOSTILE_QUERIES.find(([l]) => l === label)[1];
    assert.equal(search(query, {}).total, 0, label);
  }
  assert.ok(search('"jewish lab', {}).total > 0, 'an unclosed quote is a phrase being typed');
  assert.equal(search('Poale', {}).hits[0].id, '004_478de67479f4dbbd.txt');
});

test('typos, phrases, exclusions and OR', () => {
  // (query, the seeds found, in order)
  const cases = [
    ['Nationbulder ', ['003_b838cff0455367c0.txt']],
    ['antisemet', ['003_b838cff0455367c0.txt', '000_2cd94087f88d64ec.txt']],
    ['"Poale Zion"', ['004_478de67479f4dbbd.txt']],
    ['Poale OR Newmark ', ['004_478de67479f4dbbd.txt', '003_b838cff0455367c0.txt']],
    ['labour -Poale ', ['000_2cd94087f88d64ec.txt', '003_b838cff0455367c0.txt']],
  ];
  for (const [query, ids] of cases) {
    assert.deepEqual(search(query).hits.map((h) => h.id), ids, query);
  }
  const { hits, didYouMean } = search('Nationbulder ');
  assert.equal(didYouMean, 'nationbuilder ');
  assert.ok(hits[0].highlights.some(([s, e]) => hits[0].excerpt.slice(s, e) === 'Nationbuilder'));
  // The thresholds are options: with typos only from 20 characters, the misspelling finds nothing.
  assert.equal(search('Nationbulder ', { minCharsForOneTypo: 20, minCharsForTwoTypos: 20 }).total, 0);
});

test('suggest completes the last word, most documents first', () => {
  const completions = suggest('jewish lab', 3);
  assert.ok(completions.length >= 1 && completions.length <= 3);
  assert.deepEqual(Object.keys(completions[0]).sort(), ['documents', 'query', 'word']);
  assert.equal(completions[0].word, 'labour');
  assert.equal(completions[0].query, 'jewish labour');
  assert.equal(completions[0].documents, 3);
  assert.deepEqual(suggest('jewish lab '), [], 'a space ends the word');
  assert.equal(suggest('jew').length <= 10, true, 'the default limit is 10');
});
