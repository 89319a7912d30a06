// Real manuals judged by their own back-of-book indexes: Python's HTML
// documentation (Debian's python3-doc, made by Sphinx), whose general index
// (genindex-*.html) links each entry to the pages about it, and GLib's
// reference manual (Debian's libglib2.0-doc, made by gtk-doc from DocBook),
// whose index (api-index-full.html) links each function, type and macro to
// the page that defines it. Each package is installed here if missing.
// Each sampled entry is typed into our JS API and Pagefind's as a visitor
// types it (no trailing space: the last word is still being typed), and a
// hit is right when it is a page the entry links to.
//
//   node bench/manual.mjs            print the table and write it into BENCHMARKS.md
//   node bench/manual.mjs --print    print only
//
// Success@1 (the first hit is right) and MRR@10 (1 / the rank of the first
// right hit in the top 10). Nothing in the engine reads these judgments, and
// no parameter was searched on them (BENCHMARKS.md says which design choices
// were made after seeing them). The last column: how many right pages are
// linked at the entry's own anchor (the section that defines it).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium.mjs';
import { writeSection } from './benchmarks_md.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'target', 'manual');
const INDEXER = join(root, 'target', 'release', 'site-search-index');
const PAGEFIND = join(root, 'node_modules', '@pagefind', 'linux-x64', 'bin', 'pagefind_extended');
/** Entries sampled from each manual, evenly through its index. */
const SAMPLE = 200;

const decode = (html) => html.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
  .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The page a link or a hit's URL names: its path under the site, without anchor or query. */
const pageOf = (url) => decode(url).replace(/^[a-z]+:\/\/[^/]+/, '').replace(/[#?].*$/, '')
  .replace(/^\/+/, '').replace(/^pages\//, '');
/** The page and anchor a link names (`library/os.html#os.getcwd`), or the page alone. */
const placeOf = (url) => {
  const hash = url.indexOf('#');
  return hash < 0 ? pageOf(url) : `${pageOf(url)}#${decodeURIComponent(decode(url.slice(hash + 1)))}`;
};

/**
 * Every entry of Python's general index: what a visitor would type (the entry
 * without its qualifier in brackets and without `()`), and the pages it links to.
 * Top-level entries are `<li><a href=…>text</a>` or `<li>text <ul>` of links.
 */
function sphinxEntries(docs) {
  const found = new Map();
  for (const file of readdirSync(docs).filter((f) => /^genindex-[A-Z_]\w*\.html$/.test(f)).sort()) {
    const html = readFileSync(join(docs, file), 'utf8');
    const table = html.slice(html.indexOf('class="indextable"'));
    // Indentation tells a top-level entry (6 spaces) from a sub-entry (8).
    let current = null;
    for (const line of table.split('\n')) {
      const top = line.match(/^ {6}<li>(?:<a href="([^"]+)">([^<]+)<\/a>)?\s*$/);
      const sub = line.match(/^ {8}<li><a href="([^"]+)">/);
      if (top) {
        current = top[1]
          ? { text: top[2], pages: new Set([pageOf(top[1])]), places: new Set([placeOf(top[1])]) }
          : { text: null, pages: new Set(), places: new Set() };
        if (current.text !== null) add(found, current);
      } else if (current && current.text === null && /^ {4}\S/.test(line)) {
        current.text = line.trim();
        add(found, current);
      } else if (sub && current) {
        current.pages.add(pageOf(sub[1]));
        current.places.add(placeOf(sub[1]));
      }
    }
  }
  return [...found.values()].filter((e) => e.pages.size > 0);
}

/** Entries typed alike (`bind()` of several classes) are one query, right on any of their pages. */
function add(found, entry) {
  const query = decode(entry.text).replace(/\s*\([^)]*\)\s*$/, '').replace(/\(\)$/, '').trim();
  if (query.length < 3 || !/[a-z]/i.test(query)) return;
  const known = found.get(query);
  if (known) {
    // Sub-entries may still come: share one set of pages.
    for (const page of entry.pages) known.pages.add(page);
    for (const place of entry.places) known.places.add(place);
    entry.pages = known.pages;
    entry.places = known.places;
    return;
  }
  entry.query = query;
  found.set(query, entry);
}

/**
 * Every entry of a gtk-doc index (`<dt><a href=…>g_strfreev</a>, function in …`):
 * the name as written, and the page that defines it.
 */
function gtkDocEntries(docs) {
  const found = new Map();
  const html = readFileSync(join(docs, 'api-index-full.html'), 'utf8');
  for (const [, href, text] of html.matchAll(/<dt>\s*<a class="link" href="([^"]+)"[^>]*>([^<]+)<\/a>/g)) {
    add(found, { text, pages: new Set([pageOf(href)]), places: new Set([placeOf(href)]) });
  }
  return [...found.values()];
}

/**
 * Every entry of a Texinfo manual's indexes (`*-Index.html`: concepts,
 * variables, options, …), each row `<a href=…>aliases, defining</a>`:
 * the entry as written, and the page it links to.
 */
function texinfoEntries(docs) {
  const found = new Map();
  for (const file of readdirSync(docs).filter((f) => /-Index\.html$/.test(f)).sort()) {
    const html = readFileSync(join(docs, file), 'utf8');
    for (const [, href, text] of html.matchAll(/<tr><td><\/td><td valign="top"><a href="([^"#]+#[^"]+)">(.*?)<\/a><\/td>/g)) {
      // Texinfo prints `--` as an en dash; a visitor types the two hyphens.
      const typed = text.replace(/<[^>]+>/g, '').replace(/&ndash;/g, '--').replace(/&nbsp;/g, ' ');
      add(found, { text: typed, pages: new Set([pageOf(href)]), places: new Set([placeOf(href)]) });
    }
  }
  return [...found.values()];
}

/** The manuals measured: where Debian installs each, and how its index reads. */
const MANUALS = [
  {
    name: 'Python',
    about: "Python's general index (Debian's python3-doc, Sphinx)",
    debianPackage: 'python3-doc',
    docs: '/usr/share/doc/python3/html',
    marker: 'genindex-A.html',
    entries: sphinxEntries,
  },
  {
    name: 'GLib',
    about: "GLib's API index (Debian's libglib2.0-doc, gtk-doc)",
    debianPackage: 'libglib2.0-doc',
    docs: '/usr/share/gtk-doc/html/glib',
    marker: 'api-index-full.html',
    entries: gtkDocEntries,
  },
  {
    name: 'Zsh',
    about: "the Zsh manual's indexes (Debian's zsh-doc, Texinfo)",
    debianPackage: 'zsh-doc',
    docs: '/usr/share/doc/zsh-common/html',
    marker: 'Concept-Index.html',
    entries: texinfoEntries,
  },
];

function install(manual) {
  if (existsSync(join(manual.docs, manual.marker))) return;
  console.error(`installing ${manual.debianPackage}`);
  const result = spawnSync('apt-get', ['install', '-y', '-qq', manual.debianPackage], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0 || !existsSync(join(manual.docs, manual.marker))) {
    throw new Error(`could not install ${manual.debianPackage} (apt-get install ${manual.debianPackage})`);
  }
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
}

/** The site: the pages, our bundle beside them, Pagefind's inside them, and a page for each engine. */
function buildSite(manual) {
  if (!existsSync(INDEXER)) throw new Error(`${INDEXER} is missing: run make build first`);
  const site = join(work, manual.name.toLowerCase());
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  cpSync(manual.docs, join(site, 'pages'), { recursive: true, dereference: true });
  run(INDEXER, [join(site, 'pages'), '--output', join(site, 'ours'), '--extensions', 'html,htm', '--base-url', 'pages/', '--quiet']);
  run(PAGEFIND, ['--site', join(site, 'pages'), '--silent']);
  const page = (script) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>manual</title></head><body><script type="module">
${script}
window.ready = true;
</script></body></html>`;
  writeFileSync(join(site, 'ours.html'), page(`const { default: init, search } = await import('./ours/search.js');
await init();
window.search = async (q) => (await search(q, { limit: 10 })).hits.map((h) => h.url);`));
  writeFileSync(join(site, 'pagefind.html'), page(`const pagefind = await import('./pages/pagefind/pagefind.js');
await pagefind.init();
window.search = async (q) => {
  const found = await pagefind.search(q);
  // Its first sub-result (a heading's anchor) where it has one: the link its UI shows first.
  return (await Promise.all(found.results.slice(0, 10).map((r) => r.data()))).map((d) => d.sub_results?.[0]?.url ?? d.url);
};`));
  return site;
}

async function measure(browser, base, engine, sample) {
  const page = await browser.newPage();
  await page.goto(`${base}/${engine}.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 120_000 });
  let first = 0;
  let reciprocal = 0;
  let anchored = 0;
  const misses = [];
  for (const entry of sample) {
    const urls = await page.evaluate((q) => window.search(q), entry.query);
    const rank = urls.slice(0, 10).findIndex((url) => entry.pages.has(pageOf(url)));
    if (process.env.MANUAL_DEBUG) console.error(`${engine}\t${rank}\t${entry.query}\t${urls.slice(0, 3).map(pageOf).join(' ')}\t${[...entry.pages].slice(0, 3).join(' ')}`);
    if (rank === 0) first++;
    if (rank >= 0) reciprocal += 1 / (rank + 1);
    else misses.push(entry.query);
    if (rank >= 0 && entry.places.has(placeOf(urls[rank]))) anchored++;
    if (process.env.MANUAL_DEBUG && rank >= 0) console.error(`${engine} place\t${placeOf(urls[rank])}\t${[...entry.places].slice(0, 3).join(" ")}`);
  }
  await page.close();
  return { success1: first / sample.length, mrr10: reciprocal / sample.length, anchored: anchored / (sample.length - misses.length), misses };
}

const START = '<!-- manual:start (written by `make relevance`; edit bench/manual.mjs instead) -->';
const END = '<!-- manual:end -->';

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const rows = [];
  const sampled = [];
  try {
    for (const manual of MANUALS) {
      install(manual);
      const all = manual.entries(manual.docs);
      const step = all.length / SAMPLE;
      const sample = Array.from({ length: Math.min(SAMPLE, all.length) }, (_, i) => all[Math.floor(i * step)]);
      sampled.push(`${sample.length} of the ${all.length} entries of ${manual.about}`);
      const site = buildSite(manual);
      const server = await serve(site, { port: 0 });
      try {
        const base = `http://127.0.0.1:${server.address().port}`;
        const pagefindVersion = JSON.parse(readFileSync(join(PAGEFIND, '..', '..', 'package.json'), 'utf8')).version;
        for (const [engine, label] of [['ours', '**ours**'], ['pagefind', `Pagefind ${pagefindVersion}`]]) {
          const result = await measure(browser, base, engine, sample);
          console.error(`${manual.name}, ${engine}: success@1 ${result.success1.toFixed(3)}, MRR@10 ${result.mrr10.toFixed(3)}; not in the top 10: ${result.misses.slice(0, 8).join(' · ')}…`);
          rows.push(`| ${manual.name} | ${label} | ${result.success1.toFixed(3)} | ${result.mrr10.toFixed(3)} | ${result.misses.length} | ${result.anchored.toFixed(2)} |`);
        }
      } finally {
        server.close();
      }
    }
  } finally {
    await browser.close();
  }
  const report = [
    `Measured ${new Date().toISOString().slice(0, 10)}: ${sampled.join(', and ')}, evenly through each, `
      + 'each typed as it is (no trailing space) into each engine\'s JS API in Chromium.',
    '',
    '| manual | engine | success@1 | MRR@10 | entries with no right page in the top 10 | right pages linked at the entry\'s own anchor |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  console.log(report);
  if (!process.argv.includes('--print')) writeSection(START, END, report);
}

main().catch((error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
