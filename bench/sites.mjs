// Real HTML sites from two generators, checked as a visitor meets them:
// Python's documentation (Sphinx; Debian's python3-doc) and PostgreSQL's
// manual (DocBook; Debian's postgresql-doc-15), both installed here if
// missing. Each is indexed by site-search-index, served, and searched through
// the JS API in Chromium; for every hit of the queries below it checks:
//   - the link resolves: its page is a file of the site, and its anchor an
//     id (or name) on that page, or a text fragment;
//   - the hit links to a section (an anchor) or to its page's opening;
//   - the excerpt shows no navigation chrome (`Prev`, `Next`, `Up`, `Home`
//     as a run of words, Sphinx's `previous |`/`next |`/`index`, `Show Source`);
//   - the title carries no site suffix (` — Python 3.x documentation`).
//
//   node bench/sites.mjs            print the table and write it into BENCHMARKS.md
//   node bench/sites.mjs --print    print only
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium.mjs';
import { writeSection } from './benchmarks_md.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'target', 'sites');
const INDEXER = join(root, 'target', 'release', 'site-search-index');

const SITES = [
  {
    name: "Python's documentation (Sphinx)",
    package: 'python3-doc',
    dir: '/usr/share/doc/python3/html',
    queries: ['list comprehension', 'asyncio gather', 'dictionary methods', 'open a file', 'string format',
      'exception handling', 'subprocess run', 'regular expression', 'json loads', 'datetime timezone', 'pathlib',
      'decorator', 'generator expression', 'class inheritance', 'unittest mock', 'logging configuration'],
    suffix: / — Python [\d.]+ documentation$/,
  },
  {
    name: "PostgreSQL's manual (DocBook)",
    package: 'postgresql-doc-15',
    dir: '/usr/share/doc/postgresql-doc-15/html',
    queries: ['create index', 'vacuum full', 'foreign key', 'pg_dump', 'window functions', 'json operators',
      'create table', 'transaction isolation', 'streaming replication', 'explain analyze', 'row level security',
      'partitioning', 'full text search', 'sequence', 'trigger function', 'copy from csv'],
    suffix: /PostgreSQL: Documentation|\| PostgreSQL$/,
  },
];

/** Navigation words as a run, or Sphinx's relation bar, in an excerpt. */
const CHROME = /\b(Prev|Previous)\b\s+(\S+\s+){0,4}\b(Up|Home|Next)\b|\bnext \||\bprevious \||Show Source|Report a Bug/;

function install(site) {
  if (existsSync(join(site.dir, 'index.html'))) return;
  console.error(`installing ${site.package}`);
  const result = spawnSync('apt-get', ['install', '-y', '-qq', site.package], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0 || !existsSync(join(site.dir, 'index.html'))) {
    throw new Error(`could not install ${site.package} (apt-get install ${site.package})`);
  }
}

async function check(browser, site) {
  install(site);
  const folder = join(work, site.package);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  cpSync(site.dir, folder, { recursive: true, dereference: true });
  // The bundle in the site's own search/ folder, links from the site's root (the default).
  const indexed = spawnSync(INDEXER, [folder, '--extensions', 'html,htm', '--quiet'], { encoding: 'utf8' });
  if (indexed.status !== 0) throw new Error(`indexing ${site.dir} failed:\n${indexed.stderr}`);
  const server = await serve(folder, { port: 0 });
  const base = `http://127.0.0.1:${server.address().port}/`;
  const page = await browser.newPage();
  await page.goto(`${base}search/widget.js`);
  const hits = await page.evaluate(async (queries) => {
    const api = await import('/search/search.js');
    await api.default();
    const out = [];
    for (const query of queries) {
      for (const hit of (await api.search(query, { limit: 10 })).hits) {
        out.push({
          query, url: hit.url, title: hit.title, excerpt: hit.excerpt,
          sections: hit.sections.map((section) => ({ url: section.url, excerpt: section.excerpt })),
        });
      }
    }
    return out;
  }, site.queries);
  await page.close();
  server.close();

  const counts = { hits: hits.length, resolving: 0, sections: 0, listed: 0, listedResolving: 0, chrome: 0, suffixed: 0 };
  const problems = [];
  /** Whether a link resolves: the page is a file; an id must be on it; a text fragment (`#:~:text=`) is the browser's to find. */
  const resolves = (link) => {
    const url = new URL(link);
    const path = decodeURIComponent(url.pathname).replace(/\/$/, '/index.html');
    const file = join(folder, path);
    if (url.origin !== new URL(base).origin || !existsSync(file)) return false;
    if (!url.hash || url.hash.startsWith('#:~:')) return true;
    const id = decodeURIComponent(url.hash.slice(1));
    const html = readFileSync(file, 'utf8');
    return [`id="${id}"`, `name="${id}"`, `id=${id} `, `id=${id}>`].some((attribute) => html.includes(attribute));
  };
  for (const hit of hits) {
    if (resolves(hit.url)) counts.resolving += 1;
    else problems.push(`link: ${hit.url}`);
    if (hit.sections.length > 0) counts.sections += 1;
    for (const section of hit.sections) {
      counts.listed += 1;
      if (resolves(section.url)) counts.listedResolving += 1;
      else problems.push(`section link: ${section.url}`);
    }
    for (const excerpt of [hit.excerpt, ...hit.sections.map((section) => section.excerpt)]) {
      if (!CHROME.test(excerpt)) continue;
      counts.chrome += 1;
      problems.push(`chrome: ${hit.query}: ${hit.url}: ${excerpt}`);
    }
    if (site.suffix.test(hit.title)) {
      counts.suffixed += 1;
      problems.push(`title: ${hit.title}`);
    }
  }
  return { site, counts, problems };
}

const print = process.argv.includes('--print');
if (!existsSync(INDEXER)) throw new Error(`${INDEXER} is missing: run make build first`);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const results = [];
try {
  for (const site of SITES) results.push(await check(browser, site));
} finally {
  await browser.close();
}
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} with \`node bench/sites.mjs\`: each site indexed with the indexer's defaults, ` +
    '16 queries, their top 10 hits through the JS API in Chromium.',
  '',
  '| site | hits | links that resolve (page and anchor) | hits linking to a section | sections listed (links that resolve) | excerpts with navigation chrome | titles with the site suffix |',
  '|---|---|---|---|---|---|---|',
  ...results.map(({ site, counts }) => `| ${site.name} | ${counts.hits} | ${counts.resolving} | ${counts.sections} | ${counts.listed} (${counts.listedResolving}) | ${counts.chrome} | ${counts.suffixed} |`),
];
console.log(lines.join('\n'));
for (const { site, problems } of results) {
  if (problems.length > 0) console.log(`\n${site.name}:\n  ${problems.slice(0, 10).join('\n  ')}`);
}
if (!print) writeSection('<!-- sites:start -->', '<!-- sites:end -->', lines.join('\n'));
