// axe-core on the demo page and its <site-search> widget in headless
// Chromium, in every state a visitor meets: idle, results, no results, the
// same in the dark theme and at a phone's width, while the engine loads, and
// after it failed to load. Any violation fails the test. Run `make build`
// first (`make test` does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { axeViolations as violations, CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;

let browser;
let server;
let base;

before(async () => {
  server = await serve(join(root, 'dist'), { port: 0 });
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** The demo page, in `colorScheme` and `viewport`, with `route` set up before it loads. */
async function open({ colorScheme = 'light', viewport = { width: 1280, height: 800 }, route } = {}) {
  const context = await browser.newContext({ colorScheme, viewport });
  const page = await context.newPage();
  if (route) await route(page);
  await page.goto(base);
  return page;
}


const shadow = (selector) => `document.querySelector('site-search').shadowRoot.querySelector('${selector}')`;

async function typeAndWait(page, text, state) {
  await page.locator('site-search input').first().fill(text);
  await page.waitForFunction(state);
}

const HAS_RESULTS = `${shadow('[role="gridcell"] mark')} !== null`;
const NO_RESULTS = `/No results/.test(${shadow('[part="status"]')}.textContent)`;

for (const [name, options] of [
  ['light', {}],
  ['dark', { colorScheme: 'dark' }],
  ['a phone', { viewport: { width: 390, height: 844 } }],
]) {
  test(`no axe-core violations, ${name}: idle, with results, with none`, async () => {
    const page = await open(options);
    await page.locator('site-search input').first().waitFor();
    assert.deepEqual(await violations(page), [], 'idle');
    await typeAndWait(page, 'labour', HAS_RESULTS);
    assert.deepEqual(await violations(page), [], 'results');
    // Moving through the results changes what is selected.
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await violations(page), [], 'a result selected');
    await typeAndWait(page, 'qqqqzzzz', NO_RESULTS);
    assert.deepEqual(await violations(page), [], 'no results');
    // The reader a text result opens, its words marked.
    await page.goto(`${base}doc.html?doc=docs%2F004_478de67479f4dbbd.txt&site-search-highlight=poale+zion`);
    await page.waitForFunction(() => document.querySelector('#document .passage'));
    assert.deepEqual(await violations(page), [], 'the reader');
    await page.context().close();
  });
}

test('no axe-core violations while the engine loads, and after it failed to', async () => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const page = await open({
    route: (page) => page.route('**/engine_bg.wasm', async (route) => {
      await held;
      await route.continue();
    }),
  });
  await page.locator('site-search input').first().fill('labour');
  await page.waitForTimeout(300);
  assert.deepEqual(await violations(page), [], 'loading');
  release();
  await page.waitForFunction(HAS_RESULTS);
  await page.context().close();

  const failing = await open({ route: (page) => page.route('**/engine_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not found' })) });
  failing.on('console', () => {}); // the widget reports the failure on the console, as it should
  await failing.locator('site-search input').first().fill('labour');
  await failing.waitForFunction(`/try again/i.test(${shadow('[part="status"]')}.textContent)`);
  assert.deepEqual(await violations(failing), [], 'load failed');
  await failing.context().close();
});
