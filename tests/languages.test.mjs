// A site in several languages (English, French, German, Russian, Japanese,
// Korean, Chinese), indexed by target/release/site-search-index in both modes
// and searched in headless Chromium: each page stemmed in its language
// (`<html lang>`, front matter, a `fr/` folder, a `.de.html` name), queries
// read in the site's languages or in the one asked for, CJK words found as
// their characters in order, results narrowed to the language asked for, the
// same answers embedded and sharded; a module without the stemmers for a site
// stemmed as English only (Japanese included); a passage in another language
// on an English page; the widget reading its page's `lang`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

const html = (lang, title, body) => `<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head><meta charset="utf-8">
<title>${title}</title></head><body><main><h1>${title}</h1><p>${body}</p></main></body></html>`;

async function writeSite(folder) {
  const pages = {
    'en/install.html': html('en', 'Installing', 'Installing packages with the installer.'),
    // The folder says French: the page says nothing.
    'fr/installation.html': html('', 'Installation', "Installation des paquets : l'installateur installe les paquets choisis."),
    'fr/reseau.html': html('fr', 'Réseau', 'Configurer le réseau et les interfaces réseaux.'),
    // The name says German.
    'netz.de.html': html('', 'Netzwerk', 'Die Netzwerke und die Größe der Häuser.'),
    'ru/elka.html': html('ru', 'Ёлка', 'Новогодняя ёлка и ёлки в лесу.'),
    'ja/crypto.html': html('ja', '暗号化', 'ファイルを暗号化する方法。パッケージマネージャの設定。'),
    'ja/dark.html': html('ja', '部屋', '号化暗は暗い部屋の話です。'),
    'ko/debian.html': html('ko', '데비안', '데비안은 자유 운영체제입니다.'),
    'zh/train.html': html('zh-CN', '新幹線', '新幹線と東京駅。'),
  };
  for (const [path, text] of Object.entries(pages)) {
    await mkdir(join(folder, 'src', path, '..'), { recursive: true });
    await writeFile(join(folder, 'src', path), text);
  }
  await writeFile(join(folder, 'src', 'es.md'), '---\nlang: es\ntitle: Paquetes\n---\nLos paquetes instalados.\n');
  // Japanese and English only: stemmed as English, the smaller module.
  await mkdir(join(folder, 'ja-src'), { recursive: true });
  await writeFile(join(folder, 'ja-src', 'a.html'), html('ja', '暗号化', 'ファイルを暗号化する。Packages installed.'));
  await writeFile(join(folder, 'ja-src', 'b.html'), html('en', 'Install', 'Installing packages.'));
  // English pages, one quoting Portuguese paragraphs (`<blockquote lang>`).
  await mkdir(join(folder, 'quote-src'), { recursive: true });
  const quoted = 'As aplicações instaladas pelo gestor de pacotes. '.repeat(20);
  await writeFile(join(folder, 'quote-src', 'a.html'), html('en', 'Translators', `The manual quotes them:</p><blockquote lang="pt-BR">${quoted}</blockquote><p>End of the quote.`));
  await writeFile(join(folder, 'quote-src', 'b.html'), html('en', 'Install', 'Applications installed by the package manager.'));
  for (const lang of ['fr', 'en']) {
    await writeFile(join(folder, `widget-${lang}.html`), `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Widget</title>
<script type="module" src="/sharded/widget.js"></script></head><body><main><h1>Search</h1><site-search></site-search></main></body></html>`);
  }
  await writeFile(join(folder, 'favicon.ico'), '');
}

before(async () => {
  site = await mkdtemp(join(tmpdir(), 'site-search-languages-'));
  await writeSite(site);
  for (const mode of ['embedded', 'sharded']) {
    execFileSync(INDEXER, [join(site, 'src'), '--mode', mode, '--output', join(site, mode), '--quiet'], { stdio: 'inherit' });
  }
  for (const name of ['ja', 'quote']) {
    execFileSync(INDEXER, [join(site, `${name}-src`), '--mode', 'embedded', '--output', join(site, name), '--quiet'], { stdio: 'inherit' });
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

async function open(path = 'widget-fr.html') {
  const page = await (await browser.newContext()).newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  await page.goto(base + path);
  return page;
}

/** Each [query, options] searched in each bundle; errors come back as { error: message }. */
function search(page, bundles, searches) {
  return page.evaluate(async ({ bundles, searches }) => {
    const out = {};
    for (const bundle of bundles) {
      const api = await import(`/${bundle}/search.js`);
      await api.default();
      out[bundle] = [];
      for (const [query, options] of searches) {
        try {
          const found = await api.search(query, options);
          out[bundle].push(found.hits.map((hit) => hit.id).sort());
        } catch (error) {
          out[bundle].push({ error: error.message });
        }
      }
    }
    return out;
  }, { bundles, searches });
}

test('each page is stemmed in its language, and queries are read in the site\'s: the same in both modes', async () => {
  const page = await open();
  const searches = [
    ['paquet ', {}],
    ['reseaux ', {}],
    ['installateurs ', { language: 'fr' }],
    ['Netzwerk ', {}],
    ['grosse ', {}],
    ['елка ', {}],
    ['paquete ', { language: 'es' }],
    ['暗号化', {}],
    ['マネージャ ', {}],
    ['데비안 ', {}],
    ['新幹線 ', { language: 'zh-CN' }],
    ['新幹線 ', { language: 'ja' }],
    ['化号暗 ', {}],
    ['x', { language: 5 }],
  ];
  const found = await search(page, ['embedded', 'sharded'], searches);
  assert.deepEqual(found.sharded, found.embedded);
  assert.deepEqual(found.embedded, [
    ['es.md', 'fr/installation.html'], // French `paquets` and Spanish `paquetes` share a stem
    ['fr/reseau.html'],
    ['fr/installation.html'],
    ['netz.de.html'],
    ['netz.de.html'],
    ['ru/elka.html'],
    ['es.md'],
    ['ja/crypto.html'],
    ['ja/crypto.html'],
    ['ko/debian.html'],
    ['zh/train.html'],
    [], // narrowed to the Japanese pages, none of which has it
    [],
    { error: 'search(query, options): options.language must be a language tag like "fr" or "pt-BR", got number' },
  ]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a site stemmed as English only (English and Japanese pages) gets a module without the stemmers', async () => {
  const smaller = (await readFile(join(site, 'ja', 'engine_bg.wasm'))).length;
  const withLanguages = (await readFile(join(site, 'embedded', 'engine_bg.wasm'))).length;
  assert.ok(smaller < withLanguages - 50_000, `${smaller} against ${withLanguages} bytes`);
  const page = await open();
  const found = await search(page, ['ja'], [['暗号化', {}], ['package ', { language: 'ja' }], ['install', {}]]);
  // Asked in Japanese, the Japanese pages only; asked in no language, every page.
  assert.deepEqual(found.ja, [['a.html'], ['a.html'], ['a.html', 'b.html']]);
  await page.close();
});

test('a passage in another language (an element\'s lang) is found as that language stems it', async () => {
  // Its 100 words and more make Portuguese one of the site's languages: the module with the stemmers.
  const quote = (await readFile(join(site, 'quote', 'engine_bg.wasm'))).length;
  const ja = (await readFile(join(site, 'ja', 'engine_bg.wasm'))).length;
  assert.ok(quote > ja + 50_000, `${quote} against ${ja} bytes`);
  const page = await open();
  const found = await search(page, ['quote'], [
    ['"aplicação"', { language: 'en' }], // the passage's `aplicações`, read from an English page
    ['"aplicação"', {}],
    ['applications ', { language: 'en' }],
    ['aplicações ', { language: 'pt' }], // no page is in Portuguese: read in English too
  ]);
  assert.deepEqual(found.quote, [['a.html'], ['a.html'], ['b.html'], ['a.html']]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the widget reads its queries in its page\'s language', async () => {
  // `installateur` read as French finds the French page; read as English, its stem finds none.
  const results = async (lang) => {
    const page = await open(`widget-${lang}.html`);
    await page.locator('site-search input').fill('installateur ');
    const status = page.locator('site-search >> [part="status"]');
    await page.waitForFunction(() => /result/.test(document.querySelector('site-search').shadowRoot.querySelector('[part="status"]')?.textContent ?? ''));
    const text = await status.textContent();
    const links = await page.locator('site-search >> [part="result-title"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(page.errors, []);
    await page.close();
    return { text, links };
  };
  const french = await results('fr');
  assert.equal(french.links.length, 1, JSON.stringify(french));
  assert.match(french.links[0], /fr\/installation\.html/);
  const english = await results('en');
  assert.ok(!english.links.some((href) => /fr\/installation/.test(href)), JSON.stringify(english));
});

test('the widget shows its page\'s language chip pressed, and unpressing it shows every language', async () => {
  const page = await open('widget-fr.html');
  await page.locator('site-search input').fill('installation ');
  const shadow = 'site-search >> ';
  const status = () => page.evaluate(() => document.querySelector('site-search').shadowRoot.querySelector('[part="status"]')?.textContent);
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelector('[part="status"]')?.textContent === '1 result');
  const group = page.getByRole('group', { name: 'language' });
  const pressed = group.locator('[aria-pressed="true"]');
  assert.deepEqual(await pressed.allTextContents(), ['fr (1)']);
  // Read in every language once no language is chosen: the English page too.
  await pressed.click();
  await page.waitForFunction(() => document.querySelector('site-search').shadowRoot.querySelector('[part="status"]')?.textContent !== '1 result');
  const links = await page.locator(`${shadow}[part="result-title"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.some((href) => /en\/install\.html/.test(href)) && links.some((href) => /fr\/installation\.html/.test(href)), JSON.stringify(links));
  assert.equal(await group.locator('[aria-pressed="true"]').count(), 0, await status());
  assert.deepEqual(page.errors, []);
  await page.close();
});
