/**
 * /metrics shows per-route activity in real time (issue 13, finding 11):
 * without METRICS_TOKEN it is not served at all; with it, only that bearer
 * reads it — no staff token, not even an administrator's, and the
 * scraper's token opens nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testConfig, type TestContext } from '../helpers/app.js';
import { ConfigError } from '../../src/config.js';

const TOKEN = 'scraper-0123456789abcdef0123456789abcdef';
let plain: TestContext;
let guarded: TestContext;

beforeAll(async () => {
  [plain, guarded] = await Promise.all([createTestApp(), createTestApp({ env: { METRICS_TOKEN: TOKEN } })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([plain?.close(), guarded?.close()]);
});

describe('/metrics', () => {
  it('without METRICS_TOKEN: 404 route-not-found for everyone, an administrator included', async () => {
    for (const headers of [{}, plain.auth('admin'), { authorization: `Bearer ${TOKEN}` }]) {
      const res = await plain.app.inject({ url: '/metrics', headers });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('route-not-found');
      expect(res.body).not.toContain('lcc_http_requests_total');
    }
  });

  it('with METRICS_TOKEN: 401 without a bearer or with a wrong one, 403 for staff, 200 for the token', async () => {
    const none = await guarded.app.inject('/metrics');
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('unauthenticated');
    const wrong = await guarded.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` } });
    expect(wrong.statusCode).toBe(401);
    for (const role of ['admin', 'clerk', 'official'] as const) {
      const res = await guarded.app.inject({ url: '/metrics', headers: guarded.auth(role) });
      expect(res.statusCode, role).toBe(403);
      expect(res.body).not.toContain('lcc_http_requests_total');
    }
    const ok = await guarded.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('lcc_http_requests_total');
    expect(ok.headers['cache-control']).toBe('no-store');
  });

  it("the scraper's token opens nothing else", async () => {
    for (const url of ['/v1/staff', '/v1/audit', '/v1/residents?q=x']) {
      const res = await guarded.app.inject({ url, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode, url).toBe(403);
    }
  });

  it('a short or odd METRICS_TOKEN is refused at start', () => {
    expect(() => testConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => testConfig({ METRICS_TOKEN: `${'a'.repeat(40)} b` })).toThrow(/METRICS_TOKEN/);
  });
});
