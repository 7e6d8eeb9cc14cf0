/**
 * Server side: builds the verifier page from source with esbuild's JS API, in
 * memory, when the page is first asked for (~0.3 s once per process; API-only
 * processes and tests never pay it). No build step and no generated files:
 * `npm start` and `npm test` serve exactly the `src/credential` code the
 * server runs. Each asset is kept with a strong ETag and its gzip and brotli
 * forms.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

/** URL path → asset. The paths of the page shell, which the service worker keeps offline. */
export type VerifierAssets = ReadonlyMap<string, Asset>;

export const SHELL_PATHS = ['/verify', '/verify/', '/verify/app.js', '/verify/verify.css'] as const;
export const WORKER_PATH = '/verify/sw.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** Browsers the page targets: WebCrypto Ed25519 arrived in Chrome 137, Firefox 129, Safari 17. */
const TARGET = ['chrome111', 'firefox115', 'safari16'];

function asset(type: string, body: Buffer | string): Asset {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  return {
    type,
    body: buf,
    gzip: gzipSync(buf, { level: 9 }),
    br: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }),
    etag: `"${createHash('sha256').update(buf).digest('base64url').slice(0, 22)}"`,
  };
}

async function bundle(entry: string, define: Record<string, string> = {}): Promise<Buffer> {
  const out = await build({
    entryPoints: [here(entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: TARGET,
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    define,
    logLevel: 'silent',
  });
  return Buffer.from(out.outputFiles[0]!.contents);
}

export async function buildVerifierAssets(): Promise<VerifierAssets> {
  const [html, css, app] = await Promise.all([
    readFile(here('./index.html')),
    build({ entryPoints: [here('./verify.css')], bundle: true, write: false, minify: true, logLevel: 'silent' }).then((r) => Buffer.from(r.outputFiles[0]!.contents)),
    bundle('./main.ts'),
  ]);
  const version = createHash('sha256').update(html).update(css).update(app).digest('base64url').slice(0, 12);
  const worker = await bundle('./sw.ts', { __SHELL_VERSION__: JSON.stringify(version), __SHELL_FILES__: JSON.stringify(SHELL_PATHS) });
  const page = asset('text/html; charset=utf-8', html);
  return new Map<string, Asset>([
    ['/verify', page],
    ['/verify/', page],
    ['/verify/app.js', asset('text/javascript; charset=utf-8', app)],
    ['/verify/verify.css', asset('text/css; charset=utf-8', css)],
    [WORKER_PATH, asset('text/javascript; charset=utf-8', worker)],
  ]);
}
