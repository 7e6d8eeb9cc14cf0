/**
 * Builds a page (HTML shell, one CSS file, one script) from source with
 * esbuild's JS API, in memory, on first request — the same mechanism as the
 * verifier page (src/web/verify/verifier-build.ts): no build step, no
 * generated files, each asset kept with a strong ETag and its gzip and
 * brotli forms. This one is generic over the page, so the console and the
 * portal share it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** One served file, as the verifier's build keeps them (verify/verifier-build.ts). */
export interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

/** Browsers the pages target: any phone browser of the last few years. */
const TARGET = ['chrome100', 'firefox100', 'safari15'];

export function asset(type: string, body: Buffer | string): Asset {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  return {
    type,
    body: buf,
    gzip: gzipSync(buf, { level: 9 }),
    br: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }),
    etag: `"${createHash('sha256').update(buf).digest('base64url').slice(0, 22)}"`,
  };
}

export interface PageSource {
  /** URL prefix, e.g. `/console`: the page is served at `/console` and `/console/`, its files under it. */
  prefix: string;
  /** Absolute paths of the HTML shell, the CSS entry and the TS entry. */
  html: string;
  css: string;
  script: string;
}

/** URL path → asset for one page: the shell, `<prefix>/app.css` and `<prefix>/app.js`. */
export async function buildPage(src: PageSource): Promise<Map<string, Asset>> {
  const [html, css, js] = await Promise.all([
    readFile(src.html),
    build({ entryPoints: [src.css], bundle: true, write: false, minify: true, logLevel: 'silent' }).then((r) => Buffer.from(r.outputFiles[0]!.contents)),
    build({
      entryPoints: [src.script],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: TARGET,
      minify: true,
      legalComments: 'none',
      charset: 'utf8',
      logLevel: 'silent',
    }).then((r) => Buffer.from(r.outputFiles[0]!.contents)),
  ]);
  const page = asset('text/html; charset=utf-8', html);
  return new Map([
    [src.prefix, page],
    [`${src.prefix}/`, page],
    [`${src.prefix}/app.css`, asset('text/css; charset=utf-8', css)],
    [`${src.prefix}/app.js`, asset('text/javascript; charset=utf-8', js)],
  ]);
}

