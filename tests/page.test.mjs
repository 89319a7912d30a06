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
