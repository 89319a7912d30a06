// Bundles written by the indexer (target/release/site-search-index, built by
// `make build`), in headless Chromium on a local server: both modes give the
// same answers; the widget on a sharded bundle; missing and corrupt shards
// give an error naming the file, and the next search works; fast typing while
// shards load: the last query wins and each file (or part of a texts file,
// fetched by range) is fetched once; a host without range requests gives
// the same answers; a small site's dictionary comes whole at start-up, and
// init fails naming it when it is missing, then works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const INDEXER = join(root, 'target/release/site-search-index');

let browser;
let site;
let server;
let base;

/** About 1,700 pages cut from the seed texts, 60 words each: real English, many text
 * records; and the seed texts whole, whose excerpts are fetched a block at a time. */
async function writeSite(folder) {
  const seeds = join(root, 'seeds');
  let n = 0;
  for (const name of (await readdir(seeds)).sort()) {
    const words = (await readFile(join(seeds, name), 'utf8')).split(/\s+/).filter(Boolean);
    for (let at = 0; at < words.length; at += 3) {
      const text = words.slice(at, at + 60).join(' ');
      const title = words.slice(at, at + 5).join(' ');
      await writeFile(join(folder, `page${String(n++).padStart(3, '0')}.html`),
        `<!doctype html><html><head><title>${title}</title></head><body><main><p>${text}</p></main></body></html>`);
    }
  }
  // Sections of 200 words under h2 headings: with an id, or (every other one) none.
  for (const [i, name] of (await readdir(seeds)).sort().entries()) {
    const [title, ...body] = (await readFile(join(seeds, name), 'utf8')).split('\n');
    const words = body.join(' ').split(/\s+/).filter(Boolean);
    const parts = [];
    for (let at = 0, k = 0; at < words.length; at += 200, k++) {
      const heading = k % 2 ? `<h2>Part ${k} of ${name.slice(0, 3)}</h2>` : `<h2 id="part-${k}">Part ${k}</h2>`;
      parts.push(`${heading}<p>${words.slice(at, at + 200).join(' ')}</p>`);
    }
    await writeFile(join(folder, `long${i}.html`),
      `<!doctype html><html><head><title>${title}</title></head><body><main><h1>${title}</h1>${parts.join('')}</main></body></html>`);
  }
  await writeFile(join(folder, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sharded test</title>
<script type="module" src="/sharded/widget.js"></script></head><body><main><h1>Pages</h1><site-search></site-search></main></body></html>`);
  await writeFile(join(folder, 'favicon.ico'), '');
  return n;
}

before(async () => {
  site = await mkdtemp(join(tmpdir(), 'site-search-sharded-'));
  await mkdir(site, { recursive: true });
  await writeSite(site);
  for (const mode of ['embedded', 'sharded']) {
    execFileSync(INDEXER, [site, '--mode', mode, '--output', join(site, mode), '--quiet'], { stdio: 'inherit' });
  }
  server = await serve(site, { port: 0 });
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

/** A page on the site that fails the test on a page error; `requests` counts each
 * URL fetched, by its range when it asks for one (`url bytes=a-b`). */
async function open(path = '', at = base) {
  const page = await browser.newPage();
  page.errors = [];
  page.requests = new Map();
  page.on('pageerror', (error) => page.errors.push(error.message));
  page.on('request', (request) => {
    const key = [request.url(), request.headers().range].filter(Boolean).join(' ');
    page.requests.set(key, (page.requests.get(key) ?? 0) + 1);
  });
  await page.goto(at + path);
  return page;
}

/** The top 10 (or as `options` say) for each query, from the bundles `/<prefix>embedded/` and `/<prefix>sharded/`. */
function bothModes(page, prefix, queries, options = { limit: 10 }) {
  return page.evaluate(async ({ prefix, queries, options }) => {
    const out = {};
    for (const mode of ['embedded', 'sharded']) {
      const api = await import(`/${prefix}${mode}/search.js`);
      await api.default();
      out[mode] = [];
      for (const query of queries) out[mode].push(await api.search(query, options));
    }
    return out;
  }, { prefix, queries, options });
}

const QUERIES = ['jewish labour', 'labour movement', '"labour movement"', 'antisemetism', 'Nationbulder ', 'jew', 'labour -zionist',
  'labour OR party', 'history of the jews', 'the', 'zzzz', '', 'poale zion', 'witchhunt training sessions members', 'newm',
  'jewish labour movement conference speakers'];

test('both modes give the same answers, and the sharded one fetches a fraction of its files', async () => {
  const page = await open('index.html');
  const answers = await page.evaluate(async (queries) => {
    const out = {};
    for (const mode of ['embedded', 'sharded']) {
      const api = await import(`/${mode}/search.js`);
      await api.default();
      out[mode] = { sharded: api.isSharded(), results: [], suggestions: [] };
      for (const query of queries) {
        out[mode].results.push(await api.search(query, { limit: 10 }));
        out[mode].results.push(await api.search(query, { limit: 3, offset: 2 }));
        out[mode].suggestions.push(await api.suggest(query, 5));
      }
      out[mode].info = await api.corpusInfo();
    }
    return out;
  }, QUERIES);
  assert.equal(answers.embedded.sharded, false);
  assert.equal(answers.sharded.sharded, true);
  assert.ok(answers.embedded.results[0].total > 10, 'the query set finds pages');
  assert.deepEqual(answers.sharded.results, answers.embedded.results);
  // A long page's hit links to the section its excerpt is in: by its id, or by a text fragment.
  const seedName = (await readdir(join(root, 'seeds'))).sort()[1];
  const [, ...seedBody] = (await readFile(join(root, 'seeds', seedName), 'utf8')).split('\n');
  const seedWords = seedBody.join(' ').split(/\s+/).filter(Boolean);
  const phrases = [2, 3].map((k) => `"${seedWords.slice(200 * k + 80, 200 * k + 84).join(' ')}"`);
  const sectionHits = await bothModes(page, '', phrases, { limit: 100 });
  assert.deepEqual(sectionHits.sharded, sectionHits.embedded);
  const [byId, byText] = sectionHits.sharded.map((result) => result.hits.find((hit) => hit.id === 'long1.html'));
  // Links are absolute, from the site's root, which the bundle finds one folder up from itself.
  assert.equal(byId?.url, `${base}long1.html#part-2`, JSON.stringify(byId));
  assert.equal(byText?.url, `${base}long1.html#:~:text=Part%203%20of%20${seedName.slice(0, 3)}`, JSON.stringify(byText));
  assert.deepEqual(answers.sharded.info.documents.slice(0, 2).map((d) => d.url), [base, `${base}long0.html`]);
  for (const [hit, title] of [[byId, 'Part 2'], [byText, `Part 3 of ${seedName.slice(0, 3)}`]]) {
    assert.deepEqual(hit.sections, [{ title, url: hit.url, excerpt: hit.excerpt, highlights: hit.highlights }]);
  }
  assert.deepEqual(answers.sharded.suggestions, answers.embedded.suggestions);
  assert.deepEqual(answers.sharded.info, answers.embedded.info);
  assert.deepEqual(page.errors, []);
  // On HTTP/1.1, from the page's own origin, a round asks for a file's parts
  // in one request of several ranges.
  const multiple = [...page.requests.keys()].filter((key) => /\/sharded\/index\/(postings|texts)\..* bytes=\d+-\d+,\d+-\d+/.test(key));
  assert.ok(multiple.length > 0, 'some request asks for several ranges');
  await page.close();

  // A single search fetches only some of the shards.
  const manifest = JSON.parse(await readFile(join(site, 'sharded', 'manifest.json'), 'utf8'));
  const files = [manifest.core, manifest.dictionaryFile, ...manifest.postings,
    ...manifest.texts.map((t) => t.file), ...manifest.vectors.map((v) => v.file)];
  assert.ok(manifest.documents > 1000, `the test site needs many text records (${manifest.documents})`);
  const one = await open('index.html');
  const total = await one.evaluate(async () => {
    const api = await import('/sharded/search.js');
    await api.default();
    return (await api.search('poale zion', { limit: 3 })).total;
  });
  assert.ok(total > 0);
  const fetched = [...one.requests.keys()].filter((url) => url.includes('/sharded/index/'));
  const whole = fetched.filter((key) => !key.includes(' bytes='));
  assert.ok(whole.length < files.length / 2, `${whole.length} of ${files.length} files fetched`);
  // The hits' texts are parts of their files, fetched by range: never a whole texts file.
  const texts = fetched.filter((key) => key.includes('/index/texts.'));
  assert.ok(texts.length > 0 && texts.every((key) => / bytes=\d+-\d+(,\d+-\d+)*$/.test(key)), JSON.stringify(texts));
  assert.ok(fetched.every((key) => one.requests.get(key) === 1), 'each file or range fetched once');
  await one.close();
});

test('the widget on a sharded bundle: results, and a missing or corrupt shard said in words, then recovery', async () => {
  const page = await open('index.html');
  const input = page.locator('site-search input');
  await input.fill('poale zion');
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelectorAll('[role="gridcell"]').length > 0);
  // A long page's hit shows the heading of the section its excerpt is in, and links to it.
  await input.fill('part 3');
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelector('[part="result-section"]'));
  const sections = await page.evaluate(() => [...document.querySelector('site-search').shadowRoot.querySelectorAll('[role="gridcell"]')]
    .filter((cell) => cell.querySelector('[part="result-section"]'))
    .map((cell) => [cell.querySelector('[part="result-section"]').textContent, cell.querySelector('a').getAttribute('href')]));
  assert.ok(sections.length > 0, 'a hit shows its section');
  for (const [heading, href] of sections) {
    assert.match(heading, /^Part \d+/);
    assert.match(href, /\/long\d\.html#(part-\d+|:~:text=Part%20\d+)/);
  }
  // Other sections whose headings match are rows of their own under the hit
  // (sub-results), reached with the arrows like any row; choosing one says so.
  const rows = await page.evaluate(() => [...document.querySelector('site-search').shadowRoot.querySelectorAll('[role="gridcell"]')]
    .map((cell) => [cell.getAttribute('part'), cell.querySelector('a')?.textContent ?? '', cell.querySelector('a')?.getAttribute('href') ?? '']));
  const firstSub = rows.findIndex(([part]) => part === 'sub-result');
  assert.ok(firstSub > 0, JSON.stringify(rows));
  assert.equal(rows[firstSub - 1][0] === 'result' || rows[firstSub - 1][0] === 'sub-result', true);
  for (const [part, text, href] of rows.filter(([part]) => part === 'sub-result')) {
    assert.match(text, /^Part \d+/, part);
    assert.match(href, /\/long\d\.html#(part-\d+|:~:text=Part%20\d+)/);
  }
  await page.evaluate(() => document.addEventListener('site-search-select', (event) => {
    event.preventDefault();
    window.chosen = event.detail;
  }));
  for (let i = 0; i <= firstSub; i++) await input.press('ArrowDown');
  await input.press('Enter');
  const chosen = await page.evaluate(() => window.chosen);
  assert.match(chosen.hit.section, /^Part \d+/);
  assert.equal(new URL(chosen.hit.url).hash, new URL(rows[firstSub][2], 'http://x/').hash);
  assert.ok(chosen.position >= 0);
  await page.close();

  // On a fresh page every index file fails: first missing (404), then truncated.
  for (const failure of ['missing', 'truncated']) {
    const failing = await open('index.html');
    await failing.route('**/sharded/index/**', async (route) => {
      if (failure === 'missing') return route.fulfill({ status: 404, body: 'not found' });
      const response = await route.fetch();
      const body = await response.body();
      return route.fulfill({ response, body: body.subarray(0, body.length - 3) });
    });
    const message = await failing.evaluate(async () => {
      const api = await import('/sharded/search.js');
      try {
        await api.default();
        await api.search('witchhunt');
        return null;
      } catch (error) {
        return error.message;
      }
    });
    assert.match(message ?? '', /search index file .*\/sharded\/index\/\w+\.[0-9a-f]{16}\.bin/, failure);
    assert.match(message, failure === 'missing' ? /HTTP 404/ : /bytes where the manifest says/, failure);
    const input = failing.locator('site-search input');
    await input.fill('labour party');
    await failing.waitForFunction(() => /Please try again/.test(document.querySelector('site-search').shadowRoot.querySelector('[part="status"]').textContent));
    await failing.unroute('**/sharded/index/**');
    // The next search works.
    await input.fill('jewish labour');
    await failing.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelectorAll('[role="gridcell"]').length > 0);
    await failing.close();
  }
});

test('typing fast while shards load: the last query wins, and each file is fetched once', async () => {
  const page = await open('index.html');
  await page.evaluate(() => {
    window.queries = [];
    document.addEventListener('site-search-query', (event) => window.queries.push(event.detail.query));
  });
  // Every index file takes 150 ms, so that the queries overlap.
  await page.route('**/sharded/index/**', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    await route.continue();
  });
  await page.locator('site-search input').pressSequentially('jewish labour movement', { delay: 10 });
  await page.waitForFunction(() => window.queries.length > 0 && window.queries.at(-1) === 'jewish labour movement');
  await page.waitForTimeout(400);
  const queries = await page.evaluate(() => window.queries);
  assert.equal(queries.at(-1), 'jewish labour movement', JSON.stringify(queries));
  const marks = await page.evaluate(() => [...document.querySelector('site-search').shadowRoot.querySelectorAll('mark')].map((m) => m.textContent.toLowerCase()));
  assert.ok(marks.length > 0 && marks.every((m) => /^(jew|labour|movement)/.test(m)), JSON.stringify(marks));
  const repeated = [...page.requests].filter(([url, count]) => url.includes('/sharded/') && count > 1);
  assert.deepEqual(repeated, [], 'no file or range fetched twice');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a host without range requests: the whole texts file comes, and the answers are the same', async () => {
  const plain = await serve(site, { port: 0, ranges: false });
  try {
    const page = await open('index.html', `http://127.0.0.1:${plain.address().port}/`);
    const queries = ['poale zion', 'jewish labour movement conference speakers', 'antisemetism'];
    const answers = await bothModes(page, '', queries);
    assert.ok(answers.embedded[0].total > 0);
    assert.deepEqual(answers.sharded, answers.embedded);
    // A texts file (256 KB) is asked for several ranges only when the host
    // answered search.js's two ranges of the core with them: this one did not.
    const texts = [...page.requests.keys()].filter((key) => /\/index\/texts\..* bytes=\d+-\d+,/.test(key));
    assert.deepEqual(texts, []);
    assert.deepEqual(page.errors, []);
    await page.close();
  } finally {
    plain.close();
  }
});

test('a host that answers several ranges with one range spanning them: the same answers', async () => {
  const joined = await serve(site, { port: 0, ranges: 'joined' });
  try {
    const page = await open('index.html', `http://127.0.0.1:${joined.address().port}/`);
    const queries = ['poale zion', 'jewish labour movement conference speakers', 'antisemetism', 'history of the jews'];
    const answers = await bothModes(page, '', queries);
    assert.ok(answers.embedded[0].total > 0);
    assert.deepEqual(answers.sharded, answers.embedded);
    assert.ok([...page.requests.keys()].some((key) => / bytes=\d+-\d+,/.test(key)), 'several ranges were asked for');
    assert.deepEqual(page.errors, []);
    await page.close();
  } finally {
    joined.close();
  }
});

test('a small sharded site: its whole dictionary comes beside the core, and a missing one fails init naming it, then init works', async () => {
  const seeds = join(root, 'seeds');
  for (const mode of ['embedded', 'sharded']) {
    execFileSync(INDEXER, [seeds, '--mode', mode, '--output', join(site, `small-${mode}`), '--quiet'], { stdio: 'inherit' });
  }
  const manifest = JSON.parse(await readFile(join(site, 'small-sharded', 'manifest.json'), 'utf8'));
  assert.equal(manifest.prefetchDictionary, true, 'a dictionary of a few KB is fetched at start-up');
  const queries = ['jewish labour', 'antisemetism', 'labour -zionist', 'history of the jews and the labour movement', 'zzzz'];
  const page = await open('index.html');
  const answers = await bothModes(page, 'small-', queries);
  assert.ok(answers.embedded[0].total > 0);
  assert.deepEqual(answers.sharded, answers.embedded);
  // The dictionary came once, whole: no search asked for a range of it.
  const dictionary = [...page.requests.keys()].filter((key) => key.includes('/small-sharded/index/dictionary.'));
  assert.equal(dictionary.length, 1, dictionary.join(', '));
  assert.ok(!dictionary[0].includes(' bytes='), dictionary[0]);
  assert.deepEqual(page.errors, []);
  await page.close();

  // Missing at start-up: init rejects naming the file; once it is back, init works.
  const failing = await open('index.html');
  const name = manifest.dictionaryFile.name;
  await failing.route(`**/small-sharded/${name}`, (route) => route.fulfill({ status: 404, body: 'not found' }));
  const first = await failing.evaluate(async () => {
    const api = await import('/small-sharded/search.js');
    try {
      await api.default();
      return 'resolved';
    } catch (error) {
      return error.message;
    }
  });
  assert.ok(first.includes(name) && first.includes('404'), first);
  await failing.unroute(`**/small-sharded/${name}`);
  const total = await failing.evaluate(async () => {
    const api = await import('/small-sharded/search.js');
    await api.default();
    return (await api.search('jewish labour')).total;
  });
  assert.equal(total, answers.embedded[0].total);
  await failing.close();
});
