/**
 * Security answers (issue 10), one assertion each: helmet's headers on every
 * kind of answer, CORS only on the public documents a browser elsewhere must
 * read (and never on staff or resident routes, preflight included), request
 * size limits (413), rate limits (429 with Retry-After) on login and on an
 * ordinary route, and no stack trace or internal message in any error —
 * forced from a route that throws and from a broken database.
 */
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';
import { captureLines } from '../helpers/dump.js';
import { loggerOptions } from '../../src/logger.js';
import { contractBreach } from './problem-check.js';

/** What a browser on another site may read: the city's public keys, metadata, status list and verifier bundle. */
// The public documents, and the public directories other sites and maps read (issues 16 and 19: CORS open).
const CORS_OPEN = [
  /^\/\.well-known\//,
  /^\/v1\/status-list$/,
  /^\/v1\/verifier-bundle$/,
  /^\/v1\/verifier-directory$/,
  /^\/v1\/partners(\.geojson)?$/,
  /^\/v1\/offers$/,
  /^\/v1\/network(\.geojson)?$/,
];
const ORIGIN = 'https://elsewhere.example';
const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

let t: TestContext;
let cardNumber: string;

/** A concrete URL for a route pattern (`:id` → a UUID, `:number` → a real card, `*` → a file). */
function concrete(url: string): string {
  return url
    .replace(/:number/g, cardNumber)
    .replace(/:kid/g, 'AAAAAAAA')
    .replace(/:[A-Za-z]+/g, ZERO_UUID)
    .replace(/\*/g, 'index.html');
}

beforeAll(async () => {
  t = await createTestApp();
  cardNumber = (await issue(t, await enrol(t))).number;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

function expectHelmet(res: LightMyRequestResponse) {
  expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
  expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
  expect(res.headers['content-security-policy']).toMatch(/object-src 'none'/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  expect(res.headers['cross-origin-resource-policy']).toBe('same-site');
  expect(res.headers['x-powered-by']).toBeUndefined();
}

describe('security headers', () => {
  it.each([
    { name: 'a JSON answer', req: { url: '/healthz' } },
    { name: 'a public document', req: { url: '/.well-known/jwks.json' } },
    { name: 'an authenticated answer', req: { url: '/v1/evidence-rules', auth: true } },
    { name: 'a 401', req: { url: '/v1/residents' } },
    { name: 'a 404', req: { url: '/nothing/here' } },
    { name: 'a 400', req: { method: 'POST', url: '/v1/auth/login', payload: { username: 1 } } },
    { name: 'a 413', req: { method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(7 * 1024 * 1024) } },
    { name: 'the docs page', req: { url: '/docs' } },
  ])('on $name', async ({ req }) => {
    const { auth, ...rest } = req as { auth?: boolean; url: string; headers?: Record<string, string> };
    const res = await t.app.inject({ ...rest, headers: { ...rest.headers, ...(auth ? t.auth('clerk') : {}) } } as never);
    expectHelmet(res);
  });
});

describe('CORS: open only on public documents', () => {
  it('every route: Access-Control-Allow-Origin only where the table allows it, on answers and on preflights', async () => {
    const seen: string[] = [];
    for (const { method, url, access } of t.app.routeAccess) {
      if (method === 'OPTIONS') continue;
      const path = concrete(url);
      const open = access === 'public' && CORS_OPEN.some((re) => re.test(url));
      const headers = { origin: ORIGIN, ...(access === 'public' ? {} : t.auth(access.includes('clerk') ? 'clerk' : access.includes('admin') ? 'admin' : 'official')) };
      const res = await t.app.inject({ method: method as 'GET', url: path, headers, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
      if (open && res.statusCode < 400) {
        expect(res.headers['access-control-allow-origin'], `${method} ${url}`).toBe('*');
        seen.push(url);
      } else if (!open) {
        expect(res.headers['access-control-allow-origin'], `${method} ${url}`).toBeUndefined();
        expect(res.headers['access-control-allow-credentials'], `${method} ${url}`).toBeUndefined();
      }
      // A browser's preflight for a non-simple call from another site is never allowed.
      const preflight = await t.app.inject({ method: 'OPTIONS', url: path, headers: { origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' } });
      if (!open) {
        expect(preflight.headers['access-control-allow-origin'], `preflight ${method} ${url}`).toBeUndefined();
        expect(preflight.headers['access-control-allow-headers'] ?? '', `preflight ${method} ${url}`).not.toMatch(/authorization/i);
      }
    }
    // The four public documents were really reached with CORS open.
    expect(seen).toEqual(expect.arrayContaining(['/.well-known/jwks.json', '/.well-known/lcc-issuer', '/v1/status-list', '/v1/verifier-bundle']));
  }, 120_000);
});

describe('request size limits', () => {
  it.each([
    { name: 'an enrolment over the body limit', method: 'POST', url: '/v1/residents', type: 'application/json', size: 7 * 1024 * 1024 },
    { name: 'a photo over the photo limit', method: 'PUT', url: `/v1/residents/${ZERO_UUID}/photo`, type: 'image/jpeg', size: 12 * 1024 * 1024 },
    { name: 'a verification over the body limit', method: 'POST', url: '/v1/verify', type: 'application/json', size: 7 * 1024 * 1024 },
  ])('$name → 413 payload-too-large', async ({ method, url, type, size }) => {
    const res = await t.app.inject({ method: method as 'POST', url, headers: { ...t.auth(url === '/v1/verify' ? 'official' : 'clerk'), 'content-type': type }, payload: Buffer.alloc(size, 0x7b) });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload-too-large');
    expect(contractBreach(res)).toBeUndefined();
  });

  it('a Content-Length that announces too much is refused before the body is read', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: { ...t.auth('clerk'), 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) }, payload: '{}' });
    expect([400, 413]).toContain(res.statusCode);
    expect(contractBreach(res)).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('login: the 31st attempt in a minute from one address → 429 rate-limited with Retry-After', async () => {
    // Bodies the route refuses (400): the limiter counts every request, before the account throttle sees any.
    const attempt = () => t.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: '192.0.2.10', payload: { username: 'nobody' } });
    for (let i = 0; i < 30; i++) expect((await attempt()).statusCode).not.toBe(429);
    const res = await attempt();
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('rate-limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(contractBreach(res)).toBeUndefined();
    // Another address is not affected.
    const other = await t.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: '192.0.2.11', payload: { username: 'clerk', password: TEST_PASSWORD } });
    expect(other.statusCode).toBe(200);
  });

  it('an ordinary route under RATE_LIMIT → 429 rate-limited with Retry-After once the budget is spent', async () => {
    const small = await createTestApp({ env: { RATE_LIMIT: '8' } });
    try {
      const call = () => small.app.inject({ url: '/v1/evidence-rules', remoteAddress: '192.0.2.20', headers: small.auth('clerk') });
      let res = await call();
      for (let i = 0; i < 20 && res.statusCode !== 429; i++) res = await call();
      expect(res.statusCode).toBe(429);
      expect(res.json().code).toBe('rate-limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.headers['x-ratelimit-limit']).toBe('8');
      expectHelmet(res);
    } finally {
      await small.close();
    }
  }, 60_000);
});

describe('no stack traces or internal messages in answers', () => {
  const FORBIDDEN = /\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|node_modules|secret-token-in-message|relation "|SELECT|select |TypeError|stack/i;

  it('a route that throws answers 500 internal-error with nothing of the error; the log has its class, route and frames, not its message', async () => {
    const { lines, stream } = captureLines();
    const broken = await createTestApp({ logger: { ...(loggerOptions('info') as object), stream } });
    try {
      broken.app.services.residents.evidenceRules = () => {
        throw new TypeError("Cannot read properties of undefined (reading 'secret-token-in-message') at /work/src/x.ts:12");
      };
      const res = await broken.app.inject({ url: '/v1/evidence-rules', headers: broken.auth('clerk') });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ code: 'internal-error', status: 500 });
      expect(res.json().detail).toBeUndefined();
      expect(res.body).not.toMatch(FORBIDDEN);
      expectHelmet(res);
      // A message can quote any value the code choked on (issue 13, finding 10): the log names the error, not what it said.
      const line = lines.find((l) => l.includes('unhandled error'))!;
      expect(JSON.parse(line)).toMatchObject({ level: 50, error: { class: 'TypeError' }, method: 'GET', route: '/v1/evidence-rules' });
      expect(JSON.parse(line).error.frames.join('\n')).toContain('security.test.ts');
      expect(lines.join('\n')).not.toContain('secret-token-in-message');
    } finally {
      await broken.close();
    }
  }, 60_000);

  it('a broken database (a table gone) answers 500 internal-error without SQL or driver messages', async () => {
    const broken = await createTestApp();
    try {
      await broken.database.db.execute(sql`drop table residents cascade`);
      for (const req of [
        { method: 'POST', url: '/v1/residents', payload: REFERENCE_RESIDENT },
        { method: 'GET', url: `/v1/residents/${ZERO_UUID}` },
      ] as const) {
        const res = await broken.app.inject({ ...req, headers: broken.auth('clerk') });
        expect(res.statusCode, `${req.method} ${req.url}`).toBe(500);
        expect(res.json()).toMatchObject({ code: 'internal-error', type: 'urn:lcc:problem:internal-error' });
        expect(res.body).not.toMatch(FORBIDDEN);
        expect(contractBreach(res, { allow5xx: [500] })).toBeUndefined();
      }
    } finally {
      await broken.close();
    }
  }, 60_000);

  it('refusals carry the field paths, never the values sent or a parser message with code', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: { ...t.auth('clerk'), 'content-type': 'application/json' }, payload: '{"names": {"printed": "x"}, "preferredLanguage": "fr", "evidence": [' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('malformed-json');
    expect(res.body).not.toMatch(FORBIDDEN);
    expect(res.body).not.toContain('Unexpected end of JSON');
  });
});
