// The demo's reader for text and Markdown documents (the seeds are .txt): a
// result opens here (index.html sends it) rather than as a raw file. The
// document is fetched from docs/, shown as paragraphs, its searched words
// marked by the landing script (search/highlight.js), and the page scrolls
// to the passage with the most of them.
import { highlight, searchedWords } from './search/highlight.js';

const article = document.getElementById('document');
const heading = document.getElementById('title');
const params = new URLSearchParams(location.search);
const path = params.get('doc') ?? '';

/** Only the corpus's own files, under docs/: nothing else is fetched. */
const allowed = (path) => /^docs\/[^?#]+$/.test(path) && !path.split('/').includes('..');

function fail(message) {
  heading.textContent = 'This document cannot be shown';
  const reason = document.createElement('p');
  reason.textContent = message;
  article.append(reason);
}

async function show() {
  if (!allowed(path)) return fail('The link does not name a document of this site.');
  let text;
  try {
    const response = await fetch(path);
    if (!response.ok) return fail(`${path} could not be loaded (HTTP ${response.status}).`);
    text = await response.text();
  } catch {
    return fail(`${path} could not be loaded: the connection failed.`);
  }
  // As the indexer reads a text file: the first non-empty line is the title;
  // blank lines separate paragraphs.
  const [title, ...rest] = text.trim().split('\n');
  heading.textContent = title.trim();
  document.title = title.trim();
  for (const block of rest.join('\n').split(/\n\s*\n/)) {
    if (!block.trim()) continue;
    const paragraph = document.createElement('p');
    paragraph.textContent = block.trim();
    article.append(paragraph);
  }
  const link = new URL('./', location.href);
  const query = params.get('site-search-highlight');
  if (query) link.searchParams.set('q', query);
  document.getElementById('back').href = link.href;

  const searched = searchedWords();
  const marks = highlight(searched, article);
  // The passage: the paragraph with the most distinct searched words, then the most marks.
  let best = null;
  let bestScore = [0, 0];
  for (const paragraph of article.querySelectorAll('h1, p')) {
    const found = [...paragraph.querySelectorAll('mark')].map((m) => m.textContent.toLowerCase());
    const score = [new Set(found).size, found.length];
    if (score[0] > bestScore[0] || (score[0] === bestScore[0] && score[1] > bestScore[1])) [best, bestScore] = [paragraph, score];
  }
  if (best && marks.length > 0) {
    best.classList.add('passage');
    best.scrollIntoView({ block: 'center' });
  }
}

show();
