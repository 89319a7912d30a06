// The demo page: a result from a text or Markdown document opens in the
// reader (doc.html), with the passage marked, rather than as a raw file.
document.addEventListener('site-search-select', (event) => {
  const { query, hit } = event.detail;
  if (!hit.url) return;
  const url = new URL(hit.url);
  if (url.origin !== location.origin || !/\.(txt|md|markdown)$/i.test(url.pathname)) return;
  event.preventDefault();
  const reader = new URL('doc.html', location.href);
  reader.searchParams.set('doc', decodeURIComponent(url.pathname.slice(new URL('./', location.href).pathname.length)));
  reader.searchParams.set('site-search-highlight', query);
  location.assign(reader.href);
});
