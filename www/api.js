// A page built on the module's JavaScript API (see api.html), for sites that
// make their own interface; index.html uses the <site-search> widget instead.
// It runs a search on every keystroke and renders the hits.
// Document text only ever reaches the page through textContent and
// createElement, never innerHTML, so a document cannot inject markup.
import init, { search, corpusInfo, isSharded } from './search/search.js';
// The widget's safe rendering helpers (importing it also defines <site-search>, unused here).
import { renderExcerpt, safeHref } from './search/widget.js';

const input = document.getElementById('query');
const status = document.getElementById('status');
const results = document.getElementById('results');
const form = document.getElementById('search-form');

function renderHit(hit) {
  const item = document.createElement('li');
  const heading = document.createElement('h2');
  const href = safeHref(hit.url);
  const title = document.createElement(href ? 'a' : 'span');
  title.append(renderExcerpt(hit.title, hit.titleHighlights));
  if (href) title.href = href;
  heading.append(title);
  item.append(heading);
  // The section the excerpt is in (the hit's link lands on it), when the page has headings.
  if (hit.sections.length > 0) {
    const section = document.createElement('p');
    section.className = 'section';
    section.textContent = `§ ${hit.sections[0].title}`;
    item.append(section);
  }
  const excerpt = document.createElement('p');
  excerpt.append(renderExcerpt(hit.excerpt, hit.highlights));
  item.append(excerpt);
  return item;
}

let latest = 0;
async function run() {
  const query = input.value;
  const sequence = ++latest;
  if (!query.trim()) {
    results.replaceChildren();
    status.textContent = documentCount ? `${documentCount} documents. Type to search.` : 'Type to search.';
    return;
  }
  try {
    // A Promise when the index is sharded; `await` takes both.
    const { total, hits } = await search(query, { limit: 10 });
    if (sequence !== latest) return; // a newer query was typed meanwhile
    results.replaceChildren(...hits.map(renderHit));
    status.textContent = total === 0 ? 'No results.' : `${total} result${total === 1 ? '' : 's'}`;
  } catch (error) {
    results.replaceChildren();
    status.textContent = `Search failed: ${error.message}`;
    console.error('[search]', error);
  }
}

let documentCount = 0;
try {
  await init();
  // A sharded index would fetch every text to list its documents: not worth it for a count.
  documentCount = isSharded() ? 0 : corpusInfo().count;
  input.disabled = false;
  input.focus();
  input.addEventListener('input', run);
  form.addEventListener('submit', (event) => event.preventDefault());
  const initial = new URLSearchParams(location.search).get('q');
  if (initial) input.value = initial;
  run();
} catch (error) {
  status.textContent = `The search index could not be loaded: ${error.message}`;
  console.error('[search]', error);
}
