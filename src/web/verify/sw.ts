/**
 * Service worker of the verifier page (/verify/sw.js, scope /verify): keeps
 * the page shell in Cache Storage so the page opens offline. Cache-first, one
 * cache per shell version (the server builds this file with the version of
 * the shell it serves, so a new deployment installs a new worker). The
 * verifier bundle and the status list are network-first and never cached
 * here: they go to the network with `cache: 'no-store'` (the page's own
 * If-None-Match gets its cheap 304), and when the network is away the fetch
 * fails and the page uses the copy it saved itself (store.ts) and says it is
 * offline — a stale list is never answered as if it were fresh. Everything
 * else goes to the network untouched. Nothing about a checked card passes here.
 */

// Minimal service-worker typings (the WebWorker lib clashes with DOM in one tsconfig).
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

declare const __SHELL_VERSION__: string;
declare const __SHELL_FILES__: string[];

const scope = self as unknown as WorkerScope;
const PREFIX = 'lcc-verify-shell-';
const CACHE = PREFIX + __SHELL_VERSION__;
const SHELL = new Set(__SHELL_FILES__);
const STATUS_DOCUMENTS = new Set(['/v1/verifier-bundle', '/v1/status-list']);

scope.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll([...SHELL].map((p) => new Request(p, { cache: 'no-cache' }))))
      .then(() => scope.skipWaiting()),
  );
});

scope.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => scope.clients.claim()),
  );
});

scope.addEventListener('fetch', (e) => {
  if (e.request.method !== 'GET') return;
  const url = new URL(e.request.url);
  if (url.origin !== scope.location.origin) return;
  if (STATUS_DOCUMENTS.has(url.pathname)) return e.respondWith(fetch(e.request, { cache: 'no-store' }));
  if (!SHELL.has(url.pathname)) return;
  e.respondWith(
    caches.open(CACHE).then(async (c) => (await c.match(url.pathname)) ?? fetch(e.request)),
  );
});
