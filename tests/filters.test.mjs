// Metadata, filters and sort on a site whose pages set them (HTML attributes
// and <meta>, Markdown front matter), indexed by target/release/site-search-index
// in both modes, in headless Chromium: the same answers embedded and sharded,
// counts by value, sorting, a page's description and image, errors for keys
// no page sets; and the widget's filter chips narrowing the results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { axeViolations as violations, CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const INDEXER = join(root, 'target/release/site-search-index');

let browser;
let site;
let server;
let base;

const CITIES = ['Zurich', 'Geneva', 'Basel', 'Bern', 'Lausanne', 'Lucerne'];

/** Twelve tram pages (HTML, half with a category, dates and an image) and six
 * bus pages (Markdown with front matter). */
async function writeSite(folder) {
  await mkdir(join(folder, 'trams'), { recursive: true });
  await mkdir(join(folder, 'buses'), { recursive: true });
  for (const [i, city] of CITIES.concat(CITIES.map((c) => `${c} North`)).entries()) {
    const category = i % 2 ? '<meta data-site-search-filter="category" content="guide">' : '';
    await writeFile(join(folder, 'trams', `tram${String(i).padStart(2, '0')}.html`), `<!doctype html><html><head>
<title>Trams of ${city}</title><meta name="description" content="All about the trams of ${city}.">
<meta property="og:image" content="../img/tram${i}.png">${category}</head><body><main><h1>Trams of ${city}</h1>
<p>The trams of ${city} run every <span data-site-search-filter="interval">${i % 3 ? 'ten' : 'five'} minutes</span>.</p>
<p data-site-search-sort="date:2024-01-${String(i + 10).padStart(2, '0')}" data-site-search-filter="mode:tram">Tram timetable.</p>
</main></body></html>`);
  }
  for (const [i, city] of CITIES.entries()) {
    await writeFile(join(folder, 'buses', `bus${i}.md`), `---
title: Buses of ${city}
description: All about the buses of ${city}.
tags: [bus${i % 2 ? ', night' : ''}]
date: 2023-06-${String(i + 10).padStart(2, '0')}
filters:
  mode: bus
---
# Routes

The buses of ${city} run every ten minutes, and the trams too.
`);
  }
  await writeFile(join(folder, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Filters test</title>
<script type="module" src="/sharded/widget.js"></script></head><body><main><h1>Transport</h1><site-search></site-search></main></body></html>`);
  await writeFile(join(folder, 'favicon.ico'), '');
}

before(async () => {
  site = await mkdtemp(join(tmpdir(), 'site-search-filters-'));
  await writeSite(site);
  for (const mode of ['embedded', 'sharded']) {
    execFileSync(INDEXER, [site, '--mode', mode, '--output', join(site, mode), '--quiet'], { stdio: 'inherit' });
  }
  // A site whose pages set no metadata, filters or sort values.
  await mkdir(join(site, 'plain-src'));
  await writeFile(join(site, 'plain-src', 'a.txt'), 'Trams\nThe trams of Zurich.');
  await writeFile(join(site, 'plain-src', 'b.md'), '# Buses\n\nThe buses of Bern.');
  execFileSync(INDEXER, [join(site, 'plain-src'), '--mode', 'embedded', '--output', join(site, 'plain'), '--quiet'], { stdio: 'inherit' });
  server = await serve(site, { port: 0 });
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

async function open(path = 'index.html', colorScheme = 'light') {
  const page = await (await browser.newContext({ colorScheme })).newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  await page.goto(base + path);
  return page;
}

/** Each [query, options] searched in both bundles; errors come back as { error: message }. */
function bothModes(page, searches) {
  return page.evaluate(async (searches) => {
    const out = {};
    for (const mode of ['embedded', 'sharded']) {
      const api = await import(`/${mode}/search.js`);
      await api.default();
      out[mode] = [];
      for (const [query, options] of searches) {
        try {
          out[mode].push(await api.search(query, options));
        } catch (error) {
          out[mode].push({ error: error.message });
        }
      }
    }
    return out;
  }, searches);
}

const ids = (result) => result.hits.map((hit) => hit.id);

test('filters, counts, sort and metadata: the same in both modes', async () => {
  const page = await open();
  const searches = [
    ['trams', { limit: 50 }],
    ['trams', { limit: 50, filters: { mode: 'bus' } }],
    ['trams', { limit: 50, filters: { category: 'guide', interval: { not: 'five minutes' } } }],
    ['trams', { limit: 50, filters: { tags: { any: ['night', 'nowhere'] } } }],
    ['', { limit: 50, filters: { tags: ['bus', 'night'] } }],
    ['trams', { limit: 3, sort: { date: 'desc' } }],
    ['', { limit: 2, offset: 1, sort: { date: 'asc' } }],
    ['geneva', {}],
    ['trams', { filters: { colour: 'red' } }],
    ['trams', { sort: { size: 'asc' } }],
    ['trams', { filters: { mode: { anny: 'bus' } } }],
    ['trams', { sort: { date: 'up' } }],
  ];
  const answers = await bothModes(page, searches);
  assert.deepEqual(answers.sharded, answers.embedded);
  const [all, buses, guides, night, browse, latest, oldest, geneva, badKey, badSort, badShape, badOrder] = answers.sharded;
  assert.equal(all.total, 18);
  assert.equal(all.unfilteredTotal, 18);
  assert.deepEqual(all.filters.mode, { bus: 6, tram: 12 });
  assert.deepEqual(all.filters.tags, { bus: 6, night: 3 });
  assert.deepEqual(all.filters.category, { guide: 6 });
  assert.ok(ids(buses).every((id) => id.startsWith('buses/')) && buses.total === 6, JSON.stringify(ids(buses)));
  assert.equal(buses.unfilteredTotal, 18);
  assert.deepEqual(buses.totalFilters, all.filters);
  assert.deepEqual(buses.filters.mode, { bus: 6, tram: 0 });
  // Guides (odd trams) whose interval is not five minutes (i % 3 != 0): 1, 5, 7, 11.
  assert.deepEqual(ids(guides).sort(), ['trams/tram01.html', 'trams/tram05.html', 'trams/tram07.html', 'trams/tram11.html']);
  assert.deepEqual(ids(night).sort(), ['buses/bus1.md', 'buses/bus3.md', 'buses/bus5.md']);
  // No words: every page the filters let through.
  assert.deepEqual(ids(browse), ['buses/bus1.md', 'buses/bus3.md', 'buses/bus5.md']);
  assert.deepEqual(ids(latest), ['trams/tram11.html', 'trams/tram10.html', 'trams/tram09.html']);
  assert.deepEqual(ids(oldest), ['buses/bus1.md', 'buses/bus2.md']);
  const hit = geneva.hits.find((h) => h.id === 'trams/tram01.html');
  assert.deepEqual(hit.meta, { description: 'All about the trams of Geneva.', image: `${base}img/tram1.png` });
  assert.deepEqual(geneva.hits.find((h) => h.id === 'buses/bus1.md').meta, { description: 'All about the buses of Geneva.' });
  assert.equal(geneva.hits.find((h) => h.id === 'buses/bus1.md').title, 'Buses of Geneva');
  assert.match(badKey.error, /no page sets the filter `colour`; this site's filters are category, interval, mode, tags/);
  assert.match(badSort.error, /no page sets the sort key `size`; this site's sort keys are date/);
  assert.match(badShape.error, /options\.filters must be an object/);
  assert.match(badOrder.error, /options\.sort must be an object of one sort key and "asc" or "desc"/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`the widget's filter chips, pressed and not, have no axe-core violations (${colorScheme})`, async () => {
    const page = await open('index.html', colorScheme);
    await page.locator('site-search input').fill('trams');
    await page.locator('site-search >> [part="filter-chip"]').first().waitFor();
    await page.locator('site-search >> [part="filter-chip"]', { hasText: 'night (3)' }).click();
    await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelector('[part="status"]').textContent === '3 results');
    assert.deepEqual(await violations(page), []);
    await page.close();
  });
}

test('a site without metadata, filters or sort values gets the smaller module, which knows neither option', async () => {
  const plain = (await readFile(join(site, 'plain', 'engine_bg.wasm'))).length;
  const withFacets = (await readFile(join(site, 'embedded', 'engine_bg.wasm'))).length;
  assert.ok(plain < withFacets - 10_000, `${plain} against ${withFacets} bytes`);
  const page = await open();
  const answers = await page.evaluate(async () => {
    const api = await import('/plain/search.js');
    await api.default();
    const found = api.search('trams');
    let refused;
    try {
      api.search('trams', { filters: { tag: 'x' } });
    } catch (error) {
      refused = error.message;
    }
    return { found, refused };
  });
  assert.equal(answers.found.total, 1);
  assert.equal(answers.found.filters, undefined);
  assert.deepEqual(answers.found.hits[0].meta, undefined);
  assert.match(answers.refused, /unknown option `filters`.*built without filters and sort/);
  await page.close();
});

test('the widget shows filter chips, and pressing one narrows the results', async () => {
  const page = await open();
  await page.evaluate(() => {
    window.queried = [];
    document.addEventListener('site-search-query', (event) => window.queried.push(event.detail));
  });
  const input = page.locator('site-search input');
  await input.fill('trams');
  const shadow = 'site-search >> ';
  await page.locator(`${shadow}[part="filter-chip"]`).first().waitFor();
  const chips = await page.locator(`${shadow}[part="filter-chip"]`).allTextContents();
  assert.ok(chips.includes('bus (6)') && chips.includes('tram (12)'), JSON.stringify(chips));
  await page.getByRole('group', { name: 'mode' }).getByRole('button', { name: 'bus (6)' }).click();
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelector('[part="status"]').textContent === '6 results');
  const pressed = page.locator(`${shadow}[part="filter-chip"][aria-pressed="true"]`);
  assert.deepEqual(await pressed.allTextContents(), ['bus (6)']);
  // The pressed chip keeps the focus; the other values of its filter still count as if none were chosen.
  assert.equal(await page.evaluate(() => document.querySelector('site-search').shadowRoot.activeElement?.textContent), 'bus (6)');
  assert.ok((await page.locator(`${shadow}[part="filter-chip"]`).allTextContents()).includes('tram (12)'));
  const links = await page.locator(`${shadow}[part="result-title"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.every((href) => href.includes('/buses/')), JSON.stringify(links));
  // The search's event says which chips were chosen.
  const last = await page.evaluate(() => window.queried.at(-1));
  assert.deepEqual(last, { query: 'trams', total: 6, didYouMean: null, filters: { mode: { any: ['bus'] } } });
  // Pressed again: every result again.
  await pressed.click();
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelector('[part="status"]').textContent === '18 results');
  assert.deepEqual(page.errors, []);
  await page.close();
});
