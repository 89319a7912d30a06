// What counting matches by filter value costs a search, natively: the same
// 20,000 generated pages (120 words of the seed texts each) indexed twice,
// once plain and once with filters (three tags of 200 and one category of 10
// per page: 80,000 page–value pairs) and a sort key, then the same queries
// timed on each with indexer/examples/search_latency. A site with filters
// has its matches counted by value on every search (`facets.rs`).
//
//   node bench/facets_latency.mjs        prints both timings, query by query
//
// Writes the corpora into target/bench/facets-{plain,filters}/ (about a minute).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const PAGES = 20_000;
const QUERIES = ['labour', 'jewish party', 'antisemitism', 'the', 'member', 'zion', 'history of the jews', 'lab'];

/** A small deterministic generator (mulberry32), so every run indexes the same pages. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seeds = join(root, 'seeds');
const words = readdirSync(seeds).sort().flatMap((name) => readFileSync(join(seeds, name), 'utf8').split(/\s+/).filter(Boolean));
for (const variant of ['plain', 'filters']) {
  const folder = join(root, 'target', 'bench', `facets-${variant}`);
  if (existsSync(join(folder, `p${PAGES - 1}.html`))) continue;
  mkdirSync(folder, { recursive: true });
  const next = random(7);
  for (let i = 0; i < PAGES; i++) {
    const at = Math.floor(next() * (words.length - 120));
    const tags = new Set();
    while (tags.size < 3) tags.add(Math.floor(next() * 200));
    const head = variant === 'plain' ? '' : [...tags].map((t) => `<meta data-site-search-filter="tag" content="t${t}">`).join('')
      + `<meta data-site-search-filter="category" content="c${i % 10}">`
      + `<meta data-site-search-sort="date" content="2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}">`;
    writeFileSync(join(folder, `p${i}.html`), `<!doctype html><html><head><title>${words.slice(at, at + 6).join(' ')}</title>${head}</head>`
      + `<body><main><p>${words.slice(at, at + 120).join(' ')}</p></main></body></html>`);
  }
}

const build = spawnSync('cargo', ['build', '--release', '-q', '-p', 'site-search-index', '--example', 'search_latency'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
for (const variant of ['plain', 'filters']) {
  console.log(`== ${variant}`);
  const run = spawnSync(join(root, 'target', 'release', 'examples', 'search_latency'), {
    cwd: root,
    env: { ...process.env, CORPUS: join(root, 'target', 'bench', `facets-${variant}`), QUERIES: QUERIES.join('|'), N: '300' },
    encoding: 'utf8',
  });
  process.stdout.write(run.stdout.split('\n').filter((line) => line.startsWith('"')).join('\n') + '\n');
  if (run.status !== 0) process.exit(1);
}
