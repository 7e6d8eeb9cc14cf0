/**
 * GET /verify and its assets (public): the offline verifier page. Built on
 * first request (verifier-build.ts), then served from memory with ETags and
 * gzip/brotli. The page and its assets are revalidated on every load
 * (`no-cache`); the service worker keeps them for offline use.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Asset, type VerifierAssets, SHELL_PATHS, WORKER_PATH, buildVerifierAssets } from './verifier-build.js';

export async function verifierRoutes(app: FastifyInstance, opts: { build?: () => Promise<VerifierAssets> } = {}) {
  const make = opts.build ?? buildVerifierAssets;
  let assets: Promise<VerifierAssets> | undefined;
  const get = () => {
    assets ??= make().catch((e: unknown) => {
      assets = undefined; // try again on the next request
      throw e;
    });
    return assets;
  };

  const send = (path: string) => async (req: FastifyRequest, reply: FastifyReply) => {
    const a = (await get()).get(path) as Asset;
    reply
      .header('cache-control', 'no-cache')
      .header('etag', a.etag)
      .header('vary', 'accept-encoding')
      .header('permissions-policy', 'camera=(self), microphone=(), geolocation=()');
    if (path === WORKER_PATH) reply.header('service-worker-allowed', '/verify');
    if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === a.etag)) return reply.code(304).send();
    const accept = String(req.headers['accept-encoding'] ?? '');
    reply.type(a.type);
    if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(a.br);
    if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(a.gzip);
    return reply.send(a.body);
  };

  for (const path of [...SHELL_PATHS, WORKER_PATH]) {
    app.get(path, { config: { access: 'public' }, schema: { hide: true } }, send(path));
  }
}
