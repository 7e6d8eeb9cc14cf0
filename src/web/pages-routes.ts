/**
 * GET /console and /me with their assets (public: the pages hold no data;
 * every call they make is authenticated). Built on first request
 * (page-assets.ts), then served from memory with ETags and gzip/brotli,
 * revalidated on every load (`no-cache`).
 */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Asset, buildPage, type PageSource } from './page-assets.js';

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const src = (dir: string): Omit<PageSource, 'prefix'> => ({ html: file(`./${dir}/index.html`), css: file(`./${dir}/app.css`), script: file(`./${dir}/main.ts`) });

const PAGES: Array<PageSource & { camera: boolean }> = [
  // The clerk takes the card photo with the laptop camera.
  { prefix: '/console', ...src('console'), camera: true },
  { prefix: '/me', ...src('portal'), camera: false },
];

export async function pagesRoutes(app: FastifyInstance, opts: { build?: typeof buildPage } = {}) {
  const make = opts.build ?? buildPage;
  for (const page of PAGES) {
    let assets: Promise<Map<string, Asset>> | undefined;
    const get = () => {
      assets ??= make(page).catch((e: unknown) => {
        assets = undefined; // try again on the next request
        throw e;
      });
      return assets;
    };
    const send = (path: string) => async (req: FastifyRequest, reply: FastifyReply) => {
      const a = (await get()).get(path)!;
      reply
        .header('cache-control', 'no-cache')
        .header('etag', a.etag)
        .header('vary', 'accept-encoding')
        .header('referrer-policy', 'no-referrer')
        .header('permissions-policy', `camera=(${page.camera ? 'self' : ''}), microphone=(), geolocation=()`);
      if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === a.etag)) return reply.code(304).send();
      const accept = String(req.headers['accept-encoding'] ?? '');
      reply.type(a.type);
      if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(a.br);
      if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(a.gzip);
      return reply.send(a.body);
    };
    for (const path of [page.prefix, `${page.prefix}/`, `${page.prefix}/app.js`, `${page.prefix}/app.css`]) {
      app.get(path, { config: { access: 'public' }, schema: { hide: true } }, send(path));
    }
  }
}
