/**
 * GET /verify and its assets (public): the offline verifier page. Built on
 * first request (verifier-build.ts), then served from memory with ETags and
 * gzip/brotli. The page and its assets are revalidated on every load
 * (`no-cache`); the service worker keeps them for offline use.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { lazyBuild, sendAsset } from '../assets.js';
import { type VerifierAssets, SHELL_PATHS, WORKER_PATH, buildVerifierAssets } from './verifier-build.js';

export async function verifierRoutes(app: FastifyInstance, opts: { build?: () => Promise<VerifierAssets> } = {}) {
  const get = lazyBuild(opts.build ?? buildVerifierAssets);
  const send = (path: string) => async (req: FastifyRequest, reply: FastifyReply) =>
    sendAsset(req, reply, (await get()).get(path)!, {
      'permissions-policy': 'camera=(self), microphone=(), geolocation=()',
      ...(path === WORKER_PATH ? { 'service-worker-allowed': '/verify' } : {}),
    });

  for (const path of [...SHELL_PATHS, WORKER_PATH]) {
    app.get(path, { config: { access: 'public' }, schema: { hide: true } }, send(path));
  }
}
