// Search latency by kind of query, in headless Chromium, with the 1,400
// Cranfield abstracts (../shared/ir) embedded as the corpus: exact words,
// a word being typed (prefix), a misspelt word (typo) and a quoted phrase.
//
//   make bench-queries (or node bench/query_kinds.mjs)   print the table and write it into BENCHMARKS.md
//   node bench/query_kinds.mjs --print   print only
//
// It builds the module for that corpus into target/bench-cranfield/ with
// `make build`, so it takes a minute or two. Each kind has one query per
// Cranfield question (the first 100), made from the question's own words; each
// query is timed as the mean of a loop (browser timers are coarse), in rounds
// with the queries interleaved, and its latency is the median of its rounds.
// The table gives, per kind, the median and the p95 over the queries.
// A second table times each hostile query of tests/hostile_queries.mjs the
// same way (fewer runs: some are 100 KB long), to show that the work is bounded.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium.mjs';
import { COLLECTIONS, writeCorpus } from './relevance.mjs';
import { writeSection } from './benchmarks_md.mjs';
import { HOSTILE_QUERIES } from '../tests/hostile_queries.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'target', 'bench-cranfield');
const QUESTIONS = 100;
const ROUNDS = 15;
const LOOP = 20;

// Words too common to make a query of.
const SKIP = new Set(['which', 'there', 'their', 'these', 'where', 'about', 'should', 'would', 'could', 'being',
  'other', 'given', 'available', 'obtained', 'papers', 'problem', 'problems', 'methods', 'method']);

// Question words, which a quoted phrase would not start or end with.
const STOP = new Set(['what', 'when', 'have', 'been', 'with', 'from', 'that', 'this', 'does', 'into', 'than', 'they',
  'were', 'will', 'some', 'such', 'also', 'only', 'made', 'much', 'very', 'more', 'most', 'there', 'which']);

/** One query of each kind per question, from its first two longer words and its first two neighbouring content words. */
export function queriesByKind(questions) {
  const kinds = { exact: [], prefix: [], typo: [], phrase: [] };
  for (const text of questions) {
    const words = text.toLowerCase().split(/[^a-z]+/).filter(Boolean);
    const long = words.filter((w) => w.length >= 5 && !SKIP.has(w));
    if (long.length < 2) continue;
    const [first, second] = long;
    kinds.exact.push(`${first} ${second} `);
    // The second word being typed, three letters in: the widest prefixes a visitor sees.
    kinds.prefix.push(`${first} ${second.slice(0, 3)}`);
    // Two letters swapped in the middle of the second word: one typo.
    const i = Math.floor(second.length / 2);
    kinds.typo.push(`${first} ${second.slice(0, i - 1)}${second[i]}${second[i - 1]}${second.slice(i + 1)} `);
    // Two neighbouring content words, as a visitor would quote them (`"heat transfer"`).
    const content = (w) => w !== undefined && w.length >= 4 && !SKIP.has(w) && !STOP.has(w);
    const pair = words.findIndex((w, k) => content(w) && content(words[k + 1]));
    if (pair >= 0) kinds.phrase.push(`"${words[pair]} ${words[pair + 1]}"`);
  }
  return kinds;
}

function build(corpusDir) {
  const result = spawnSync('make', ['--no-print-directory', 'build', `DIST=${dist}`, `SEARCH_CORPUS=${corpusDir}`], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error('make build for the Cranfield corpus failed (see above)');
}

/** In the page: each query's latency in µs, the median over `rounds` of the mean of `loop` runs, interleaved. */
async function timeQueries(page, queries, rounds, loop) {
  return page.evaluate(
    async ({ queries, rounds, loop }) => {
      const { search } = await import('./search/search.js');
      for (const query of queries) for (let i = 0; i < 3; i++) search(query, { limit: 10 }); // warm up
      const means = queries.map(() => []);
      for (let r = 0; r < rounds; r++) {
        queries.forEach((query, q) => {
          const t0 = performance.now();
          for (let i = 0; i < loop; i++) search(query, { limit: 10 });
          means[q].push(((performance.now() - t0) / loop) * 1000);
        });
      }
      return queries.map((query, q) => {
        const { total } = search(query, { limit: 10 });
        return { total, micros: means[q].sort((a, b) => a - b)[Math.floor(rounds / 2)] };
      });
    },
    { queries, rounds, loop },
  );
}

async function measure(kinds) {
  const server = await serve(dist, { port: 0 });
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(base);
    await page.evaluate(async () => {
      const { default: init } = await import('./search/search.js');
      await init();
    });
    const all = Object.entries(kinds).flatMap(([kind, queries]) => queries.map((query) => ({ kind, query })));
    const timed = await timeQueries(page, all.map(({ query }) => query), ROUNDS, LOOP);
    const results = all.map((row, q) => ({ ...row, ...timed[q] }));
    const hostile = await timeQueries(page, HOSTILE_QUERIES.map(([, query]) => query), 5, 3);
    return { results, hostile, version: browser.version() };
  } finally {
    await browser.close();
    server.close();
  }
}

function table(results, hostile, version) {
  const percentile = (values, p) => values[Math.min(values.length - 1, Math.ceil(values.length * p) - 1)];
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0].model.trim()}, Chromium ${version}: `
      + `Cranfield's 1,400 documents embedded, limit 10 with excerpts.`,
    '',
    '| kind | example | queries | with hits | median µs | p95 µs | slowest µs |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const kind of ['exact', 'prefix', 'typo', 'phrase']) {
    const rows = results.filter((r) => r.kind === kind);
    const micros = rows.map((r) => r.micros).sort((a, b) => a - b);
    const slowest = rows.reduce((a, b) => (b.micros > a.micros ? b : a));
    lines.push(
      `| ${kind} | \`${rows[0].query.trim()}\` | ${rows.length} | ${rows.filter((r) => r.total > 0).length} | `
        + `${percentile(micros, 0.5).toFixed(0)} | ${percentile(micros, 0.95).toFixed(0)} | `
        + `${slowest.micros.toFixed(0)} (\`${slowest.query.trim()}\`) |`,
    );
  }
  lines.push(
    '',
    'Hostile queries (tests/hostile_queries.mjs) on the same index: the work is bounded by the caps in '
      + 'engine/src/query.rs (the first 8 KB read, 1,024 words of it, 64 kept) and engine/src/search.rs.',
    '',
    '| query | length (UTF-16 units) | results | µs |',
    '|---|---|---|---|',
  );
  HOSTILE_QUERIES.forEach(([label, query], q) => {
    lines.push(`| ${label} | ${query.length.toLocaleString('en')} | ${hostile[q].total} | ${hostile[q].micros.toFixed(0)} |`);
  });
  return lines.join('\n');
}

const START = '<!-- query-kinds:start (written by `node bench/query_kinds.mjs`) -->';
const END = '<!-- query-kinds:end -->';

async function main() {
  const collection = COLLECTIONS.cranfield();
  const { dir } = writeCorpus(collection);
  build(dir);
  const kinds = queriesByKind(collection.queries.slice(0, QUESTIONS).map((q) => q.text));
  const { results, hostile, version } = await measure(kinds);
  const report = table(results, hostile, version);
  console.log(report);
  if (!process.argv.includes('--print')) {
    writeSection(START, END, report);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
