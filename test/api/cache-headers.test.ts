/**
 * No personal answer is kept by a browser or a shared cache (issue 13,
 * finding 11): every route the app serves is walked, as a principal it
 * admits, with real ids; each answer says `Cache-Control: no-store`, except
 * the public documents made to be copied. The routes that answer personal
 * data must also answer it (2xx) here, so the header is seen on the data
 * itself, not only on a refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue } from '../helpers/cards.js';

/** Public documents and page assets: cacheable by design (keys, metadata, status list, bundle; assets revalidate). */
const CACHEABLE: Record<string, RegExp> = {
  'GET /.well-known/jwks.json': /^public, max-age=\d+$/,
  'GET /.well-known/lcc-issuer': /^public, max-age=\d+$/,
  // Status documents revalidate on every use (ETag, 304): a revocation is seen by the next online check.
  'GET /v1/status-list': /^public, no-cache$/,
  'GET /v1/verifier-bundle': /^public, no-cache$/,
  'GET /v1/verifier-directory': /^public, no-cache$/,
  // The public benefits directory (issue 16): no one's data, revalidated (ETag, 304).
  'GET /v1/partners': /^public, no-cache$/,
  'GET /v1/partners.geojson': /^public, no-cache$/,
  'GET /v1/offers': /^public, no-cache$/,
};
/** Page assets (src/web/assets.ts) revalidate each time (`no-cache` + ETag): public, and never data. */
const ASSET_TYPE = /^(text\/html|text\/css|text\/javascript|application\/javascript|application\/manifest\+json|image\/svg\+xml)/;

/** Routes that answer personal data (or secrets), which must answer 2xx in this walk. */
const PERSONAL = [
  'POST /v1/auth/login',
  'GET /v1/staff',
  'GET /v1/service-keys',
  'GET /v1/audit',
  'GET /v1/residents',
  'GET /v1/residents/:id',
  'GET /v1/residents/:id/photo',
  'GET /v1/residents/:id/cards',
  'GET /v1/cards/:number',
  'GET /v1/cards/:number/pdf',
  'POST /v1/verify',
  'POST /v1/self/login',
  'GET /v1/self/data',
  'GET /v1/self/photo',
  'GET /v1/self/card.pdf',
  'POST /v1/self/proof',
  'GET /v1/verification-counts',
  'GET /v1/federation/partners',
  'GET /v1/keys',
];

let t: TestContext;
let residentId: string;
let card: { number: string; qr: string };
let residentToken: string;
let serviceKey: string;
const PIN = '583920';

beforeAll(async () => {
  t = await createTestApp();
  residentId = await enrol(t);
  card = await issue(t, residentId);
  const claim = await t.app.inject({ method: 'POST', url: '/v1/self/claim', payload: { number: card.number, claimCode: (card as unknown as { claimCode: string }).claimCode, pin: PIN }, remoteAddress: '10.88.0.1' });
  if (claim.statusCode !== 200) throw new Error(`claim: ${claim.statusCode} ${claim.body}`);
  residentToken = claim.json().accessToken;
  serviceKey = (await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'desk', profile: 'name_and_photo' } })).json().secret;
}, 90_000);

afterAll(async () => {
  await t?.close();
});

/** A request that reaches the route's work: real ids and, where a body is needed, a valid one. */
function requestFor(method: string, url: string): { url: string; payload?: unknown } {
  const path = url.replace(':number', card.number).replace(':id', residentId).replace(':kid', 'AAAAAAAA').replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000').replace('*', 'index.html');
  const bodies: Record<string, unknown> = {
    'POST /v1/auth/login': { username: 'clerk', password: 'correct horse battery staple' },
    'POST /v1/verify': { qr: card.qr },
    'POST /v1/self/login': { number: card.number, pin: PIN },
    'POST /v1/self/proof': {},
  };
  const key = `${method} ${url}`;
  if (key === 'GET /v1/residents') return { url: '/v1/residents?q=Maria' };
  if (method === 'GET' || method === 'DELETE') return { url: path };
  return { url: path, payload: bodies[key] ?? {} };
}

function headersFor(access: 'public' | readonly string[]): Record<string, string> {
  if (access === 'public') return {};
  for (const p of ['clerk', 'admin', 'official', 'partner_service'] as const) if (access.includes(p)) return t.auth(p);
  if (access.includes('resident')) return { authorization: `Bearer ${residentToken}` };
  if (access.includes('service_key')) return { authorization: `Bearer ${serviceKey}` };
  return {};
}

describe('Cache-Control on every route', () => {
  it('no-store everywhere but the public documents; personal routes answer their data with it', async () => {
    const seen = new Set<string>();
    // Destructive routes last, so the walk reads the record and card before anything erases or revokes them.
    const rank = (r: { method: string; url: string }) => (r.method === 'GET' ? 0 : PERSONAL.includes(`${r.method} ${r.url}`) ? 1 : r.method === 'DELETE' ? 3 : 2);
    const routes = [...t.app.routeAccess].sort((a, b) => rank(a) - rank(b));
    for (const { method, url, access } of routes) {
      if (method === 'OPTIONS') continue;
      const key = `${method} ${url}`;
      const req = requestFor(method, url);
      const res = await t.app.inject({ method: method as 'GET', ...req, headers: headersFor(access), remoteAddress: '10.88.0.2' } as never);
      const header = res.headers['cache-control'];
      if (CACHEABLE[key] && res.statusCode < 300) expect(header, key).toMatch(CACHEABLE[key]!);
      else if (access === 'public' && header === 'no-cache' && res.statusCode < 300) expect(String(res.headers['content-type']), `${key} is no-cache`).toMatch(ASSET_TYPE);
      else expect(header, `${key} → ${res.statusCode}`).toBe('no-store');
      if (PERSONAL.includes(key)) {
        expect(res.statusCode, `${key}: ${res.body.slice(0, 200)}`).toBeLessThan(300);
        seen.add(key);
      }
    }
    expect([...seen].sort()).toEqual([...PERSONAL].sort());
  }, 120_000);

  it('a problem is no-store even from a cacheable route', async () => {
    const res = await t.app.inject({ url: '/.well-known/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
