// How the tests and benchmarks start Chromium here: Debian's build, headless,
// with the background services off (this machine has no network to reach them).
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
