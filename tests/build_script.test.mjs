// The build script through Cargo, on corpus folders made here: what a site
// owner sees from `SEARCH_CORPUS=folder make build`. `make check-corpus` runs
// `cargo check` with the build's toolchain: the build script, without making the wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function cargoCheck(corpus, env = {}) {
  const result = spawnSync('make', ['--no-print-directory', '-s', 'check-corpus'], {
    cwd: root,
    env: { ...process.env, SEARCH_CORPUS: corpus, SEARCH_BASE_URL: '', ...env },
    encoding: 'utf8',
  });
  const messages = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const script = messages.find((m) => m.reason === 'build-script-executed' && /#search@/.test(m.package_id));
  return { ok: result.status === 0, stderr: result.stderr, outDir: script?.out_dir };
}

function corpus(files) {
  const dir = mkdtempSync(join(tmpdir(), 'search-corpus-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    if (content === null) symlinkSync(join(dir, 'nowhere'), join(dir, name));
    else writeFileSync(join(dir, name), content);
  }
  return dir;
}

test('build errors name the file and the reason', () => {
  // (files, what stderr must say, environment)
  const big = 'Big\n' + 'words and more words\n'.repeat(60_000); // 1.26 MB
  const cases = [
    [{ 'ok.txt': 'Fine\ntext', 'bad/latin1.txt': Buffer.from('Caf\xe9\n', 'latin1') }, /bad\/latin1\.txt` is not valid UTF-8/],
    [{ 'ok.txt': 'Fine\ntext', 'gone.md': null }, /cannot read corpus file `.*gone\.md`/],
    [{ 'picture.png': 'x' }, /has no \.txt, \.md or \.html document/],
    [{}, /has no \.txt, \.md or \.html document/],
    [{ 'ok.txt': 'Fine\ntext', 'binary.txt': 'Title\nab\0cd' }, /binary\.txt` has a NUL byte \(offset 8, line 2\)/],
    [{ 'big.txt': big }, /big\.txt` is 1\.2 MB, over the limit of 1\.0 MB .* raise the limit with SEARCH_MAX_FILE_MB/, { SEARCH_MAX_FILE_MB: '1' }],
    [{ 'ok.txt': 'Fine\ntext' }, /SEARCH_MAX_FILE_MB must be a whole number of megabytes, like 50; got `lots`/, { SEARCH_MAX_FILE_MB: 'lots' }],
    [{ 'b.md': '---\ntags: [unclosed\n---\n# B\ntext' }, /b\.md` has front matter that cannot be read \(YAML: .*\); fix it/],
    // A module built without filters and sorting refuses a corpus that sets them, naming the page.
    [{ 'ok.txt': 'Fine\ntext', 'tagged.md': '---\ntags: [x]\n---\n# T\ntext' }, /tagged\.md` sets filter or sort values.*SEARCH_FEATURES=facets/,
      { SEARCH_FEATURES: '' }],
    // Pages in another stemmed language need the stemmers; pages in several languages, filters.
    [{ 'ok.txt': 'Fine\ntext', 'fr/page.html': '<html lang="fr"><p>Bonjour</p></html>' },
      /fr\/page\.html` is in the language `fr`.*SEARCH_FEATURES=facets,languages/, { SEARCH_FEATURES: 'facets' }],
    // Long passages in one, too (a few words in one need nothing).
    [{ 'ok.txt': 'Fine\ntext', 'quote.html': `<p>Quoted: <q lang="de">${'Die Netzwerke der Häuser. '.repeat(30)}</q></p>` },
      /quote\.html` holds passages in the language `de`.*SEARCH_FEATURES=facets,languages/, { SEARCH_FEATURES: 'facets' }],
    [{ 'ok.txt': 'Fine\ntext', 'ja/page.html': '<html lang="ja"><p>暗号化</p></html>' },
      /ja\/page\.html` is in the language `ja` and .*ok\.txt` in `en`: pages in several languages need filters.*SEARCH_FEATURES=facets/,
      { SEARCH_FEATURES: '' }],
  ];
  for (const [files, message, env] of cases) {
    const dir = corpus(files);
    const { ok, stderr } = cargoCheck(dir, env);
    assert.equal(ok, false, `expected failure for ${Object.keys(files)}`);
    assert.match(stderr, message);
    rmSync(dir, { recursive: true });
  }
  const { ok, stderr } = cargoCheck(join(tmpdir(), 'no-such-corpus-folder'));
  assert.equal(ok, false);
  assert.match(stderr, /corpus folder `.*no-such-corpus-folder` does not exist/);
});

test('skipped files are named in warnings, and changing a file rebuilds the index', () => {
  const dir = corpus({
    'a.txt': 'Alpha\nfirst version with aardvark',
    'notes/b.md': '# Beta\n\nMarkdown body',
    'c.html': '<title>Gamma</title><p>Page body</p>',
    'image.png': 'x',
  });
  let { ok, stderr, outDir } = cargoCheck(dir);
  assert.ok(ok, stderr);
  assert.match(stderr, /warning: search@.*: skipped .*image\.png: not a \.txt, \.md or \.html file/);
  let index = readFileSync(join(outDir, 'index.bin'));
  assert.ok(index.includes('aardvark') && !index.includes('zebra'));

  writeFileSync(join(dir, 'a.txt'), 'Alpha\nsecond version with zebra');
  ({ ok, stderr, outDir } = cargoCheck(dir));
  assert.ok(ok, stderr);
  index = readFileSync(join(outDir, 'index.bin'));
  assert.ok(index.includes('zebra') && !index.includes('aardvark'), 'the index follows the changed file');
  rmSync(dir, { recursive: true });
});

test('SEARCH_MAX_FILE_MB raises the limit for one large document', () => {
  const dir = corpus({ 'big.txt': 'Big\n' + 'words and more words\n'.repeat(600_000) + 'zebra\n' }); // 12.6 MB
  let { ok, stderr } = cargoCheck(dir);
  assert.equal(ok, false);
  assert.match(stderr, /big\.txt` is 12\.6 MB, over the limit of 10\.0 MB/);
  let outDir;
  ({ ok, stderr, outDir } = cargoCheck(dir, { SEARCH_MAX_FILE_MB: '20' }));
  assert.ok(ok, stderr);
  assert.ok(readFileSync(join(outDir, 'index.bin')).includes('zebra'));
  rmSync(dir, { recursive: true });
});

test('the same folder gives a byte-identical index', () => {
  const files = { 'one.txt': 'One\nfirst text', 'two.md': '# Two\n\nsecond text' };
  const first = corpus(files);
  const second = corpus(files);
  const a = readFileSync(join(cargoCheck(first).outDir, 'index.bin'));
  const b = readFileSync(join(cargoCheck(second).outDir, 'index.bin'));
  assert.ok(a.equals(b));
  rmSync(first, { recursive: true });
  rmSync(second, { recursive: true });
});
