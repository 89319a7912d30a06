// <site-search>: the search box a site adds with one script tag and one element.
//
//   <script type="module" src="/search/widget.js"></script>
//   <site-search></site-search>
//
// Everything it loads (search.js, engine_bg.wasm, a sharded index's files) is resolved relative to this
// script, so the folder works under any path and from another origin (with
// CORS). The wasm is fetched lazily: when the browser is idle, or at the first
// focus or keystroke, whichever comes first; the box is usable at once and the
// latest query runs as soon as the module is ready.
//
// Safety: document text only reaches the page through textContent and
// createElement, never innerHTML, so a document cannot inject markup; result
// links are used only when they resolve to http(s). Styles live in the shadow
// root as a constructed stylesheet, so a strict Content-Security-Policy
// (`style-src 'self'`) allows them and the host page's CSS neither breaks nor
// receives them. The only global this defines is the custom element.

const ENGINE_URL = new URL('./search.js', import.meta.url);
const GLUE_URL = new URL('./engine.js', import.meta.url);
const WASM_URL = new URL('./engine_bg.wasm', import.meta.url);

const DEFAULTS = {
  placeholder: 'Search',
  label: 'Search this site',
  resultsPerPage: 10,
  debounce: 0,
};
const MAX_RESULTS_PER_PAGE = 100;
const MAX_DEBOUNCE_MS = 5000;

/** The wasm module, loaded once for every widget on the page. */
let engine = null;
let engineReady = false;
function loadEngine() {
  // The wasm download starts with the glue's, not after it: one round trip
  // less before the first results (150 ms on a slow mobile network).
  // search.js's own import of the glue then finds it already on its way.
  engine ??= Promise.all([import(ENGINE_URL.href), fetch(WASM_URL), import(GLUE_URL.href)]).then(async ([module, wasm]) => {
    await module.default({ module_or_path: wasm });
    engineReady = true;
    return module;
  });
  // A failed load (offline, blocked) may be retried by the next interaction.
  engine.catch(() => { engine = null; });
  return engine;
}

// The dark palette, for the system's dark mode and for theme="dark".
const DARK = `
  --_accent: var(--site-search-accent, #8ab4f8);
  --_text: var(--site-search-text, #e3e3e3);
  --_muted: var(--site-search-muted, #9aa0a6);
  --_background: var(--site-search-background, #1f1f1f);
  --_border: var(--site-search-border, #5f6368);
  --_control: var(--site-search-border, #9aa0a6);
  --_mark: var(--site-search-mark, #6b5200);
  --_selected: var(--site-search-selected, #283142);
  color-scheme: dark;
`;

const CSS = `
/* !important on what the layout needs: a page's own rules beat :host's
   unless they are important (then the shadow root's win), so a host page's
   \`* { all: unset }\` cannot break the element. The size follows the page's. */
:host {
  all: initial;
  display: block !important;
  position: relative !important;
  font-family: var(--site-search-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif) !important;
  font-size: var(--site-search-font-size, inherit) !important;
  line-height: 1.5 !important;
  text-align: start !important;
  --_accent: var(--site-search-accent, #0b57d0);
  --_text: var(--site-search-text, #1f1f1f);
  --_muted: var(--site-search-muted, #5f6368);
  --_background: var(--site-search-background, #fff);
  --_border: var(--site-search-border, #c4c7c5);
  --_control: var(--site-search-border, #80868b);
  --_mark: var(--site-search-mark, #fde68a);
  --_selected: var(--site-search-selected, #e8f0fe);
  --_radius: var(--site-search-radius, 0.5em);
  --_width: var(--site-search-panel-width, 100%);
  color: var(--_text) !important;
  color-scheme: light;
}
:host([hidden]) { display: none !important; }
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) { ${DARK} }
}
:host([theme="dark"]) { ${DARK} }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.box { position: relative; }
input {
  display: block; width: 100%; margin: 0; font: inherit; font-size: 1.0625em;
  color: var(--_text); background: var(--_background);
  padding: 0.55em 0.8em; border: 1px solid var(--_control); border-radius: var(--_radius);
  -webkit-appearance: none; appearance: none;
}
input:focus { outline: 2px solid var(--_accent); outline-offset: 1px; }
/* The clear button in the accent colour: an × of two gradients (no image, so a
   strict Content-Security-Policy has nothing to block). */
input::-webkit-search-cancel-button {
  -webkit-appearance: none; appearance: none; width: 0.8em; height: 0.8em; margin-left: 0.4em; cursor: pointer;
  background:
    linear-gradient(45deg, transparent 43%, var(--_accent) 43%, var(--_accent) 57%, transparent 57%),
    linear-gradient(-45deg, transparent 43%, var(--_accent) 43%, var(--_accent) 57%, transparent 57%);
}
input::placeholder { color: var(--_muted); opacity: 1; }
.panel {
  position: absolute; z-index: 2147483000; top: calc(100% + 0.35em); left: 0;
  width: var(--_width); max-width: calc(100vw - 1em); max-height: min(70vh, 40em); overflow: auto;
  background: var(--_background); border: 1px solid var(--_border); border-radius: var(--_radius);
  box-shadow: 0 0.5em 1.5em rgb(0 0 0 / 0.18); padding: 0.25em 0;
}
.status { margin: 0; padding: 0.4em 0.9em; color: var(--_muted); font-size: 0.875em; }
.status:empty { display: none; }
.suggestion { margin: 0; padding: 0.2em 0.9em 0.4em; font-size: 0.9375em; }
.suggestion button {
  font: inherit; color: var(--_accent); background: none; border: 0; padding: 0;
  text-decoration: underline; cursor: pointer;
}
[role="gridcell"] { display: block; padding: 0.5em 0.9em; cursor: pointer; border-left: 3px solid transparent; }
[role="gridcell"]:hover { background: var(--_selected); }
[role="gridcell"][aria-selected="true"] { background: var(--_selected); border-left-color: var(--_accent); }
.title { display: block; font-weight: 600; color: var(--_accent); text-decoration: none; overflow-wrap: anywhere; }
[role="gridcell"]:hover .title, [role="gridcell"][aria-selected="true"] .title { text-decoration: underline; }
.excerpt { margin: 0.15em 0 0; font-size: 0.875em; overflow-wrap: anywhere; }
.recent { overflow-wrap: anywhere; }
.section { display: block; margin-top: 0.1em; font-size: 0.875em; font-weight: 600; overflow-wrap: anywhere; }
.section::before { content: "› "; color: var(--_muted); }
/* A hit's other sections that answer: indented under it, their heading the link. */
.sub-result { padding-left: 2.2em; }
.sub-result .title { font-size: 0.875em; }
.sub-result .title::before { content: "› "; color: var(--_muted); }
mark { background: var(--_mark); color: inherit; border-radius: 0.15em; padding: 0 0.1em; }
/* A title's marks in the text colour: the accent on the mark's background is too faint in the dark theme. */
.title mark { color: var(--_text); }
/* Filter chips: toggle buttons, one row per filter of the site. */
.filters { margin: 0; padding: 0.1em 0.9em 0.3em; font-size: 0.8125em; }
.filters:empty { display: none; }
.filter { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.3em; margin: 0.2em 0; }
.filter-name { color: var(--_muted); margin-right: 0.2em; }
.chip {
  font: inherit; color: var(--_text); background: none; cursor: pointer;
  border: 1px solid var(--_control); border-radius: 1em; padding: 0.1em 0.7em;
}
.chip[aria-pressed="true"] { color: var(--_background); background: var(--_accent); border-color: var(--_accent); }
.chip:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
.more {
  display: block; margin: 0.25em 0.9em 0.5em; font: inherit; font-size: 0.875em; color: var(--_accent);
  background: none; border: 1px solid var(--_control); border-radius: var(--_radius); padding: 0.3em 0.8em; cursor: pointer;
}
.trigger {
  display: flex; align-items: center; gap: 0.6em; width: 100%; font: inherit; text-align: left;
  color: var(--_muted); background: var(--_background); cursor: pointer;
  padding: 0.55em 0.8em; border: 1px solid var(--_control); border-radius: var(--_radius);
}
.trigger:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
.trigger span { flex: 1; }
kbd {
  font: inherit; font-size: 0.8em; color: var(--_muted); border: 1px solid var(--_border);
  border-radius: 0.3em; padding: 0 0.4em;
}
/* The "/" shortcut needs a keyboard: not shown on touch screens. */
@media (hover: none) and (pointer: coarse) { kbd { display: none; } }
.retry {
  font: inherit; color: var(--_accent); background: none; border: 0; padding: 0; margin-left: 0.3em;
  text-decoration: underline; cursor: pointer;
}
dialog {
  width: min(40em, calc(100vw - 2em)); max-height: calc(100vh - 4em); margin: 8vh auto auto; padding: 1em;
  color: var(--_text); background: var(--_background); border: 1px solid var(--_border); border-radius: var(--_radius);
  box-shadow: 0 1em 3em rgb(0 0 0 / 0.3); overflow: auto;
}
dialog::backdrop { background: rgb(0 0 0 / 0.45); }
dialog .panel { position: static; width: auto; max-width: none; max-height: none; box-shadow: none; border: 0; margin-top: 0.5em; }
dialog .close {
  display: block; margin: 0 0 0.5em auto; font: inherit; font-size: 0.875em; color: var(--_accent);
  background: none; border: 0; cursor: pointer; padding: 0.2em 0.4em;
}
@media (max-width: 600px) {
  dialog { width: 100vw; max-width: 100vw; height: 100dvh; max-height: 100dvh; margin: 0; border: 0; border-radius: 0; }
  .panel { max-width: 100%; }
}
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
`;

let sheet = null;
/** One constructed stylesheet shared by every widget (allowed by `style-src 'self'`). */
function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/** `createElement` with properties and children; attributes through `attrs`. */
function h(tag, { attrs = {}, ...props } = {}, ...children) {
  const element = document.createElement(tag);
  Object.assign(element, props);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Only links that cannot run script: http(s), absolute or relative to `base`. */
export function safeHref(url, base = document.baseURI) {
  try {
    const resolved = new URL(url, base);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : null;
  } catch {
    return null;
  }
}

/**
 * The excerpt as text nodes, each highlight range (UTF-16 offsets) in a <mark>:
 * document text never goes through innerHTML. Exported for pages that build
 * their own interface on search.js (see api.js).
 */
/** An excerpt's paragraph, its matched words marked. */
function excerptOf(excerpt, highlights) {
  return h('p', { className: 'excerpt', attrs: { part: 'excerpt' } }, renderExcerpt(excerpt, highlights));
}

export function renderExcerpt(excerpt, highlights) {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end > excerpt.length || end <= start) continue;
    fragment.append(excerpt.slice(at, start), h('mark', { textContent: excerpt.slice(start, end), attrs: { part: 'mark' } }));
    at = end;
  }
  fragment.append(excerpt.slice(at));
  return fragment;
}

const LOAD_FAILED = 'Search could not be loaded';

/** Most recent searches kept. */
const RECENT_MAX = 5;
/** Most chips a filter shows (the values most results have), besides those chosen. */
const CHIPS_PER_FILTER = 8;
/**
 * Recent searches stay in this browser (localStorage), one list a bundle, so
 * that two sites' widgets on one origin keep theirs apart. Storage may be
 * off or full: then there are none, and nothing fails.
 */
const RECENT_KEY = `site-search:recent:${new URL('./', import.meta.url).href}`;
function readRecent() {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((q) => typeof q === 'string' && q.trim()).slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}
function writeRecent(list) {
  try {
    if (list.length > 0) localStorage.setItem(RECENT_KEY, JSON.stringify(list));
    else localStorage.removeItem(RECENT_KEY);
  } catch {
    // Storage off (a private window, a policy) or full: nothing is kept.
  }
}

/**
 * After the engine failed to load, says on the console why, in terms a site
 * owner can act on: the bundle's files not where widget.js looks for them
 * (an HTTP error: a wrong path or a partial copy), or on another origin that
 * does not allow this page (CORS). Once a page.
 */
let diagnosed = false;
async function diagnoseLoad() {
  if (diagnosed) return;
  diagnosed = true;
  const crossOrigin = WASM_URL.origin !== location.origin;
  let status;
  try {
    status = (await fetch(WASM_URL, { method: 'HEAD', cache: 'no-store' })).status;
  } catch {
    status = null;
  }
  const where = WASM_URL.href.replace(/engine_bg\.wasm$/, '');
  if (status !== null && status >= 400) {
    console.error(`[site-search] ${WASM_URL.href} answers HTTP ${status}: widget.js loads the engine from its own folder, ${where}. `
      + 'Copy the whole search folder there (engine.js, engine_bg.wasm, search.js and, for a sharded index, manifest.json and index/), '
      + 'or load widget.js from where that folder is.');
  } else if (status === null && crossOrigin) {
    console.error(`[site-search] the engine could not be fetched from ${where}, another origin than this page's (${location.origin}). `
      + `That server must allow this page with CORS (Access-Control-Allow-Origin: ${location.origin} or *), or serve the search folder from this site.`);
  } else if (status === null) {
    console.error(`[site-search] the engine could not be fetched from ${where}: the network failed or a browser extension or `
      + 'Content-Security-Policy blocked it (the policy needs connect-src and script-src for that folder, and \'wasm-unsafe-eval\').');
  }
}

const warned = new Set();
/** A console warning about a bad attribute, once, not at every keystroke. */
function warnOnce(message) {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

function isEditable(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

let nextInstance = 0;

export class SiteSearch extends HTMLElement {
  static observedAttributes = ['placeholder', 'label'];

  #root = this.attachShadow({ mode: 'open' });
  #instance = nextInstance++;
  #input;
  #panel;
  #status;
  #retry;
  #clearRecent;
  #announcer;
  #announceTimer = 0;
  #suggestion;
  #list;
  #more;
  /** The filter chips' container, and the values chosen: filter key → Set of values. */
  #chips;
  #chosen = new Map();
  /** Whether the visitor pressed a chip of the `language` filter (a site in several languages). */
  #languageChosen = false;
  #dialog = null;
  #trigger = null;
  /** The hits shown, for paging. */
  #hits = [];
  /** What each row of the grid is: a hit (`{ hit }`), one of its sections (`{ hit, section }`), or a recent search (`{ recent }`). */
  #rows = [];
  #active = -1;
  #query = '';
  #sequence = 0;
  #timer = 0;
  #idle = 0;
  #listeners = new AbortController();
  #built = false;
  #reveal = false;

  connectedCallback() {
    if (!this.#built) this.#build();
    this.#listeners = new AbortController();
    const { signal } = this.#listeners;
    document.addEventListener('keydown', (event) => this.#onShortcut(event), { signal });
    document.addEventListener('pointerdown', (event) => {
      if (!event.composedPath().includes(this)) this.#collapse();
    }, { signal });
    window.addEventListener('popstate', () => this.#restoreFromUrl(), { signal });
    if (!this.#restoreFromUrl()) this.#loadWhenIdle();
  }

  disconnectedCallback() {
    this.#listeners.abort();
    clearTimeout(this.#timer);
    clearTimeout(this.#announceTimer);
    if (this.#idle && 'cancelIdleCallback' in window) cancelIdleCallback(this.#idle);
  }

  attributeChangedCallback() {
    if (!this.#built) return;
    this.#input.placeholder = this.#text('placeholder');
    this.#input.setAttribute('aria-label', this.#text('label'));
    this.#trigger?.querySelector('span')?.replaceChildren(this.#text('placeholder'));
  }

  /** The query in the box; setting it runs the search. */
  get value() {
    return this.#input?.value ?? '';
  }

  set value(query) {
    if (!this.#built) this.#build();
    this.#input.value = String(query);
    this.#schedule();
  }

  /** Focuses the box (opening the dialog in modal mode). */
  focus() {
    if (this.#dialog) this.open();
    else this.#input.focus();
  }

  /** Opens the dialog (modal mode); in inline mode, focuses the box. */
  open() {
    if (!this.#dialog) return this.#input.focus();
    if (!this.#dialog.open) this.#dialog.showModal();
    this.#input.focus();
    this.#input.select();
    loadEngine().catch(() => {});
  }

  /** Closes the dialog (modal mode) or the results panel (inline). */
  close() {
    this.#collapse();
    if (this.#dialog?.open) {
      this.#dialog.close();
      this.#trigger.focus();
    }
  }

  #text(name) {
    return this.getAttribute(name) ?? DEFAULTS[name];
  }

  /** An integer attribute within bounds; otherwise its default, with a warning naming it. */
  #integer(name, fallback, max) {
    const raw = this.getAttribute(name);
    if (raw === null || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= 0 && value <= max) return value;
    warnOnce(`<site-search>: ${name}="${raw}" is not a whole number from 0 to ${max}; using ${fallback}.`);
    return fallback;
  }

  get #resultsPerPage() {
    return Math.max(1, this.#integer('results-per-page', DEFAULTS.resultsPerPage, MAX_RESULTS_PER_PAGE));
  }

  get #linkBase() {
    const base = this.getAttribute('base-url');
    if (base === null) return document.baseURI;
    const resolved = safeHref(base, document.baseURI);
    if (!resolved) warnOnce(`<site-search>: base-url="${base}" is not an http(s) URL; links are relative to the page.`);
    return resolved ?? document.baseURI;
  }

  #build() {
    this.#built = true;
    this.#root.adoptedStyleSheets = [styleSheet()];
    const id = (name) => `site-search-${this.#instance}-${name}`;
    this.#input = h('input', {
      type: 'search',
      placeholder: this.#text('placeholder'),
      autocomplete: 'off',
      spellcheck: false,
      attrs: {
        part: 'input',
        role: 'combobox',
        'aria-label': this.#text('label'),
        'aria-autocomplete': 'list',
        'aria-haspopup': 'grid',
        'aria-expanded': 'false',
        'aria-controls': id('results'),
        autocapitalize: 'off',
        enterkeyhint: 'search',
      },
    });
    this.#status = h('p', { className: 'status', attrs: { part: 'status' } });
    this.#retry = h('button', { type: 'button', className: 'retry', textContent: 'Try again', attrs: { part: 'retry' } });
    this.#retry.addEventListener('click', () => {
      this.#input.focus();
      this.#schedule();
    });
    // The live region is always in the page (a region that appears with its
    // text is not announced), and hears only the settled count, not every keystroke.
    this.#announcer = h('div', { className: 'visually-hidden', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.#suggestion = h('p', { className: 'suggestion', hidden: true, attrs: { part: 'suggestion' } });
    // A grid of one column, not a listbox: an option may hold no link
    // (axe-core's nested-interactive), a grid cell may, and a result stays a
    // real link (new tab, copy address). Hidden while empty: a grid needs rows.
    this.#list = h('div', { id: id('results'), hidden: true, attrs: { part: 'results', role: 'grid', 'aria-label': 'Search results' } });
    this.#more = h('button', { type: 'button', className: 'more', hidden: true, textContent: 'More results', attrs: { part: 'more' } });
    this.#clearRecent = h('button', {
      type: 'button', className: 'more', hidden: true, textContent: 'Clear recent searches', attrs: { part: 'clear-recent' },
    });
    this.#clearRecent.addEventListener('click', () => {
      writeRecent([]);
      this.#input.focus();
      this.#render('', { total: 0, hits: [], didYouMean: null }, false);
    });
    this.#chips = h('div', { className: 'filters', attrs: { part: 'filters' } });
    this.#panel = h('div', { className: 'panel', hidden: true, attrs: { part: 'panel' } },
      this.#status, this.#suggestion, this.#chips, this.#list, this.#more, this.#clearRecent);
    const box = h('div', { className: 'box', attrs: { part: 'box' } }, this.#input, this.#announcer, this.#panel);

    if (this.getAttribute('mode') === 'modal') {
      this.#trigger = h('button', {
        type: 'button',
        className: 'trigger',
        attrs: { part: 'trigger', 'aria-haspopup': 'dialog' },
      }, h('span', { textContent: this.#text('placeholder') }), h('kbd', { textContent: '/', attrs: { 'aria-hidden': 'true' } }));
      const closeButton = h('button', { type: 'button', className: 'close', textContent: 'Close', attrs: { part: 'close' } });
      this.#dialog = h('dialog', { attrs: { part: 'dialog', 'aria-label': this.#text('label') } }, closeButton, box);
      this.#root.append(this.#trigger, this.#dialog);
      this.#trigger.addEventListener('click', () => this.open());
      closeButton.addEventListener('click', () => this.close());
      this.#dialog.addEventListener('close', () => this.#collapse());
      // A click on the backdrop lands on the dialog itself.
      this.#dialog.addEventListener('click', (event) => { if (event.target === this.#dialog) this.close(); });
    } else {
      this.#root.append(box);
    }

    this.#input.addEventListener('input', () => this.#schedule());
    this.#input.addEventListener('focus', () => {
      loadEngine().catch(() => {});
      if (!this.#input.value.trim()) this.#showRecent();
      this.#expand();
    });
    this.#input.addEventListener('keydown', (event) => this.#onKey(event));
    // Tabbing away closes the panel. (A click on a result blurs the box with
    // no related target: the panel must stay for the click to land.)
    this.addEventListener('focusout', (event) => {
      const to = event.relatedTarget;
      if (to && to !== this && !this.contains(to) && !this.#dialog) this.#collapse();
    });
    this.#list.addEventListener('click', (event) => this.#onResultClick(event));
    this.#more.addEventListener('click', () => this.#showMore());
  }

  #loadWhenIdle() {
    if (this.getAttribute('load') === 'interaction') return;
    const load = () => loadEngine().catch(() => {});
    if ('requestIdleCallback' in window) this.#idle = requestIdleCallback(load, { timeout: 3000 });
    else setTimeout(load, 1000);
  }

  #onShortcut(event) {
    // Only the first widget on the page answers the shortcuts.
    if (document.querySelector('site-search') !== this || event.defaultPrevented) return;
    const commandK = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k';
    const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey
      && !isEditable(event.composedPath()[0]);
    if (!commandK && !slash) return;
    event.preventDefault();
    this.focus();
    if (!this.#dialog) this.#input.select();
  }

  #onKey(event) {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (this.#rows.length === 0) return;
        event.preventDefault();
        this.#expand();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        const count = this.#rows.length;
        // From nothing selected, ↓ goes to the first and ↑ to the last; both wrap.
        const next = this.#active < 0 ? (step > 0 ? 0 : count - 1) : (this.#active + step + count) % count;
        this.#setActive(next);
        break;
      }
      case 'Home':
      case 'End':
        // Left to the text box (move the caret), as the combobox pattern allows.
        break;
      case 'Enter': {
        event.preventDefault();
        if (this.#rows.length === 0) return;
        this.#choose(this.#active < 0 ? 0 : this.#active);
        break;
      }
      case 'Escape': {
        // First Esc clears; the next closes (the dialog, or the panel and the focus).
        event.preventDefault();
        event.stopPropagation();
        if (this.#input.value !== '') {
          this.#input.value = '';
          this.#schedule();
          // Cleared, not asking for the recent searches: they show at the next focus.
          this.#clearPanel();
          this.#collapse();
        } else if (this.#dialog) {
          this.close();
        } else {
          this.#collapse();
          this.#input.blur();
        }
        break;
      }
      default:
    }
  }

  #schedule() {
    clearTimeout(this.#timer);
    const query = this.#input.value;
    const delay = this.#integer('debounce', DEFAULTS.debounce, MAX_DEBOUNCE_MS);
    // Every keystroke takes a new number; a search whose number is no longer
    // the latest when it could run is dropped, so an older query's results
    // never replace a newer one's, even while the module is still loading.
    const sequence = ++this.#sequence;
    if (delay > 0 && query.trim()) this.#timer = setTimeout(() => this.#run(query, sequence), delay);
    else this.#run(query, sequence);
  }

  async #run(query, sequence) {
    this.#writeUrl(query);
    if (!query.trim()) {
      this.#render(query, { total: 0, hits: [], didYouMean: null }, false);
      return;
    }
    if (!engineReady) {
      this.#status.textContent = 'Loading search…';
      this.#expand();
    }
    let module;
    try {
      module = await loadEngine();
    } catch (error) {
      if (sequence === this.#sequence) this.#fail(LOAD_FAILED, error);
      return;
    }
    if (sequence !== this.#sequence) return;
    let results;
    try {
      // A sharded index answers with a Promise while it fetches what the
      // query needs; an embedded one answers at once. `await` takes both.
      results = await module.search(query, { limit: this.#resultsPerPage, ...this.#searchOptions() });
    } catch (error) {
      if (sequence === this.#sequence) this.#fail('Search is unavailable right now', error);
      return;
    }
    // A newer query may have been typed while this one's shards arrived.
    if (sequence !== this.#sequence) return;
    this.#render(query, results, false);
    this.dispatchEvent(new CustomEvent('site-search-query', {
      bubbles: true,
      composed: true,
      detail: { query, total: results.total, didYouMean: results.didYouMean ?? null, filters: this.#filterOptions().filters ?? null },
    }));
  }

  async #showMore() {
    let results;
    const sequence = this.#sequence;
    try {
      const module = await loadEngine();
      results = await module.search(this.#query, {
        limit: this.#resultsPerPage, offset: this.#hits.length, ...this.#searchOptions(),
      });
    } catch (error) {
      if (sequence === this.#sequence) this.#fail('Search is unavailable right now', error);
      return;
    }
    if (sequence !== this.#sequence) return;
    const first = this.#rows.length;
    this.#render(this.#query, results, true);
    // Keep the keyboard where the new results start.
    if (this.#rows.length > first) this.#setActive(first);
    this.#input.focus();
  }

  /**
   * Says in the panel that search did not work, in words for a visitor (the
   * details, such as which file of the index failed, go to the console);
   * the next keystroke tries again.
   */
  #fail(what, error) {
    console.error('[site-search]', error);
    this.#clearPanel();
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    this.#status.textContent = offline
      ? `${what}: you seem to be offline. Try again once you are connected.`
      : `${what}. Please try again in a moment.`;
    this.#announce(this.#status.textContent);
    this.#status.append(' ', this.#retry);
    this.#expand();
    if (what === LOAD_FAILED) diagnoseLoad();
  }

  /**
   * The options of a search besides its page: the chosen chips, and the
   * language the page (or the element) is written in, which a multilingual
   * site's queries are read in (`lang` on the element or an ancestor).
   */
  #searchOptions() {
    const language = this.closest('[lang]')?.lang;
    // Once the visitor has chosen among the language chips, they say which pages to show
    // (none chosen: every language's, the query read in each).
    return language && !this.#languageChosen ? { ...this.#filterOptions(), language } : this.#filterOptions();
  }

  /** The page's language as the index names languages (`pt-BR` → `pt`), or undefined. */
  #pageLanguage() {
    const code = this.closest('[lang]')?.lang?.split(/[-_]/)[0].toLowerCase();
    return code === 'nb' || code === 'nn' ? 'no' : code || undefined;
  }

  /** The chosen chips as search options: any of a filter's chosen values, every filter. */
  #filterOptions() {
    const filters = {};
    for (const [key, values] of this.#chosen) if (values.size > 0) filters[key] = { any: [...values] };
    return Object.keys(filters).length > 0 ? { filters } : {};
  }

  /**
   * The chips of a site with filters: per filter, its values that some match
   * has (at most CHIPS_PER_FILTER, the most common first) and those chosen,
   * each with how many results it would give. A filter with a chosen value
   * counts its values before the filters (choosing another adds to the
   * results), the others after them.
   */
  #renderChips(results) {
    const focused = this.#root.activeElement?.dataset?.chip;
    // On a site in several languages the results are narrowed to the page's (the `language`
    // option): its chip shows pressed, and unpressing it shows every language's pages.
    const page = this.#pageLanguage();
    if (!this.#languageChosen && page && results.totalFilters?.language?.[page] !== undefined) {
      this.#chosen.set('language', new Set([page]));
    }
    const groups = [];
    for (const [key, counts] of Object.entries(results.filters ?? {})) {
      const chosen = this.#chosen.get(key) ?? new Set();
      const shown = chosen.size > 0 ? (results.totalFilters?.[key] ?? counts) : counts;
      const values = Object.entries(shown)
        .filter(([value, count]) => count > 0 || chosen.has(value))
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .filter(([value], i) => i < CHIPS_PER_FILTER || chosen.has(value));
      if (values.length === 0 || (values.length === 1 && chosen.size === 0 && values[0][1] === results.total)) continue;
      const name = h('span', { className: 'filter-name', textContent: key, attrs: { id: `site-search-${this.#instance}-filter-${groups.length}` } });
      const chips = values.map(([value, count]) => {
        const chip = h('button', {
          type: 'button', className: 'chip', textContent: `${value} (${count})`,
          attrs: { part: 'filter-chip', 'aria-pressed': String(chosen.has(value)), 'data-chip': JSON.stringify([key, value]) },
        });
        chip.addEventListener('click', () => this.#toggleChip(key, value));
        return chip;
      });
      groups.push(h('div', { className: 'filter', attrs: { role: 'group', 'aria-labelledby': name.id } }, name, ...chips));
    }
    this.#chips.replaceChildren(...groups);
    // The chip just pressed keeps the focus across the re-render.
    if (focused) [...this.#chips.querySelectorAll('button')].find((b) => b.dataset.chip === focused)?.focus();
  }

  #toggleChip(key, value) {
    if (key === 'language') this.#languageChosen = true;
    const chosen = this.#chosen.get(key) ?? new Set();
    if (chosen.has(value)) chosen.delete(value);
    else chosen.add(value);
    this.#chosen.set(key, chosen);
    this.#reveal = true;
    this.#schedule();
  }

  /** Nothing in the panel: no rows, no status, no buttons. */
  #clearPanel() {
    this.#hits = [];
    this.#rows = [];
    this.#chips.replaceChildren();
    this.#list.replaceChildren();
    this.#list.hidden = true;
    this.#suggestion.hidden = true;
    this.#more.hidden = true;
    this.#clearRecent.hidden = true;
    this.#status.textContent = '';
  }

  /**
   * With the box empty: the recent searches (those whose results the visitor
   * chose one of), as rows to choose again, unless the `no-recent` attribute
   * is set. Returns whether there were any.
   */
  #showRecent() {
    const recent = this.hasAttribute('no-recent') ? [] : readRecent();
    this.#hits = [];
    this.#rows = recent.map((query) => ({ recent: query }));
    this.#list.replaceChildren(...recent.map((query, position) => h('div', { attrs: { role: 'row' } }, h('div', {
      id: `site-search-${this.#instance}-result-${position}`,
      className: 'recent',
      textContent: query,
      attrs: { part: 'recent', role: 'gridcell', 'aria-selected': 'false' },
    }))));
    this.#setActive(-1);
    this.#list.hidden = recent.length === 0;
    this.#list.setAttribute('aria-label', 'Recent searches');
    this.#clearRecent.hidden = recent.length === 0;
    this.#more.hidden = true;
    this.#suggestion.hidden = true;
    this.#status.textContent = recent.length > 0 ? 'Recent searches' : '';
    if (recent.length === 0) this.#collapse();
    return recent.length > 0;
  }

  /** Keeps `query` first among the recent searches (unless `no-recent`). */
  #remember(query) {
    const kept = query.trim();
    if (!kept || this.hasAttribute('no-recent')) return;
    writeRecent([kept, ...readRecent().filter((q) => q.toLowerCase() !== kept.toLowerCase())].slice(0, RECENT_MAX));
  }

  /** Shows `results` for `query`, replacing what is shown, or after it when `append`. */
  #render(query, results, append) {
    this.#clearRecent.hidden = true;
    this.#list.setAttribute('aria-label', 'Search results');
    this.#query = query;
    this.#hits = append ? this.#hits.concat(results.hits) : results.hits;
    if (!append) this.#rows = [];
    const linkBase = this.#linkBase;
    const items = results.hits.flatMap((hit) => this.#renderHit(hit, linkBase, query));
    if (append) this.#list.append(...items);
    else {
      this.#list.replaceChildren(...items);
      this.#setActive(-1);
    }
    this.#more.hidden = this.#hits.length >= results.total;
    this.#list.hidden = this.#rows.length === 0;
    if (!append) this.#renderChips(results);

    const suggestion = results.didYouMean?.trim();
    this.#suggestion.hidden = !suggestion;
    if (suggestion) {
      const button = h('button', { type: 'button', textContent: suggestion, attrs: { part: 'suggestion-button' } });
      button.addEventListener('click', () => {
        this.#input.value = suggestion;
        this.#input.focus();
        this.#schedule();
      });
      this.#suggestion.replaceChildren('Did you mean ', button, '?');
    }

    if (!query.trim()) {
      this.#announce('');
      if (this.#showRecent() && this.#input.matches(':focus')) this.#expand();
      return;
    }
    const { total } = results;
    this.#status.textContent = total === 0
      ? `No results for “${query.trim()}”.`
      : `${total} result${total === 1 ? '' : 's'}`;
    this.#announce(`${this.#status.textContent}${suggestion ? ` Did you mean ${suggestion}?` : ''}`);
    if (this.#input.matches(':focus') || this.#dialog?.open || append || this.#reveal) this.#expand();
    this.#reveal = false;
  }

  #announce(text) {
    clearTimeout(this.#announceTimer);
    this.#announceTimer = setTimeout(() => { this.#announcer.textContent = text; }, text ? 400 : 0);
  }

  /** A hit's rows: its own, then one for each other section of it that answers (a sub-result). */
  #renderHit(hit, linkBase, query) {
    const sections = hit.sections ?? [];
    // The section the hit's own link lands on is named in its row; the others get rows of their own.
    const landing = sections[0]?.url === hit.url ? sections[0] : null;
    const label = landing
      ? [h('span', { className: 'section', attrs: { part: 'result-section' }, textContent: landing.title })]
      : [];
    const rows = [this.#row({ hit }, 'result', this.#link(hit.url, linkBase, query, 'result-title',
      renderExcerpt(hit.title, hit.titleHighlights ?? [])), ...label, excerptOf(hit.excerpt, hit.highlights))];
    for (const section of sections) {
      if (section === landing) continue;
      rows.push(this.#row({ hit, section }, 'sub-result', this.#link(section.url, linkBase, query, 'sub-result-title',
        [section.title, h('span', { className: 'visually-hidden', textContent: ` (${hit.title})` })]),
      excerptOf(section.excerpt, section.highlights)));
    }
    return rows;
  }

  /** A link to `url` (a span when it is not one to follow) holding `content`. */
  #link(url, linkBase, query, part, content) {
    let href = safeHref(url, linkBase);
    // With `highlight`, the link passes the query to the landing script (highlight.js).
    if (href && this.hasAttribute('highlight') && query.trim()) {
      const withQuery = new URL(href);
      withQuery.searchParams.append('site-search-highlight', query.trim());
      href = withQuery.href;
    }
    const link = h(href ? 'a' : 'span', { className: 'title', attrs: { part, tabindex: '-1' } }, ...[content].flat());
    if (href) link.href = href;
    return link;
  }

  /** A row of the grid for `what` (see `#rows`), its one cell holding `content`. */
  #row(what, part, ...content) {
    const cell = h('div', {
      id: `site-search-${this.#instance}-result-${this.#rows.length}`,
      className: part,
      attrs: { part, role: 'gridcell', 'aria-selected': 'false' },
    }, ...content);
    this.#rows.push(what);
    return h('div', { attrs: { role: 'row' } }, cell);
  }

  #onResultClick(event) {
    const cell = event.target.closest('[role="gridcell"]');
    if (!cell) return;
    const position = [...this.#list.children].indexOf(cell.parentElement);
    if (this.#rows[position]?.recent !== undefined) {
      this.#input.focus();
      this.#choose(position);
      return;
    }
    // A click on the link itself is left to the browser (new tab, etc.) unless the page cancels.
    const onLink = event.target.closest('a') !== null;
    if (onLink) {
      if (!this.#announceChoice(position)) event.preventDefault();
    } else {
      this.#choose(position);
    }
  }

  /** Tells the page a result was chosen; false when the page cancelled the navigation. */
  #announceChoice(row) {
    const { hit, section } = this.#rows[row];
    this.#remember(this.#query);
    const link = this.#list.children[row]?.querySelector('a');
    return this.dispatchEvent(new CustomEvent('site-search-select', {
      bubbles: true,
      composed: true,
      cancelable: true,
      detail: {
        query: this.#query,
        // The hit's place among the results (a sub-result's is its hit's).
        position: this.#hits.indexOf(hit),
        hit: { id: hit.id, title: hit.title, url: link?.href ?? null, section: section?.title ?? null },
      },
    }));
  }

  #choose(position) {
    if (!this.#rows[position]) return;
    const { recent } = this.#rows[position];
    if (recent !== undefined) {
      this.#input.value = recent;
      this.#schedule();
      return;
    }
    this.#setActive(position);
    const link = this.#list.children[position].querySelector('a');
    if (this.#announceChoice(position) && link) window.location.assign(link.href);
  }

  #setActive(position) {
    // The cells, one a row: what aria-activedescendant points at.
    const items = [...this.#list.children].map((row) => row.firstElementChild);
    if (this.#active >= 0 && items[this.#active]) items[this.#active].setAttribute('aria-selected', 'false');
    this.#active = position;
    if (position >= 0 && items[position]) {
      items[position].setAttribute('aria-selected', 'true');
      this.#input.setAttribute('aria-activedescendant', items[position].id);
      items[position].scrollIntoView({ block: 'nearest' });
    } else {
      this.#input.removeAttribute('aria-activedescendant');
    }
  }

  #expand() {
    if (!this.#status.textContent) return;
    this.#panel.hidden = false;
    this.#input.setAttribute('aria-expanded', 'true');
  }

  #collapse() {
    this.#panel.hidden = true;
    this.#input.setAttribute('aria-expanded', 'false');
    this.#setActive(-1);
  }

  /** The `url-param` attribute's value from the page URL into the box; true when there was one. */
  #restoreFromUrl() {
    const name = this.getAttribute('url-param');
    if (!name) return false;
    const query = new URL(window.location.href).searchParams.get(name) ?? '';
    if (query === this.#input.value) return query !== '';
    this.#input.value = query;
    // A shared link shows its results without waiting for a click.
    this.#reveal = query !== '';
    if (this.#reveal && this.#dialog && !this.#dialog.open && this.isConnected) this.#dialog.showModal();
    this.#schedule();
    return query !== '';
  }

  /** The query into the page URL (`url-param`), replacing the entry: typing adds no history. */
  #writeUrl(query) {
    const name = this.getAttribute('url-param');
    if (!name) return;
    const url = new URL(window.location.href);
    if (query.trim()) url.searchParams.set(name, query);
    else url.searchParams.delete(name);
    if (url.href !== window.location.href) history.replaceState(history.state, '', url);
  }
}

if (!customElements.get('site-search')) customElements.define('site-search', SiteSearch);
