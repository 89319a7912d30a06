// A static file server for dist/: what `make serve`, the browser tests and the
// benchmarks use. It compresses with gzip when the browser asks, as a real
// host would, so the bytes it sends are the bytes we report.
//
//   node scripts/serve.mjs <folder> [--port 8080] [--host 127.0.0.1] [--cors]
//
// --cors sends `Access-Control-Allow-Origin: *`, what a host must send for the
// widget to be loaded by pages of another origin. From JS, `headers` adds any
// headers to every response (the browser tests send a Content-Security-Policy),
// and `onResponse` is told the bytes each response sent (the benchmarks), with
// a function that gives what the same response would have been with brotli.
// (Brotli is not served: Chromium asks for it only over HTTPS.) It answers
// HTTP range requests (`Range: bytes=a-b`, or several ranges answered as
// multipart/byteranges) for files it does not compress, as static hosts and
// CDNs do: a sharded index fetches its parts so. `ranges: false` answers
// them with the whole file, as a host without range requests does
// (`python3 -m http.server`), and `ranges: 'joined'` answers several ranges
// with one that spans them, as a host may: for the tests.
// `http2: true` serves HTTP/2 over TLS instead (browsers speak HTTP/2 only
// over TLS), as real hosts serve, with a throwaway self-signed certificate
// made by `openssl`: the browser must be told to accept it. `onResponse` then
// counts bodies only (a connection's bytes are shared by its streams).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import { tmpdir } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = /^(text\/|application\/(json|wasm)|image\/svg)/;

// Compressed bodies (and brotli lengths) by file, kept while the file is
// unchanged: a real host compresses a large module once (or ahead of time), not
// on every request, so the benchmarks' timings must not include gzip -9 of a
// 50 MB file each time.
const gzipCache = new Map();
// Brotli lengths are computed only when a benchmark asks (quality 11, as for
// files compressed ahead of time; slow on large files).
const brotliCache = new Map();

async function cachedByFile(cache, file, compute) {
  const { mtimeMs, size } = await stat(file);
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached.value;
  const value = compute();
  cache.set(file, { mtimeMs, size, value });
  return value;
}

const compressed = (file, body) => cachedByFile(gzipCache, file, () => gzipSync(body, { level: 9 }));

function brotliLength(file, body, type) {
  const mode = type === 'application/wasm' ? zlib.BROTLI_MODE_GENERIC : zlib.BROTLI_MODE_TEXT;
  return cachedByFile(brotliCache, file, () => brotliCompressSync(body, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_MODE]: mode, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length },
  }).length);
}

/** A self-signed certificate for 127.0.0.1 and localhost, made by openssl. */
function throwawayCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'serve-tls-'));
  try {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`serve: openssl could not make a certificate: ${made.stderr ?? made.error}`);
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts serving `folder`; resolves to the server (http.Server, or Http2SecureServer) once it listens. */
export function serve(folder, { port = 8080, host = '127.0.0.1', headers: extraHeaders = {}, onResponse, ranges = true, http2 = false } = {}) {
  const root = resolve(folder);
  const handle = async (req, res) => {
    // What a gzipped response was, for `brotliBytes`.
    let gzipped = null;
    if (onResponse) {
      // Bytes this response put on the connection, headers included (the
      // benchmarks' payload); over HTTP/2, its body's.
      const before = http2 ? 0 : req.socket.bytesWritten;
      res.on('finish', () => {
        const bytes = http2 ? Number(res.getHeader('content-length') ?? 0) : req.socket.bytesWritten - before;
        // The same response with `content-encoding: br` (2 bytes shorter than
        // `gzip`) and the brotli body and its length in place of gzip's.
        const brotliBytes = async () => {
          if (!gzipped) return bytes;
          const length = await brotliLength(gzipped.file, gzipped.raw, gzipped.type);
          return bytes - gzipped.length + length - 2 + String(length).length - String(gzipped.length).length;
        };
        onResponse({ url: req.url, status: res.statusCode, bytes, brotliBytes });
      });
    }
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file);
      const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      const headers = { 'content-type': type, 'cache-control': 'no-cache', ...extraHeaders };
      if (COMPRESSIBLE.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        const raw = body;
        body = await compressed(file, body);
        gzipped = { file, raw, type, length: body.length };
        headers['content-encoding'] = 'gzip';
        headers['vary'] = 'accept-encoding';
      }
      const wanted = /^bytes=\d+-\d*(,\s*\d+-\d*)*$/.test(req.headers.range ?? '')
        ? req.headers.range.slice(6).split(',').map((spec) => {
          const [first, last] = spec.trim().split('-');
          return [Number(first), Math.min(last === '' ? body.length - 1 : Number(last), body.length - 1)];
        })
        : null;
      if (ranges && !headers['content-encoding']) {
        headers['accept-ranges'] = 'bytes';
        if (wanted) {
          if (wanted.some(([start, end]) => start > end)) {
            res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
            return;
          }
          // A host may answer several ranges with one that spans them (RFC 9110 14.2).
          if (ranges === 'joined') wanted.splice(0, Infinity, [Math.min(...wanted.map((r) => r[0])), Math.max(...wanted.map((r) => r[1]))]);
          if (wanted.length === 1) {
            const [[start, end]] = wanted;
            headers['content-range'] = `bytes ${start}-${end}/${body.length}`;
            headers['content-length'] = end - start + 1;
            res.writeHead(206, headers).end(body.subarray(start, end + 1));
            return;
          }
          // Several ranges: a multipart/byteranges body, a part per range.
          const boundary = 'RANGES' + Math.random().toString(36).slice(2);
          const pieces = wanted.flatMap(([start, end]) => [
            Buffer.from(`\r\n--${boundary}\r\ncontent-type: ${type}\r\ncontent-range: bytes ${start}-${end}/${body.length}\r\n\r\n`),
            body.subarray(start, end + 1),
          ]);
          const multipart = Buffer.concat([...pieces, Buffer.from(`\r\n--${boundary}--\r\n`)]);
          headers['content-type'] = `multipart/byteranges; boundary=${boundary}`;
          headers['content-length'] = multipart.length;
          res.writeHead(206, headers).end(multipart);
          return;
        }
      }
      headers['content-length'] = body.length;
      res.writeHead(200, headers).end(body);
    } catch (error) {
      const missing = error.code === 'ENOENT' || error.code === 'EISDIR' || error instanceof URIError;
      res.writeHead(missing ? 404 : 500, { 'content-type': 'text/plain' }).end(missing ? 'not found' : 'server error');
    }
  };
  const server = http2 ? createSecureServer(throwawayCertificate(), handle) : createServer(handle);
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen(server));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : fallback;
  };
  const port = Number(option('--port', 8080));
  const host = option('--host', '127.0.0.1');
  const cors = args.indexOf('--cors');
  if (cors >= 0) args.splice(cors, 1);
  const headers = cors >= 0 ? { 'access-control-allow-origin': '*' } : {};
  const folder = args[0] ?? 'dist';
  serve(folder, { port, host, headers }).then(
    () => console.log(`serving ${folder} on http://localhost:${port}/ (Ctrl+C to stop)`),
    (error) => {
      console.error(`serve: cannot listen on ${host}:${port}: ${error.message}; try PORT=8081 make serve`);
      process.exit(1);
    },
  );
}
