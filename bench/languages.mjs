// Every language a site is written in: the Debian FAQ in ten languages
// (Debian's debian-faq and debian-faq-{de,fr,it,ja,ko,nl,pt,ru,zh-cn},
// installed here if missing), one site of 170 pages, each page's `<html>`
// given its language as a well-made site declares it. Our bundle and
// Pagefind's are built from the same pages; each engine is searched from a
// page in each language (`<html lang>`: Pagefind picks that language's index,
// our widget passes it as `language`), for words of that language typed as a
// visitor types them (no trailing space).
//
//   node bench/languages.mjs            print the table and write it into BENCHMARKS.md
//   node bench/languages.mjs --print    print only
//
// The judgments are ours, made before measuring (WORDS below): a page is
// right for a word when it is in the word's language and its text (less
// DocBook's navigation bars) holds one of the forms listed for it, as a word
// (Latin and Cyrillic scripts) or anywhere (Chinese, Japanese, Korean, which
// are written without spaces). Precision@10: right hits among those shown (at
// most 10; none shown counts 0); recall@10: right hits in the top 10 over the
// right pages, or 10 if more. Nothing in the engine reads these lists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium.mjs';
import { writeSection } from './benchmarks_md.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'target', 'languages');
const FAQ = '/usr/share/doc/debian/FAQ';
const INDEXER = join(root, 'target', 'release', 'site-search-index');
const PAGEFIND = join(root, 'node_modules', '@pagefind', 'linux-x64', 'bin', 'pagefind_extended');
const PACKAGES = ['debian-faq', ...['de', 'fr', 'it', 'ja', 'ko', 'nl', 'pt', 'ru', 'zh-cn'].map((l) => `debian-faq-${l}`)];
const SPACELESS = new Set(['ja', 'ko', 'zh-cn']);

/** Per language: [the word typed, the forms a right page holds (default: the word)]. */
const WORDS = {
  en: [['package', ['package', 'packages']], ['kernel', ['kernel', 'kernels']], ['architecture', ['architecture', 'architectures']],
    ['upgrade', ['upgrade', 'upgrades', 'upgraded', 'upgrading']], ['mirror', ['mirror', 'mirrors']],
    ['maintainer', ['maintainer', 'maintainers']], ['license', ['license', 'licenses', 'licence', 'licences']],
    ['compile', ['compile', 'compiles', 'compiled', 'compiling']]],
  de: [['Paket', ['paket', 'pakete', 'paketen', 'paketes', 'pakets']], ['Architektur', ['architektur', 'architekturen']],
    ['Konfigurationsdatei', ['konfigurationsdatei', 'konfigurationsdateien']], ['Festplatte', ['festplatte', 'festplatten']],
    ['Werkzeug', ['werkzeug', 'werkzeuge', 'werkzeugen', 'werkzeugs']], ['Änderung', ['änderung', 'änderungen']],
    ['Rechner', ['rechner', 'rechners', 'rechnern']], ['Spiegel', ['spiegel', 'spiegeln', 'spiegels']]],
  fr: [['paquet', ['paquet', 'paquets']], ['noyau', ['noyau', 'noyaux']], ['logiciel', ['logiciel', 'logiciels']],
    ['répertoire', ['répertoire', 'répertoires']], ['commande', ['commande', 'commandes']], ['bogue', ['bogue', 'bogues']],
    ['disque', ['disque', 'disques']], ['architecture', ['architecture', 'architectures']]],
  it: [['pacchetto', ['pacchetto', 'pacchetti']], ['applicazione', ['applicazione', 'applicazioni']], ['comando', ['comando', 'comandi']],
    ['problema', ['problema', 'problemi']], ['aggiornato', ['aggiornato', 'aggiornati', 'aggiornata', 'aggiornate']],
    ['architettura', ['architettura', 'architetture']], ['sviluppatore', ['sviluppatore', 'sviluppatori']], ['archivio', ['archivio', 'archivi']]],
  nl: [['pakket', ['pakket', 'pakketten']], ['toepassing', ['toepassing', 'toepassingen']], ['ontwikkelaar', ['ontwikkelaar', 'ontwikkelaars']],
    ['versie', ['versie', 'versies']], ['configuratiebestand', ['configuratiebestand', 'configuratiebestanden']],
    ['vereiste', ['vereiste', 'vereisten']], ['architectuur', ['architectuur', 'architecturen']],
    ['compileren', ['compileren', 'compileert', 'gecompileerd']]],
  pt: [['pacote', ['pacote', 'pacotes']], ['aplicação', ['aplicação', 'aplicações']], ['arquitectura', ['arquitectura', 'arquitecturas']],
    ['problema', ['problema', 'problemas']], ['alteração', ['alteração', 'alterações']], ['método', ['método', 'métodos']],
    ['compilar', ['compilar', 'compilado', 'compilados', 'compila']], ['espelho', ['espelho', 'espelhos']]],
  ru: [['пакет', ['пакет', 'пакета', 'пакету', 'пакетом', 'пакете', 'пакеты', 'пакетов', 'пакетам', 'пакетами', 'пакетах']],
    ['ядро', ['ядро', 'ядра', 'ядру', 'ядром', 'ядре', 'ядер']],
    ['дистрибутив', ['дистрибутив', 'дистрибутива', 'дистрибутиву', 'дистрибутивом', 'дистрибутиве', 'дистрибутивы', 'дистрибутивов']],
    ['архитектура', ['архитектура', 'архитектуры', 'архитектуре', 'архитектуру', 'архитектурой', 'архитектур', 'архитектурах']],
    ['каталог', ['каталог', 'каталога', 'каталоге', 'каталоги', 'каталогов', 'каталогах']],
    ['инструмент', ['инструмент', 'инструмента', 'инструменты', 'инструментов', 'инструментами']],
    ['пользователь', ['пользователь', 'пользователя', 'пользователю', 'пользователи', 'пользователей', 'пользователям']],
    ['зеркало', ['зеркало', 'зеркала', 'зеркал', 'зеркале', 'зеркалах']]],
  ja: [['パッケージ'], ['リリース'], ['ディストリビューション'], ['カーネル'], ['アーキテクチャ'], ['設定'], ['更新'], ['依存'], ['開発者'], ['安定版']],
  ko: [['패키지'], ['커널'], ['아키텍처'], ['업그레이드'], ['설치'], ['저장소'], ['보안'], ['미러'], ['개발자']],
  'zh-cn': [['软件包'], ['内核'], ['架构'], ['升级'], ['安装'], ['镜像'], ['依赖'], ['安全'], ['发行版'], ['源代码']],
};

const folderOf = (lang) => (lang === 'en' ? FAQ : join(FAQ, lang));

function install() {
  if (Object.keys(WORDS).every((lang) => existsSync(join(folderOf(lang), `index.${lang}.html`)))) return;
  console.error(`installing ${PACKAGES.join(' ')}`);
  const result = spawnSync('apt-get', ['install', '-y', '-qq', ...PACKAGES], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`could not install them (apt-get install ${PACKAGES.join(' ')})`);
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
}

/** A page's text as judged: no tags, no DocBook navigation bars, lower case. */
const judgedText = (html) => html.replace(/<div class="nav(header|footer)">[\s\S]*?<\/div>/g, ' ')
  .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ')
  .replace(/&[a-z]+;|&#\d+;/g, ' ').toLowerCase();

/** The site (pages/<lang>/…, each `<html>` with its `lang`), both engines' bundles, and a search page per engine and language. */
function buildSite() {
  if (!existsSync(INDEXER)) throw new Error(`${INDEXER} is missing: run make build first`);
  const site = join(work, 'site');
  rmSync(site, { recursive: true, force: true });
  const texts = {};
  for (const lang of Object.keys(WORDS)) {
    const out = join(site, 'pages', lang);
    mkdirSync(out, { recursive: true });
    texts[lang] = {};
    for (const file of readdirSync(folderOf(lang)).filter((f) => f.endsWith(`.${lang}.html`))) {
      const html = readFileSync(join(folderOf(lang), file), 'utf8').replace(/<html(?=[\s>])/, `<html lang="${lang}"`);
      writeFileSync(join(out, file), html);
      texts[lang][`${lang}/${file}`] = judgedText(html);
    }
  }
  run(INDEXER, [join(site, 'pages'), '--output', join(site, 'ours'), '--extensions', 'html', '--base-url', 'pages/', '--quiet']);
  run(PAGEFIND, ['--site', join(site, 'pages'), '--silent']);
  for (const lang of Object.keys(WORDS)) {
    const page = (script) => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${lang}</title></head><body><script type="module">
${script}
window.ready = true;
</script></body></html>`;
    writeFileSync(join(site, `ours-${lang}.html`), page(`const { default: init, search } = await import('./ours/search.js');
await init();
window.search = async (q) => (await search(q, { limit: 10, language: document.documentElement.lang })).hits.map((h) => h.url);`));
    writeFileSync(join(site, `pagefind-${lang}.html`), page(`const pagefind = await import('./pages/pagefind/pagefind.js');
await pagefind.init();
window.search = async (q) => {
  const found = await pagefind.search(q);
  return (await Promise.all(found.results.slice(0, 10).map((r) => r.data()))).map((d) => d.url);
};`));
  }
  return { site, texts };
}

/** The page a hit's URL names, as `<lang>/<file>`. */
const pageOf = (url) => decodeURIComponent(url).replace(/^[a-z]+:\/\/[^/]+/, '').replace(/[#?].*$/, '')
  .replace(/^\/+/, '').replace(/^pages\//, '');

function rightPages(lang, forms, texts) {
  const matches = SPACELESS.has(lang)
    ? (text) => forms.some((form) => text.includes(form))
    : (text) => new RegExp(`(?<![\\p{L}\\p{N}])(${forms.join('|')})(?![\\p{L}\\p{N}])`, 'u').test(text);
  return new Set(Object.entries(texts[lang]).filter(([, text]) => matches(text)).map(([page]) => page));
}

async function measure(browser, base, engine, lang, texts) {
  const page = await browser.newPage();
  await page.goto(`${base}/${engine}-${lang}.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 120_000 });
  let precision = 0;
  let recall = 0;
  const words = WORDS[lang];
  const misses = [];
  for (const [word, forms] of words) {
    const right = rightPages(lang, (forms ?? [word]).map((f) => f.toLowerCase()), texts);
    const shown = (await page.evaluate((q) => window.search(q), word)).slice(0, 10).map(pageOf);
    const hits = shown.filter((p) => right.has(p)).length;
    precision += shown.length ? hits / shown.length : 0;
    recall += hits / Math.min(10, right.size);
    if (hits < Math.min(10, right.size) || hits < shown.length) misses.push(`${word} ${hits}/${shown.length}/${right.size}`);
    if (process.env.LANGUAGES_DEBUG) console.error(`${engine} ${lang} ${word}: ${shown.join(' ')}`);
  }
  // The words with accents or marks, typed without them (`Anderung`, `aplicacao`), as visitors on
  // another keyboard type them: recall@10 against the same right pages.
  const unmarked = words.filter(([word]) => !SPACELESS.has(lang) && stripMarks(word) !== word);
  let unmarkedRecall = 0;
  for (const [word, forms] of unmarked) {
    const right = rightPages(lang, (forms ?? [word]).map((f) => f.toLowerCase()), texts);
    const shown = (await page.evaluate((q) => window.search(q), stripMarks(word))).slice(0, 10).map(pageOf);
    unmarkedRecall += shown.filter((p) => right.has(p)).length / Math.min(10, right.size);
  }
  await page.close();
  return {
    precision: precision / words.length, recall: recall / words.length, misses,
    unmarked: unmarked.length, unmarkedRecall: unmarked.length ? unmarkedRecall / unmarked.length : null,
  };
}

/** A word without its accents and marks: what a visitor types on a keyboard that lacks them. */
const stripMarks = (word) => word.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');

const START = '<!-- languages:start (written by `make relevance`; edit bench/languages.mjs instead) -->';
const END = '<!-- languages:end -->';

async function main() {
  install();
  const { site, texts } = buildSite();
  const server = await serve(site, { port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    const pagefindVersion = JSON.parse(readFileSync(join(PAGEFIND, '..', '..', 'package.json'), 'utf8')).version;
    const rows = [];
    const unmarkedRows = [];
    const totals = { ours: { p: 0, r: 0 }, pagefind: { p: 0, r: 0 } };
    for (const lang of Object.keys(WORDS)) {
      const ours = await measure(browser, base, 'ours', lang, texts);
      const pagefind = await measure(browser, base, 'pagefind', lang, texts);
      for (const [name, result] of [['ours', ours], ['pagefind', pagefind]]) {
        totals[name].p += result.precision;
        totals[name].r += result.recall;
        if (result.misses.length) console.error(`${name} ${lang}: ${result.misses.join(' · ')}`);
      }
      const pages = Object.keys(texts[lang]).length;
      rows.push(`| ${lang} (${pages} pages, ${WORDS[lang].length} words) | **${ours.precision.toFixed(2)}** | **${ours.recall.toFixed(2)}** | ${pagefind.precision.toFixed(2)} | ${pagefind.recall.toFixed(2)} |`);
      if (ours.unmarked) {
        const typed = WORDS[lang].map(([w]) => w).filter((w) => stripMarks(w) !== w).map((w) => `\`${stripMarks(w)}\``).join(', ');
        unmarkedRows.push(`| ${lang}: ${typed} | **${ours.unmarkedRecall.toFixed(2)}** | ${pagefind.unmarkedRecall.toFixed(2)} |`);
      }
    }
    const count = Object.keys(WORDS).length;
    rows.push(`| mean | **${(totals.ours.p / count).toFixed(2)}** | **${(totals.ours.r / count).toFixed(2)}** | ${(totals.pagefind.p / count).toFixed(2)} | ${(totals.pagefind.r / count).toFixed(2)} |`);
    const report = [
      `Measured ${new Date().toISOString().slice(0, 10)}: the Debian FAQ in ${count} languages as one site `
        + `(${Object.values(texts).reduce((n, t) => n + Object.keys(t).length, 0)} pages), each word typed as it is (no trailing space) `
        + `into each engine's JS API in Chromium, from a page in the word's language. Pagefind ${pagefindVersion}.`,
      '',
      '| language | ours: precision@10 | ours: recall@10 | Pagefind: precision@10 | Pagefind: recall@10 |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      'The words with accents typed without them (the same right pages):',
      '',
      '| words typed | ours: recall@10 | Pagefind: recall@10 |',
      '|---|---|---|',
      ...unmarkedRows,
    ].join('\n');
    console.log(report);
    if (!process.argv.includes('--print')) writeSection(START, END, report);
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
