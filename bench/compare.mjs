// Two or more builds of the module, timed against each other in one Chromium:
// the way to tell whether an engine change made search faster on this VM,
// whose speed drifts by a third between minutes (BENCHMARKS.md). Each build
// gets its own page; rounds alternate between the pages, so a slow spell
// falls on every build alike.
//
//   node bench/compare.mjs [--queries seeds|cranfield|cisi|FILE] [--rounds N] DIST_A DIST_B ...
//
// Each DIST is a folder `make build DIST=...` wrote (build each version with the
// same SEARCH_CORPUS). FILE holds one query per line. Prints, per build, the
// median and p95 over the queries of each query's median time per search
// (`search(query, { limit: 10 })`, result objects included).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium.mjs';
import { COLLECTIONS } from './relevance.mjs';
import { SEED_QUERIES, WARM_UP_MS, questions } from './queries.mjs';

function usage(message) {
  console.error(`bench/compare.mjs: ${message}
usage: node bench/compare.mjs [--queries seeds|cranfield|cisi|FILE] [--rounds N] DIST_A DIST_B ...`);
  process.exit(2);
}

const args = process.argv.slice(2);
let queryList = 'seeds';
let rounds = 9;
const dists = [];
while (args.length > 0) {
  const arg = args.shift();
  if (arg === '--queries') queryList = args.shift() ?? usage('--queries needs a value');
  else if (arg === '--rounds') {
    rounds = Number(args.shift());
    if (!Number.isInteger(rounds) || rounds < 1) usage('--rounds must be a whole number ≥ 1');
  } else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
  else dists.push(resolve(arg));
}
if (dists.length < 1) usage('give at least one build folder');
for (const dist of dists) {
  if (!existsSync(join(dist, 'search', 'search.js'))) usage(`${dist} has no search/search.js: build it with \`make build DIST=${dist}\``);
}

if (queryList !== 'seeds' && !(queryList in COLLECTIONS) && !existsSync(queryList)) {
  usage(`--queries: ${queryList} is neither seeds, cranfield, cisi nor a file`);
}
// The same queries the side-by-side suite times (bench/peers.mjs).
const queries = queryList === 'seeds' ? SEED_QUERIES
  : queryList in COLLECTIONS ? questions(COLLECTIONS[queryList](), 20)
  : readFileSync(queryList, 'utf8').split('\n').map((q) => q.trim()).filter(Boolean);

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const servers = [];
try {
  const pages = [];
  for (const dist of dists) {
    const server = await serve(dist, { port: 0 });
    servers.push(server);
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/api.html`);
    await page.evaluate(async ({ queries, warmUpMs }) => {
      const module = await import('./search/search.js');
      await module.default();
      window.timedSearch = module.search;
      // Timed before V8 has optimised the module, it would measure the tier-up.
      const start = performance.now();
      while (performance.now() - start < warmUpMs) for (const query of queries) module.search(query, { limit: 10 });
    }, { queries, warmUpMs: WARM_UP_MS });
    pages.push(page);
  }
  const times = dists.map(() => queries.map(() => []));
  for (let round = 0; round < rounds; round++) {
    for (let d = 0; d < dists.length; d++) {
      // Only the page in front runs at full speed: the others are background
      // tabs, and without this the build listed first was timed a third slower.
      await pages[d].bringToFront();
      // Each query's mean over about 3 ms of calls (browser timers are coarse).
      const means = await pages[d].evaluate((queries) => queries.map((query) => {
        const start = performance.now();
        let calls = 0;
        while (performance.now() - start < 3) {
          window.timedSearch(query, { limit: 10 });
          calls++;
        }
        return ((performance.now() - start) / calls) * 1000;
      }), queries);
      means.forEach((mean, q) => times[d][q].push(mean));
    }
  }
  const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`${queries.length} queries (${queryList}), ${rounds} rounds, builds interleaved; µs per search`);
  for (let d = 0; d < dists.length; d++) {
    const perQuery = times[d].map(median).sort((a, b) => a - b);
    const p95 = perQuery[Math.ceil(perQuery.length * 0.95) - 1];
    console.log(`  ${dists[d]}: median ${median(perQuery).toFixed(1)}, p95 ${p95.toFixed(1)}`);
  }
  // Each query's median per build, for telling where a change helped.
  console.log(`\n| query | ${dists.map((_, d) => String.fromCharCode(65 + d)).join(' | ')} |`);
  console.log(`|---|${dists.map(() => '---|').join('')}`);
  queries.forEach((query, q) => {
    console.log(`| ${query.length > 40 ? `${query.slice(0, 39)}…` : query} | ${times.map((build) => median(build[q]).toFixed(1)).join(' | ')} |`);
  });
  console.log(dists.map((dist, d) => `${String.fromCharCode(65 + d)}: ${dist}`).join('\n'));
} finally {
  await browser.close();
  for (const server of servers) server.close();
}
