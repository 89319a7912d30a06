import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
for (const dir of process.argv.slice(2)) {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const dict = m.dictionary;
  const total = dict.reduce((s, d) => s + d.file.bytes, 0);
  // per first byte: bytes of the shards a word starting with it waits for
  const perByte = [];
  for (let b = 0x30; b <= 0x7a; b++) {
    const key = String.fromCharCode(b);
    let bytes = 0, n = 0;
    dict.forEach((d, i) => {
      const first = d.firstTerm;
      const next = dict[i + 1]?.firstTerm;
      const startsBefore = first.charCodeAt(0) <= b;
      const nextAfter = next === undefined || next > key;
      if (startsBefore && nextAfter) { bytes += d.file.bytes; n++; }
    });
    perByte.push([key, n, bytes]);
  }
  const letters = perByte.filter(([k]) => /[a-z]/.test(k));
  const avg = letters.reduce((s, x) => s + x[2], 0) / letters.length;
  const max = letters.reduce((a, x) => (x[2] > a[2] ? x : a));
  const files = m.dictionary.length + m.postings.length + m.texts.length + m.vectors.length + 1;
  const sum = (xs) => xs.reduce((s, x) => s + (x.file ?? x).bytes, 0);
  console.log(JSON.stringify({ dir, documents: m.documents, dictionaryShards: dict.length, dictionaryBytes: total, avgLetterBytes: Math.round(avg), maxLetter: max, files,
    postings: [m.postings.length, sum(m.postings)], texts: [m.texts.length, sum(m.texts)], vectors: [m.vectors.length, sum(m.vectors)], core: m.core.bytes, manifest: statSync(join(dir, 'manifest.json')).size }));
}
