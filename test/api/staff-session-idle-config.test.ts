/**
 * STAFF_IDLE_TIMEOUT sets how long a console session may stay unused: the
 * server enforces it and tells the console (`idleTimeout`), which warns a
 * minute before. Clock injected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { SESSION_COOKIE } from '../../src/modules/staff/staff-session-routes.js';
import { loadConfig } from '../../src/config.js';

let t: TestContext;
let now = new Date('2027-05-03T08:00:00Z');
const MIN = 60_000;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now, env: { STAFF_IDLE_TIMEOUT: '300' } });
});
afterAll(() => t.close());

const tokenOf = (cookies: Array<{ name: string; value: string }>) => cookies.find((c) => c.name === SESSION_COOKIE)!.value;
const refresh = (token: string) => t.app.inject({ method: 'POST', url: '/v1/auth/session/refresh', headers: { cookie: `${SESSION_COOKIE}=${token}` } });

describe('STAFF_IDLE_TIMEOUT', () => {
  it('defaults to 15 minutes and refuses values outside 2 minutes to 12 hours', () => {
    const base = { CITY_ID: 'fr-x', COUNTRY: 'FR', DATA_DIR: '/nonexistent' };
    expect(loadConfig(base).staffIdleTimeout).toBe(900);
    expect(() => loadConfig({ ...base, STAFF_IDLE_TIMEOUT: '60' })).toThrow(/STAFF_IDLE_TIMEOUT/);
    expect(() => loadConfig({ ...base, STAFF_IDLE_TIMEOUT: '50000' })).toThrow(/STAFF_IDLE_TIMEOUT/);
  });

  it('a session unused for 5 minutes ends; used every 4 minutes it lives on', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/session', payload: { username: 'clerk', password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().idleTimeout).toBe(300);
    let token = tokenOf(res.cookies);
    for (let i = 0; i < 3; i++) {
      now = new Date(now.getTime() + 4 * MIN);
      const next = await refresh(token);
      expect(next.statusCode).toBe(200);
      expect(next.json().idleTimeout).toBe(300);
      token = tokenOf(next.cookies);
    }
    now = new Date(now.getTime() + 5 * MIN + 1000);
    expect((await refresh(token)).statusCode).toBe(401);
  });
});
