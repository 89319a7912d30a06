// The <site-search> widget in headless Chromium: typing, the keyboard path,
// ARIA roles and states, stale responses, a hostile corpus, a strict CSP page,
// hosting under a sub-path and from another origin, a phone's viewport, and
// isolation from the host page. Run `make build` first (`make test` does); the
// hostile corpus is built here, into target/widget-hostile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

let browser;
const cleanup = [];

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  for (const step of cleanup.reverse()) await step();
});

/** A page around the widget; `attrs` go on the element, `head` and `body` around it. */
function pageHtml({ attrs = '', head = '', body = '', script = 'search/widget.js' } = {}) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Widget test</title>
${head}<script type="module" src="${script}"></script></head>
<body><main><h1>Test page</h1><site-search ${attrs}></site-search>${body}</main></body></html>`;
}

/**
 * A static site in a fresh folder: the built widget folder and the corpus
 * under `prefix`, and `pages` (name → HTML) beside them. Served with `headers`.
 */
async function site(pages, { prefix = '', headers = {}, from = dist } = {}) {
  const folder = await mkdtemp(join(tmpdir(), 'site-search-'));
  await mkdir(join(folder, prefix), { recursive: true });
  await cp(join(from, 'search'), join(folder, prefix, 'search'), { recursive: true });
  await cp(join(from, 'docs'), join(folder, prefix, 'docs'), { recursive: true });
  for (const [name, html] of Object.entries(pages)) await writeFile(join(folder, prefix, name), html);
  await writeFile(join(folder, 'favicon.ico'), ''); // no 404 in the console
  const server = await serve(folder, { port: 0, headers });
  cleanup.push(async () => {
    server.close();
    await rm(folder, { recursive: true, force: true });
  });
  return `http://127.0.0.1:${server.address().port}/${prefix}`;
}

/** A new page that fails the test on any page error. */
async function open(url, { viewport } = {}) {
  const page = await browser.newPage(viewport ? { viewport } : {});
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.errors = errors;
  await page.goto(url);
  return page;
}

/** What the widget shows, read from its shadow root. */
function state(page, selector = 'site-search') {
  return page.evaluate((selector) => {
    const shadow = document.querySelector(selector).shadowRoot;
    const input = shadow.querySelector('input');
    const options = [...shadow.querySelectorAll('[role="gridcell"]')];
    return {
      value: input.value,
      focused: shadow.activeElement === input,
      role: input.getAttribute('role'),
      expanded: input.getAttribute('aria-expanded'),
      controls: input.getAttribute('aria-controls'),
      popupId: shadow.querySelector('[role="grid"]')?.id,
      popup: input.getAttribute('aria-haspopup'),
      active: input.getAttribute('aria-activedescendant'),
      live: shadow.querySelector('[role="status"]').textContent,
      liveRegion: shadow.querySelector('[role="status"]').getAttribute('aria-live'),
      status: shadow.querySelector('[part="status"]').textContent,
      panelHidden: shadow.querySelector('[part="panel"]').hidden,
      suggestion: shadow.querySelector('[part="suggestion"]').hidden ? null : shadow.querySelector('[part="suggestion"]').textContent,
      options: options.map((o) => ({
        id: o.id,
        selected: o.getAttribute('aria-selected'),
        title: o.querySelector('[part="result-title"]')?.textContent ?? o.textContent,
        href: o.querySelector('a')?.getAttribute('href') ?? null,
        marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
      })),
    };
  }, selector);
}

const hasOptions = (page) => page.waitForFunction(
  () => document.querySelector('site-search').shadowRoot.querySelectorAll('[role="gridcell"]').length > 0,
);
const statusIs = (page, text) => page.waitForFunction(
  (text) => document.querySelector('site-search').shadowRoot.querySelector('[part="status"]').textContent === text,
  text,
);

test('typing shows highlighted results, announced in a live region, with the combobox roles', async () => {
  const base = await site({ 'index.html': pageHtml() });
  const page = await open(base);
  const input = page.locator('site-search input');
  let s = await state(page);
  assert.equal(s.role, 'combobox');
  assert.equal(s.expanded, 'false');
  assert.equal(s.controls, s.popupId);
  assert.equal(s.popup, 'grid');
  assert.equal(s.liveRegion, 'polite');

  await input.click();
  await input.pressSequentially('jewish labour', { delay: 15 });
  await hasOptions(page);
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelector('[role="status"]').textContent === '3 results');
  s = await state(page);
  assert.equal(s.expanded, 'true');
  assert.equal(s.status, '3 results');
  assert.equal(s.options.length, 3);
  for (const option of s.options) {
    assert.equal(option.selected, 'false');
    assert.match(option.href, /\/docs\/\d{3}_[0-9a-f]+\.txt$/);
    assert.ok(option.marks.some((m) => /^jewish$/i.test(m)) && option.marks.some((m) => /^labour$/i.test(m)), JSON.stringify(option));
  }
  // Matched words are marked in titles too.
  const titleMarks = await page.evaluate(() => [...document.querySelector('site-search').shadowRoot.querySelectorAll('.title mark')].map((m) => m.textContent));
  assert.ok(titleMarks.includes('Labour'), JSON.stringify(titleMarks));
  // A misspelt word still finds, and highlights, the word the documents have.
  await input.fill('poale zionn');
  await page.waitForFunction(() => [...document.querySelector('site-search').shadowRoot.querySelectorAll('mark')].some((m) => m.textContent === 'Zion'));

  // Nothing found: a plain empty state, and the panel says so.
  await input.fill('zzzqqq');
  await statusIs(page, 'No results for “zzzqqq”.');
  s = await state(page);
  assert.equal(s.options.length, 0);
  assert.equal(s.panelHidden, false);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('"did you mean" is offered, and choosing it searches for it', async () => {
  const base = await site({ 'index.html': pageHtml() });
  const page = await open(base);
  await page.locator('site-search input').fill('Nationbulder');
  await page.waitForFunction(() => !document.querySelector('site-search').shadowRoot.querySelector('[part="suggestion"]').hidden);
  assert.equal((await state(page)).suggestion, 'Did you mean nationbuilder?');
  await page.locator('site-search [part="suggestion-button"]').click();
  await page.waitForFunction(() => document.querySelector('site-search').value === 'nationbuilder');
  await hasOptions(page);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the keyboard path: / and Ctrl+K focus, arrows select, Enter opens, Esc clears then closes', async () => {
  const base = await site({ 'index.html': pageHtml({ body: '<input id="other" aria-label="another field">' }) });
  const page = await open(base);
  const focused = () => state(page).then((s) => s.focused);

  await page.keyboard.press('/');
  assert.ok(await focused(), '/ focuses the box');
  assert.equal((await state(page)).value, '', 'and types nothing into it');
  await page.locator('#other').focus();
  await page.keyboard.press('/');
  assert.equal(await page.inputValue('#other'), '/', '/ typed into another field stays there');
  assert.ok(!(await focused()));
  await page.keyboard.press('Control+k');
  assert.ok(await focused(), 'Ctrl+K focuses the box from another field');

  await page.keyboard.type('jewish labour');
  await hasOptions(page);
  let s = await state(page);
  assert.equal(s.active, null);
  await page.keyboard.press('ArrowDown');
  s = await state(page);
  assert.equal(s.active, s.options[0].id);
  assert.deepEqual(s.options.map((o) => o.selected), ['true', 'false', 'false']);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  s = await state(page);
  assert.equal(s.active, s.options[2].id);
  await page.keyboard.press('ArrowDown'); // wraps
  assert.equal((await state(page)).active, s.options[0].id);
  await page.keyboard.press('ArrowUp'); // wraps back
  s = await state(page);
  assert.equal(s.active, s.options[2].id);
  assert.deepEqual(s.options.map((o) => o.selected), ['false', 'false', 'true']);

  const chosen = [];
  await page.exposeFunction('recordChoice', (detail) => chosen.push(detail));
  await page.evaluate(() => document.addEventListener('site-search-select', (event) => window.recordChoice(event.detail)));
  await Promise.all([page.waitForURL(new URL(s.options[2].href, base).href), page.keyboard.press('Enter')]);
  assert.equal(chosen.length, 1);
  assert.equal(chosen[0].position, 2);
  assert.equal(chosen[0].query, 'jewish labour');

  await page.goBack();
  await page.locator('site-search input').focus();
  await page.keyboard.type('zion');
  await hasOptions(page);
  await page.keyboard.press('Escape');
  s = await state(page);
  assert.equal(s.value, '');
  assert.equal(s.expanded, 'false');
  assert.equal(s.options.length, 0);
  assert.ok(s.focused, 'the first Esc clears and keeps the focus');
  await page.keyboard.press('Escape');
  assert.ok(!(await focused()), 'the second Esc leaves the box');

  // Tab leaves the box and closes the panel.
  await page.locator('site-search input').focus();
  await page.keyboard.type('zion');
  await hasOptions(page);
  await page.keyboard.press('Tab');
  assert.equal((await state(page)).expanded, 'false');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'other');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('modal mode: a button opens a dialog; Esc clears, then closes and gives the focus back', async () => {
  const base = await site({ 'index.html': pageHtml({ attrs: 'mode="modal" placeholder="Find a page"' }) });
  const page = await open(base);
  const trigger = page.locator('site-search [part="trigger"]');
  assert.equal(await trigger.textContent(), 'Find a page/');
  assert.equal(await trigger.getAttribute('aria-haspopup'), 'dialog');
  await trigger.click();
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelector('dialog').open);
  assert.ok((await state(page)).focused);
  await page.keyboard.type('poale zion');
  await hasOptions(page);
  await page.keyboard.press('Escape');
  assert.equal((await state(page)).value, '');
  assert.ok(await page.evaluate(() => document.querySelector('site-search').shadowRoot.querySelector('dialog').open), 'still open after the first Esc');
  await page.keyboard.press('Escape');
  assert.ok(!(await page.evaluate(() => document.querySelector('site-search').shadowRoot.querySelector('dialog').open)));
  assert.ok(await page.evaluate(() => document.querySelector('site-search').shadowRoot.activeElement?.getAttribute('part') === 'trigger'));
  await page.keyboard.press('Control+k');
  assert.ok(await page.evaluate(() => document.querySelector('site-search').shadowRoot.querySelector('dialog').open), 'Ctrl+K opens it');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('typing fast: the last query wins, even while the module is still loading', async () => {
  const base = await site({ 'index.html': pageHtml({ attrs: 'load="interaction"' }), 'debounced.html': pageHtml({ attrs: 'debounce="40"' }) });
  const page = await browser.newPage();
  // Hold the wasm back, so that several queries are typed before it arrives.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/engine_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(base);
  await page.evaluate(() => {
    window.queries = [];
    document.addEventListener('site-search-query', (event) => window.queries.push(event.detail.query));
  });
  const input = page.locator('site-search input');
  await input.pressSequentially('witchhunt', { delay: 5 });
  await input.fill('');
  await input.pressSequentially('poale zion', { delay: 5 });
  assert.equal((await state(page)).status, 'Loading search…');
  release();
  await hasOptions(page);
  await page.waitForTimeout(100);
  const s = await state(page);
  assert.equal(s.value, 'poale zion');
  assert.ok(s.options.every((o) => o.marks.some((m) => /^(poale|zion)/i.test(m))), JSON.stringify(s.options));
  assert.deepEqual(await page.evaluate(() => window.queries), ['poale zion'], 'only the latest query ran');
  await page.close();

  // With a debounce, a burst of keystrokes runs one search, for the last text.
  const debounced = await open(`${base}debounced.html`);
  await debounced.evaluate(() => {
    window.queries = [];
    document.addEventListener('site-search-query', (event) => window.queries.push(event.detail.query));
  });
  await debounced.locator('site-search input').pressSequentially('jewish labour', { delay: 5 });
  await hasOptions(debounced);
  await debounced.waitForTimeout(100);
  const queries = await debounced.evaluate(() => window.queries);
  assert.equal(queries.at(-1), 'jewish labour');
  assert.ok(queries.length < 'jewish labour'.length, `debounced: ${JSON.stringify(queries)}`);
  await debounced.close();
});

test('attributes: results per page with "More results", link base, placeholder; events', async () => {
  const base = await site({
    'index.html': pageHtml({ attrs: 'results-per-page="1" base-url="https://example.com/pages/" placeholder="Look it up"' }),
  });
  const page = await open(base);
  assert.equal(await page.locator('site-search input').getAttribute('placeholder'), 'Look it up');
  await page.locator('site-search input').fill('jewish labour');
  await hasOptions(page);
  let s = await state(page);
  assert.equal(s.options.length, 1);
  assert.match(s.options[0].href, /^https:\/\/example\.com\/pages\/docs\//);
  await page.locator('site-search [part="more"]').click();
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelectorAll('[role="gridcell"]').length === 2);
  s = await state(page);
  assert.equal(s.active, s.options[1].id, 'the keyboard moves to the first new result');

  // A page can cancel the navigation (e.g. to route it itself).
  const detail = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('site-search-select', (event) => {
      event.preventDefault();
      resolve(event.detail);
    }, { once: true });
    document.querySelector('site-search').shadowRoot.querySelector('[role="gridcell"] .excerpt').click();
  }));
  assert.equal(detail.query, 'jewish labour');
  assert.equal(detail.position, 0);
  assert.match(detail.hit.url, /^https:\/\/example\.com\/pages\/docs\//);
  assert.equal(page.url(), base, 'the cancelled choice did not navigate');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('highlight: result links carry the query, and the landing script marks its words where they lead', async () => {
  const landing = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Landing</title>
<script type="module" src="search/highlight.js"></script></head><body><h1 id="top">The JLM</h1>
<div style="height: 3000px"></div><p id="words">The Jewish Labour Movement: labourers, JEWS, Jew, Zürich's jewishness.</p>
<script>window.untouched = 'Jewish labour';</script><textarea>Jewish labour</textarea></body></html>`;
  const base = await site({ 'index.html': pageHtml({ attrs: 'highlight' }), 'landing.html': landing });
  const page = await open(base);
  await page.locator('site-search input').fill('jewish labour');
  await hasOptions(page);
  const { options } = await state(page);
  assert.ok(options.every((o) => new URL(o.href).searchParams.get('site-search-highlight') === 'jewish labour'), JSON.stringify(options));
  await page.close();

  const marksOf = (page) => page.evaluate(() => [...document.querySelectorAll('mark.site-search-highlight')].map((m) => m.textContent));
  const landed = await open(`${base}landing.html?site-search-highlight=${encodeURIComponent('Jewish the LABOUR zurich')}`);
  await landed.waitForFunction(() => document.querySelector('mark.site-search-highlight'));
  // Words that start with a searched word, or that one starts with from four letters; not `the`, not `Jew`.
  assert.deepEqual(await marksOf(landed), ['Jewish', 'Labour', 'labourers', 'Zürich', 'jewishness']);
  assert.equal(await landed.evaluate(() => document.querySelector('#words').textContent),
    "The Jewish Labour Movement: labourers, JEWS, Jew, Zürich's jewishness.", 'the text is unchanged');
  assert.equal(await landed.evaluate(() => document.querySelector('textarea').value), 'Jewish labour');
  assert.ok(await landed.evaluate(() => window.scrollY > 1000), 'no anchor: scrolled to the first mark');
  assert.deepEqual(landed.errors, []);
  await landed.close();

  // With an anchor the page lands there; without the parameter nothing is marked.
  const anchored = await open(`${base}landing.html?site-search-highlight=labour#top`);
  await anchored.waitForFunction(() => document.querySelector('mark.site-search-highlight'));
  assert.ok(await anchored.evaluate(() => window.scrollY < 100), 'at the anchor, not the first mark');
  await anchored.close();
  const plain = await open(`${base}landing.html`);
  await plain.waitForLoadState('load');
  assert.deepEqual(await marksOf(plain), []);
  await plain.close();
});

test('an engine that cannot be fetched: the panel offers to try again, the console says why, and trying again works', async () => {
  const base = await site({ 'index.html': pageHtml() });
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  await page.route('**/engine_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(base);
  await page.locator('site-search input').fill('jewish labour');
  await statusIs(page, 'Search could not be loaded. Please try again in a moment. Try again');
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelector('[part="retry"]'));
  // The diagnosis follows its own request.
  for (let waited = 0; waited < 5000 && !errors.some((e) => e.includes('answers HTTP')); waited += 50) await page.waitForTimeout(50);
  const diagnosis = errors.find((e) => e.includes('answers HTTP 404'));
  assert.ok(diagnosis, JSON.stringify(errors));
  assert.match(diagnosis, /search\/engine_bg\.wasm answers HTTP 404: widget\.js loads the engine from its own folder, .*Copy the whole search folder/);
  await page.unroute('**/engine_bg.wasm');
  await page.locator('site-search [part="retry"]').click();
  await hasOptions(page);
  assert.match((await state(page)).status, /^\d+ results?$/);
  await page.close();
});

test('recent searches: kept in this browser when a result is chosen, offered in the empty box, cleared; no-recent keeps none', async () => {
  const base = await site({ 'index.html': pageHtml(), 'private.html': pageHtml({ attrs: 'no-recent' }) });
  const page = await open(base);
  const input = page.locator('site-search input');
  await input.focus();
  assert.equal((await state(page)).expanded, 'false', 'none yet: nothing to show');
  // Choosing a result keeps its query (the page cancels the navigation here, to stay).
  await page.evaluate(() => document.addEventListener('site-search-select', (event) => event.preventDefault()));
  for (const query of ['poale zion', 'jewish labour', 'Poale Zion']) {
    await input.fill(query);
    await hasOptions(page);
    await page.keyboard.press('Enter');
  }
  await page.keyboard.press('Escape');
  await input.blur();
  await input.focus();
  let s = await state(page);
  assert.equal(s.expanded, 'true');
  assert.equal(s.status, 'Recent searches');
  assert.deepEqual(s.options.map((o) => o.title), ['Poale Zion', 'jewish labour'], 'latest first, once each whatever the case');
  // Chosen again by the keyboard: it is searched.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await statusIs(page, '3 results');
  assert.equal((await state(page)).value, 'jewish labour');
  // Cleared.
  await input.fill('');
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelector('[part="clear-recent"]:not([hidden])'));
  await page.locator('site-search [part="clear-recent"]').click();
  s = await state(page);
  assert.deepEqual([s.options.length, s.expanded], [0, 'false']);
  assert.deepEqual(page.errors, []);
  await page.close();

  const quiet = await open(`${base}private.html`);
  await quiet.evaluate(() => document.addEventListener('site-search-select', (event) => event.preventDefault()));
  await quiet.locator('site-search input').fill('zion');
  await hasOptions(quiet);
  await quiet.keyboard.press('Enter');
  assert.equal(await quiet.evaluate(() => Object.keys(localStorage).length), 0, 'no-recent keeps nothing');
  await quiet.close();
});

test('the query in the page URL: shared links show results, typing updates it, Back restores it', async () => {
  const base = await site({ 'index.html': pageHtml({ attrs: 'url-param="q"' }), 'plain.html': pageHtml() });
  const page = await open(`${base}?q=poale+zion`);
  await hasOptions(page);
  assert.equal((await state(page)).panelHidden, false, 'shown without a click');
  await page.locator('site-search input').fill('witchhunt');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'witchhunt');
  await page.keyboard.press('ArrowDown');
  const target = (await state(page)).options[0].href;
  await Promise.all([page.waitForURL(new URL(target, base).href), page.keyboard.press('Enter')]);
  await page.goBack();
  await hasOptions(page);
  assert.equal((await state(page)).value, 'witchhunt');
  await page.close();

  // Off by default: the URL is left alone.
  const plain = await open(`${base}plain.html?q=zion`);
  await plain.locator('site-search input').fill('labour');
  await hasOptions(plain);
  assert.equal(new URL(plain.url()).searchParams.get('q'), 'zion');
  assert.equal((await state(plain)).value, 'labour');
  await plain.close();
});

test('a strict Content-Security-Policy page: styled, searching, no violation', async () => {
  const base = await site({ 'index.html': pageHtml() }, { headers: { 'content-security-policy': STRICT_CSP } });
  const page = await browser.newPage();
  const violations = [];
  await page.exposeFunction('reportViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  await page.goto(base);
  await page.locator('site-search input').fill('jewish labour');
  await hasOptions(page);
  const styled = await page.evaluate(() => {
    const shadow = document.querySelector('site-search').shadowRoot;
    return {
      panel: getComputedStyle(shadow.querySelector('[part="panel"]')).position,
      radius: getComputedStyle(shadow.querySelector('input')).borderTopLeftRadius,
    };
  });
  assert.deepEqual(styled, { panel: 'absolute', radius: '8.5px' }, 'the constructed stylesheet applies under style-src \'self\'');
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('hosted under a sub-path, and loaded from another origin with CORS', async () => {
  const prefix = 'deep/sub path/site/';
  const widgetSite = await site({ 'index.html': pageHtml() }, { prefix, headers: { 'access-control-allow-origin': '*' } });
  const page = await open(widgetSite);
  await page.locator('site-search input').fill('witchhunt');
  await hasOptions(page);
  const href = (await state(page)).options[0].href;
  assert.ok(new URL(href, widgetSite).pathname.startsWith(`/deep/sub%20path/site/docs/`), href);
  assert.equal((await page.request.get(new URL(href, widgetSite).href)).status(), 200);
  assert.deepEqual(page.errors, []);
  await page.close();

  // Another origin (host and port) loads the widget, the module and the wasm from the first.
  const script = `${widgetSite}search/widget.js`;
  const otherFolder = await mkdtemp(join(tmpdir(), 'site-search-other-'));
  await writeFile(join(otherFolder, 'index.html'), pageHtml({ script, attrs: `base-url="${widgetSite}"` }));
  await writeFile(join(otherFolder, 'favicon.ico'), '');
  const other = await serve(otherFolder, { port: 0, host: '127.0.0.1' });
  cleanup.push(async () => {
    other.close();
    await rm(otherFolder, { recursive: true, force: true });
  });
  const otherPage = await open(`http://localhost:${other.address().port}/`);
  await otherPage.locator('site-search input').fill('witchhunt');
  await hasOptions(otherPage);
  assert.ok((await state(otherPage)).options[0].href.startsWith(new URL('docs/', widgetSite).href));
  assert.deepEqual(otherPage.errors, []);
  await otherPage.close();
});

test('a phone-sized viewport: nothing overflows, and the modal fills the screen', async () => {
  const viewport = { width: 360, height: 640 };
  const base = await site({ 'index.html': pageHtml(), 'modal.html': pageHtml({ attrs: 'mode="modal"' }) });
  const page = await open(base, { viewport });
  await page.locator('site-search input').fill('jewish labour');
  await hasOptions(page);
  const fits = await page.evaluate(() => {
    const panel = document.querySelector('site-search').shadowRoot.querySelector('[part="panel"]').getBoundingClientRect();
    return { overflow: document.documentElement.scrollWidth - innerWidth, right: panel.right, left: panel.left };
  });
  assert.ok(fits.overflow <= 0, `page wider than the screen by ${fits.overflow}px`);
  assert.ok(fits.left >= 0 && fits.right <= viewport.width, JSON.stringify(fits));
  await page.close();

  const modal = await open(`${base}modal.html`, { viewport });
  await modal.locator('site-search [part="trigger"]').click();
  const box = await modal.locator('site-search dialog').boundingBox();
  assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, viewport.width, viewport.height]);
  await modal.close();

  // The "/" shortcut's hint needs a keyboard: shown with a mouse, not on a touch screen.
  const hint = (page) => page.evaluate(() => getComputedStyle(document.querySelector('site-search').shadowRoot.querySelector('kbd')).display);
  const desktop = await open(`${base}modal.html`);
  assert.notEqual(await hint(desktop), 'none');
  await desktop.close();
  const context = await browser.newContext({ viewport, hasTouch: true, isMobile: true });
  const touch = await context.newPage();
  await touch.goto(`${base}modal.html`);
  await touch.locator('site-search [part="trigger"]').waitFor();
  assert.equal(await hint(touch), 'none');
  await context.close();
});

test('isolation: no globals but the element; host CSS does not break it, its CSS does not leak', async () => {
  const hostile = `<style>
    * { all: unset; }
    body { font: 20px/3 serif; color: red; }
    input, li, mark, ul, p { display: none !important; }
    * { background: lime !important; border-left: 9px solid blue !important; }
  </style>`;
  const base = await site({
    'index.html': pageHtml({ head: hostile, body: '<ul><li id="own">the page\'s own list</li></ul>' }),
    'blank.html': '<!doctype html><html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>',
  });
  const page = await open(base);
  const input = page.locator('site-search input');
  assert.ok(await input.isVisible(), 'the host\'s `input { display: none }` does not reach the widget');
  await input.fill('jewish labour');
  await hasOptions(page);
  assert.ok(await page.locator('site-search [role="gridcell"]').first().isVisible());
  const inside = await page.evaluate(() => {
    const shadow = document.querySelector('site-search').shadowRoot;
    const mark = getComputedStyle(shadow.querySelector('mark'));
    const host = getComputedStyle(document.querySelector('site-search'));
    return {
      markBackground: mark.backgroundColor,
      fontSize: getComputedStyle(shadow.querySelector('input')).fontSize,
      host: [host.display, host.position, host.color],
      excerpt: getComputedStyle(shadow.querySelector('.excerpt')).color,
    };
  });
  assert.notEqual(inside.markBackground, 'rgb(0, 255, 0)');
  // The size follows the page's (20px here); \`* { all: unset }\` does not undo the layout or colours.
  assert.equal(inside.fontSize, '21.25px');
  assert.deepEqual(inside.host, ['block', 'relative', 'rgb(31, 31, 31)']);
  assert.equal(inside.excerpt, 'rgb(31, 31, 31)');
  // The widget's `li` rule (a 3px left border) stays inside.
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('own')).borderLeftWidth), '9px');
  await page.close();

  const blank = await open(`${base}blank.html`);
  const added = await blank.evaluate(async () => {
    const before = new Set(Object.getOwnPropertyNames(window));
    const { SiteSearch } = await import('./search/widget.js');
    const element = document.createElement('site-search');
    document.body.append(element);
    element.value = 'labour';
    await new Promise((resolve) => document.addEventListener('site-search-query', resolve, { once: true }));
    return {
      globals: Object.getOwnPropertyNames(window).filter((name) => !before.has(name)),
      defined: customElements.get('site-search') === SiteSearch,
    };
  });
  assert.deepEqual(added, { globals: [], defined: true });
  assert.deepEqual(blank.errors, []);
  await blank.close();
});

// The hostile corpus (tests/fixtures/hostile), built once for the tests that need it.
let hostileBuilt;
function hostileBuild() {
  const out = join(root, 'target/widget-hostile');
  hostileBuilt ??= execFileSync('make', ['--no-print-directory', 'build', `DIST=${out}`, `SEARCH_CORPUS=${join(root, 'tests/fixtures/hostile')}`,
    "SEARCH_BASE_URL=javascript:window.pwned='base';//"], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

test('a hostile corpus renders as inert text: no script runs, no attribute or link is injected', async () => {
  const out = hostileBuild();
  const base = await site({ 'index.html': pageHtml() }, { from: out });
  const page = await open(base);
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss();
  });
  await page.locator('site-search input').fill('hostile marker');
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelectorAll('[role="gridcell"]').length === 3);
  // Hover and click everything, as a visitor might.
  for (const option of await page.locator('site-search [role="gridcell"]').all()) await option.hover();
  const found = await page.evaluate(() => {
    const shadow = document.querySelector('site-search').shadowRoot;
    const all = [...shadow.querySelectorAll('*'), ...document.querySelectorAll('*')];
    return {
      pwned: window.pwned ?? null,
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`)),
      injected: [...shadow.querySelectorAll('img, script, svg, b, em, iframe')].map((el) => el.tagName),
      links: [...shadow.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      text: [...shadow.querySelectorAll('[role="gridcell"]')].map((o) => o.textContent).join('\n'),
    };
  });
  assert.equal(found.pwned, null);
  assert.deepEqual(found.handlers, []);
  assert.deepEqual(found.injected, []);
  assert.deepEqual(found.links, [], 'javascript: result links are not made into links');
  assert.match(found.text, /onerror/, 'the markup is shown as text');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('quotes, backslashes and control characters in the texts reach JavaScript unchanged', async () => {
  // Results cross the boundary as JSON (src/json.rs): every character that
  // JSON escapes is in this document, escapes.txt.
  const out = hostileBuild();
  const { default: init, search, corpusInfo, suggest } = await import(join(out, 'search/search.js'));
  await init({ module_or_path: await readFile(join(out, 'search/engine_bg.wasm')) });
  const title = 'Quotes "inside", a back\\slash and a \x01 control character';
  const { hits } = search('escape sentinel');
  assert.equal(hits[0].id, 'escapes.txt');
  assert.equal(hits[0].title, title);
  assert.ok(corpusInfo().documents.some((d) => d.title === title));
  // Whitespace, U+2028 and U+2029 among it, collapses to single spaces; the rest is kept as it is.
  assert.equal(hits[0].excerpt, 'Escape sentinel: "double quotes", back\\slashes \\\\ and \\n, a tab here, control '
    + '\x01\x02\x1f characters, a line separator and a paragraph separator here, emoji \u{1F600} and caf\u00e9 {"json": [1, 2]}.');
  assert.deepEqual(hits[0].highlights.map(([start, end]) => hits[0].excerpt.slice(start, end)), ['Escape', 'sentinel']);
  const { hits: [emoji] } = search('café');
  assert.deepEqual(emoji.highlights.map(([start, end]) => emoji.excerpt.slice(start, end)), ['caf\u00e9']);
  assert.ok(Number.isFinite(hits[0].score) && hits[0].score > 0);
  assert.deepEqual(suggest('sentin').map((s) => s.word), ['sentinel']);
});

test('light and dark: the system scheme, unless the theme attribute says otherwise', async () => {
  const base = await site({ 'index.html': pageHtml(), 'light.html': pageHtml({ attrs: 'theme="light"' }), 'dark.html': pageHtml({ attrs: 'theme="dark"' }) });
  const background = async (url, colorScheme) => {
    const page = await browser.newPage({ colorScheme });
    await page.goto(url);
    const color = await page.evaluate(() => getComputedStyle(document.querySelector('site-search').shadowRoot.querySelector('input')).backgroundColor);
    await page.close();
    return color;
  };
  const light = 'rgb(255, 255, 255)';
  const dark = 'rgb(31, 31, 31)';
  assert.equal(await background(base, 'light'), light);
  assert.equal(await background(base, 'dark'), dark);
  assert.equal(await background(`${base}light.html`, 'dark'), light);
  assert.equal(await background(`${base}dark.html`, 'light'), dark);
});
