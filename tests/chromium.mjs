// How the tests and benchmarks start Chromium here: Debian's build, headless,
// with the background services off (this machine has no network to reach them);
// and axe-core's check, which the browser tests share.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

let axeSource = null;

/** axe-core's violations on `page` as it is now, shadow roots included, as
 * readable lines (evaluated, not a script tag: the page's CSP does not apply). */
export async function axeViolations(page) {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return found.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
