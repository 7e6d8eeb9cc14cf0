/**
 * GET /console and /me with their assets (public: the pages hold no data;
 * every call they make is authenticated). Built on first request
 * (page-assets.ts), then served from memory with ETags and gzip/brotli,
 * revalidated on every load (`no-cache`).
 */
import { fromRoot } from '../paths.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { asset, lazyBuild, sendAsset } from './assets.js';
import { buildPage, type PageSource } from './page-assets.js';

const file = (path: string) => fromRoot('src', 'web', path);
const src = (dir: string): Omit<PageSource, 'prefix'> => ({ html: file(`./${dir}/index.html`), css: file(`./${dir}/app.css`), script: file(`./${dir}/main.ts`) });

const PAGES: Array<PageSource & { camera: boolean }> = [
  // The clerk takes the card photo with the laptop camera.
  { prefix: '/console', ...src('console'), camera: true },
  { prefix: '/me', ...src('portal'), camera: false },
  // Enrolment appointments (issue 18): public, no account, no name.
  { prefix: '/appointments', ...src('appointments'), camera: false },
  // Welcoming Week's public programme (issue 17): no account, no data of anyone.
  { prefix: '/events', ...src('events'), camera: false },
  // Benefits (issue 16): the card's offers and where it is accepted as ID; public, no account.
  { prefix: '/offers', ...src('offers'), camera: false },
  // The map of the network (issue 19): the cities this city knows, from GET /v1/network; public, no account.
  { prefix: '/network', ...src('network'), camera: false },
];

export async function pagesRoutes(app: FastifyInstance, opts: { build?: typeof buildPage } = {}) {
  const make = opts.build ?? buildPage;
  // One icon for every page (the card's outline), so a tab or a home-screen shortcut is recognisable.
  const icon = asset('image/svg+xml', readFileSync(file('./shared/favicon.svg')));
  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(path, { config: { access: 'public' }, schema: { hide: true } }, (req, reply) => sendAsset(req, reply, icon));
  }
  for (const page of PAGES) {
    const get = lazyBuild(() => make(page));
    const send = (path: string) => async (req: FastifyRequest, reply: FastifyReply) =>
      sendAsset(req, reply, (await get()).get(path)!, {
        'referrer-policy': 'no-referrer',
        'permissions-policy': `camera=(${page.camera ? 'self' : ''}), microphone=(), geolocation=()`,
      });
    for (const path of [page.prefix, `${page.prefix}/`, `${page.prefix}/app.js`, `${page.prefix}/app.css`]) {
      app.get(path, { config: { access: 'public' }, schema: { hide: true } }, send(path));
    }
  }
}
