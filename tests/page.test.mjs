// The page built on the JavaScript API (api.html) in headless Chromium:
// typing shows ranked hits with <mark>s. The widget has tests/widget.test.mjs.
// Run `make build` first (`make test` does); needs /usr/bin/chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

let server, browser, base;

before(async () => {
  server = await serve(new URL('../dist', import.meta.url).pathname, { port: 0 });
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('typing a query shows highlighted hits', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${base}api.html`);
  const input = page.locator('#query');
  await input.waitFor({ state: 'visible' });
  await page.waitForFunction(() => !document.querySelector('#query').disabled);
  await input.pressSequentially('poale zion', { delay: 20 });
  await page.waitForFunction(() => document.querySelectorAll('#results li').length > 0);
  const hits = await page.$$eval('#results li', (items) => items.map((li) => ({
    title: li.querySelector('h2').textContent,
    href: li.querySelector('a')?.getAttribute('href'),
    marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
  })));
  assert.ok(hits[0].title.startsWith('Yesterday saw the inaugural'));
  assert.ok(hits[0].href.endsWith('docs/004_478de67479f4dbbd.txt'));
  assert.ok(hits[0].marks.includes('Poale') && hits[0].marks.includes('Zion'), JSON.stringify(hits[0]));
  assert.match(await page.textContent('#status'), /^\d+ results?$/);

  // The link leads to the document.
  const response = await page.request.get(new URL(hits[0].href, base).href);
  assert.equal(response.status(), 200);

  // Results follow the query as it changes.
  await input.fill('');
  await input.pressSequentially('zzzqqq', { delay: 10 });
  await page.waitForFunction(() => document.querySelector('#status').textContent === 'No results.');
  assert.equal(await page.locator('#results li').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the demo: a text result opens in the reader, its words marked and its passage in view', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(base);
  const input = page.locator('site-search input');
  await input.fill('poale zion');
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelectorAll('[role="gridcell"]').length > 0);
  await input.press('Enter');
  await page.waitForURL(/doc\.html\?/);
  await page.waitForFunction(() => document.querySelector('#document .passage'));
  const shown = await page.evaluate(() => ({
    title: document.querySelector('#title').textContent,
    doc: new URLSearchParams(location.search).get('doc'),
    marks: [...document.querySelectorAll('#document mark')].map((m) => m.textContent),
    passage: document.querySelector('.passage').textContent,
    inView: (() => { const r = document.querySelector('.passage').getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })(),
    back: document.querySelector('#back').getAttribute('href'),
  }));
  assert.equal(shown.doc, 'docs/004_478de67479f4dbbd.txt');
  assert.ok(shown.title.startsWith('Yesterday saw the inaugural'), shown.title);
  assert.ok(shown.marks.includes('Poale') && shown.marks.includes('Zion'), JSON.stringify(shown.marks));
  assert.match(shown.passage, /Poale Zion/);
  assert.ok(shown.inView, 'the passage is in view');
  assert.equal(new URL(shown.back).searchParams.get('q'), 'poale zion', 'the way back keeps the query');
  assert.deepEqual(errors, []);

  // Only the site's own documents: anything else is refused in words.
  for (const doc of ['../manifest.json', 'https://example.com/x.txt', 'docs/../../etc/passwd', 'docs/missing.txt']) {
    await page.goto(`${base}doc.html?doc=${encodeURIComponent(doc)}`);
    await page.waitForFunction(() => document.querySelector('#title').textContent !== 'Loading…');
    assert.equal(await page.textContent('#title'), 'This document cannot be shown', doc);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
