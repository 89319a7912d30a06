// The landing script: on a page a search result links to, marks the words
// that were searched for, so a visitor sees at once why the page answered.
//
//   <script type="module" src="/search/highlight.js"></script>
//
// The widget passes the query in the link when it has the `highlight`
// attribute (`?site-search-highlight=jewish%20labour`). Words of the page
// that start with a searched word (or that a searched word starts with, from
// four letters: `table` for `tables`) are wrapped in
// `<mark class="site-search-highlight">`, accents and case aside (not in
// elements marked `data-site-search-ignore`, the indexer's mark for what is
// not content). A link
// without a section anchor scrolls to the first mark; one with an anchor
// lands where the anchor says. Plain JS, no dependencies; nothing happens
// without the parameter.

const PARAM = 'site-search-highlight';
/** Elements whose text is not the page's to mark. */
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'SELECT', 'MARK', 'SITE-SEARCH']);
/** Words too common to mark (the engine does not count them either). */
const STOP = new Set('a an and are as at be by for from has have in is it its of on or that the to was were will with'.split(' '));
/** Most marks made: a page with the word everywhere stays fast. */
const MAX_MARKS = 1000;
const WORD = /[\p{L}\p{N}]+/gu;

const fold = (text) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The searched words, folded; none when the page was not reached from a search. */
export function searchedWords(search = location.search) {
  const words = new Set();
  for (const value of new URLSearchParams(search).getAll(PARAM)) {
    for (const [word] of fold(value).matchAll(WORD)) if (!STOP.has(word)) words.add(word);
  }
  return [...words];
}

function matches(word, searched) {
  const folded = fold(word);
  return searched.some((s) => folded.startsWith(s) || (folded.length >= 4 && s.startsWith(folded)));
}

/** Marks the searched words under `root`; returns the marks, in page order. */
export function highlight(searched, root = document.body) {
  const marks = [];
  if (searched.length === 0 || !root) return marks;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let element = node.parentElement; element && element !== root.parentElement; element = element.parentElement) {
        if (SKIPPED.has(element.tagName) || element.hasAttribute('data-site-search-ignore')) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const ranges = [];
    for (const found of node.data.matchAll(WORD)) {
      if (matches(found[0], searched)) ranges.push([found.index, found.index + found[0].length]);
    }
    // From the end, so that the offsets before stay right as the node is split.
    for (const [start, end] of ranges.reverse()) {
      if (marks.length >= MAX_MARKS) break;
      const word = node.splitText(start);
      word.splitText(end - start);
      const mark = document.createElement('mark');
      mark.className = 'site-search-highlight';
      word.replaceWith(mark);
      mark.append(word);
      marks.push(mark);
    }
  }
  return marks.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
}

function land() {
  const marks = highlight(searchedWords());
  // A link with a fragment lands where it says: a section's id, or a text
  // fragment (`#:~:text=`, which the browser takes out of the URL, leaving `#`).
  if (marks.length > 0 && !location.href.includes('#')) marks[0].scrollIntoView({ block: 'center' });
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', land, { once: true });
  else land();
}
