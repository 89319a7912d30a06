// Screenshots of the <site-search> widget for the README: light, dark, and a
// phone's viewport (modal). Run `make screenshots` (it builds first); writes
// docs/screenshots/*.png.
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium.mjs';

const out = new URL('../docs/screenshots/', import.meta.url).pathname;
await mkdir(out, { recursive: true });
const server = await serve(new URL('../dist', import.meta.url).pathname, { port: 0 });
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const shots = [
    { name: 'light', colorScheme: 'light', viewport: { width: 900, height: 620 } },
    { name: 'dark', colorScheme: 'dark', viewport: { width: 900, height: 620 } },
    { name: 'mobile', colorScheme: 'light', viewport: { width: 390, height: 720 }, modal: true },
  ];
  for (const { name, colorScheme, viewport, modal } of shots) {
    const page = await browser.newPage({ viewport, colorScheme, deviceScaleFactor: 1 });
    await page.goto(base);
    if (modal) {
      // The demo page's widget, switched to modal mode as a phone site might use it.
      await page.evaluate(() => {
        const widget = document.createElement('site-search');
        widget.setAttribute('mode', 'modal');
        document.querySelector('site-search').replaceWith(widget);
      });
      await page.locator('site-search [part="trigger"]').click();
    } else {
      await page.locator('site-search input').click();
    }
    await page.keyboard.type('jewish labor', { delay: 20 });
    await page.waitForSelector('site-search [role="gridcell"] mark');
    await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: `${out}${name}.png` });
    console.log(`wrote docs/screenshots/${name}.png`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
