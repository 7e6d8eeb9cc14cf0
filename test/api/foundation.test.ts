import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';

let t: TestContext;
const METRICS_TOKEN = 'm'.repeat(40);
beforeAll(async () => {
  t = await createTestApp({ env: { METRICS_TOKEN } });
});
afterAll(() => t.close());

describe('operator endpoints', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('serves OpenAPI 3.1 built from the route schemas, and the docs page', async () => {
    const spec = (await t.app.inject('/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/v1/auth/login');
    const docs = await t.app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('exposes Prometheus metrics labelled by route pattern, never by raw URL', async () => {
    await t.app.inject({ url: '/v1/staff/00000000-0000-0000-0000-000000000000', method: 'PATCH', headers: t.auth('admin'), payload: { disabled: true } });
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('lcc_http_requests_total');
    expect(res.body).toContain('route="/v1/staff/:id"');
    expect(res.body).not.toContain('00000000-0000-0000-0000-000000000000');
  });

  it('sends security headers', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });
});

describe('bad input is a clear problem+json, never a stack trace', () => {
  const cases = [
    { name: 'unknown route', req: { method: 'GET', url: '/v1/nothing-here' }, status: 404, code: 'route-not-found' },
    { name: 'malformed JSON', req: { method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' }, status: 400, code: 'malformed-json' },
    { name: 'empty JSON body', req: { method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '' }, status: 400, code: 'malformed-json' },
    { name: 'wrong content type', req: { method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'text/csv' }, payload: 'a,b' }, status: 415, code: 'unsupported-media-type' },
    { name: 'oversized body', req: { method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'x'.repeat(7 * 1024 * 1024), password: 'y' }) }, status: 413, code: 'payload-too-large' },
    { name: 'missing field', req: { method: 'POST', url: '/v1/auth/login', payload: { username: 'admin' } }, status: 400, code: 'validation-failed' },
  ] as const;

  it.each(cases)('$name → $status $code', async ({ req, status, code }) => {
    const res = await t.app.inject(req as never);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ type: `urn:lcc:problem:${code}`, code, status });
    expect(body.title).toBeTypeOf('string');
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('names the failing field paths', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', extra: 1 } });
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/password', '/body/extra']));
  });

  it('translates problem titles from Accept-Language', async () => {
    const titles = new Set<string>();
    for (const lang of ['en', 'fr', 'es', 'pt', 'ar']) {
      const res = await t.app.inject({ url: '/v1/nothing', headers: { 'accept-language': lang } });
      expect(res.headers['content-language']).toBe(lang);
      titles.add(res.json().title);
    }
    expect(titles.size).toBe(5);
    const ar = await t.app.inject({ url: '/v1/nothing', headers: { 'accept-language': 'ar-MA,ar;q=0.9' } });
    expect(ar.json().title).toBe('المسار غير موجود');
  });
});
