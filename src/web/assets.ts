/**
 * The one mechanism that serves every page (verifier, console, portal):
 * sources are bundled with esbuild's JS API, in memory, on first request —
 * no build step, no generated files, and `npm start` serves exactly the code
 * in src/ (the verifier the very src/credential the server runs). Each file
 * is kept with a strong ETag and its gzip and brotli forms, and revalidated
 * on every load (`no-cache`).
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { build } from 'esbuild';

export interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

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

/** A browser script: one minified IIFE with its imports. */
export async function bundleScript(entry: string, opts: { target: string[]; define?: Record<string, string> }): Promise<Buffer> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: opts.target,
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    define: opts.define ?? {},
    logLevel: 'silent',
  });
  return Buffer.from(out.outputFiles[0]!.contents);
}

export async function bundleCss(entry: string): Promise<Buffer> {
  const out = await build({ entryPoints: [entry], bundle: true, write: false, minify: true, logLevel: 'silent' });
  return Buffer.from(out.outputFiles[0]!.contents);
}

/** Memoises a build; a failed build is tried again on the next request. */
export function lazyBuild<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= make().catch((e: unknown) => {
      pending = undefined;
      throw e;
    }));
}

/** Sends an asset with its ETag (304 when unchanged) in the best encoding the client accepts. */
export function sendAsset(req: FastifyRequest, reply: FastifyReply, a: Asset, headers: Record<string, string> = {}) {
  reply.header('cache-control', 'no-cache').header('etag', a.etag).header('vary', 'accept-encoding').headers(headers);
  if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === a.etag)) return reply.code(304).send();
  const accept = String(req.headers['accept-encoding'] ?? '');
  reply.type(a.type);
  if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(a.br);
  if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(a.gzip);
  return reply.send(a.body);
}
