// Writing a generated table into BENCHMARKS.md, between two marker comments.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const path = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

/** Replaces what stands between the `start` and `end` markers with `text`. */
export function writeSection(start, end, text) {
  const current = readFileSync(path, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from < 0 || to < from) throw new Error(`BENCHMARKS.md lacks the markers ${start} … ${end}`);
  writeFileSync(path, current.slice(0, from + start.length) + '\n' + text + '\n' + current.slice(to));
  console.error('written into BENCHMARKS.md');
}
