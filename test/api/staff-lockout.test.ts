/**
 * Staff sign-in under attack (issue 13, findings 2 and 7): simultaneous
 * guesses, backoff, a guesser elsewhere, many addresses, and the client
 * address behind a reverse proxy (TRUST_PROXY).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';

/** A clock the tests move forward; everything else runs on real time. */
let offset = 0;
const clock = () => new Date(Date.now() + offset);

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const login = (ctx: TestContext, username: string, password: string, opts: { ip?: string; forwardedFor?: string } = {}) =>
  ctx.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { username, password },
    remoteAddress: opts.ip ?? '127.0.0.1',
    headers: opts.forwardedFor ? { 'x-forwarded-for': opts.forwardedFor } : {},
  });

let seq = 0;
async function clerk(): Promise<string> {
  const username = `desk.clerk${++seq}`;
  const res = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username, password: TEST_PASSWORD, role: 'clerk' } });
  expect(res.statusCode).toBe(201);
  return username;
}

const tally = (codes: number[]) => ({ checked: codes.filter((c) => c === 401).length, refused: codes.filter((c) => c === 429).length });

describe('simultaneous guesses', () => {
  it('12 wrong passwords at once: 5 are checked, the other 7 refused unchecked', async () => {
    const name = await clerk();
    const answers = await Promise.all(Array.from({ length: 12 }, () => login(t, name, 'wrong password!', { ip: '10.40.0.1' })));
    expect(tally(answers.map((a) => a.statusCode))).toEqual({ checked: 5, refused: 7 });
    for (const a of answers.filter((x) => x.statusCode === 429)) expect(a.json().code).toBe('account-locked');
    // Locked now, even with the right password, from that address.
    expect((await login(t, name, TEST_PASSWORD, { ip: '10.40.0.1' })).json().code).toBe('account-locked');
  });

  it('20 wrong passwords at once on 20 names from one address: at most the address limit is checked', async () => {
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => login(t, `sprayed${i}`, 'wrong password!', { ip: '10.41.0.1' })));
    expect(tally(answers.map((a) => a.statusCode))).toEqual({ checked: 20, refused: 4 });
  });
});

describe('backoff', () => {
  it('after the first lock, each further failure locks twice as long; the right password then resets the run', async () => {
    const name = await clerk();
    const ip = '10.42.0.1';
    for (let i = 0; i < 5; i++) expect((await login(t, name, 'wrong password!', { ip })).statusCode).toBe(401);
    const first = await login(t, name, TEST_PASSWORD, { ip });
    expect(first.statusCode).toBe(429);
    expect(Number(first.headers['retry-after'])).toBe(60);

    offset += 61_000;
    // One guess gets through after a lock; it fails, and the next lock is two minutes.
    expect((await login(t, name, 'wrong password!', { ip })).statusCode).toBe(401);
    const second = await login(t, name, TEST_PASSWORD, { ip });
    expect(second.statusCode).toBe(429);
    expect(Number(second.headers['retry-after'])).toBe(120);

    offset += 121_000;
    expect((await login(t, name, 'wrong password!', { ip })).statusCode).toBe(401);
    expect(Number((await login(t, name, TEST_PASSWORD, { ip })).headers['retry-after'])).toBe(240);

    offset += 241_000;
    expect((await login(t, name, TEST_PASSWORD, { ip })).statusCode).toBe(200);
    // A fresh run: five guesses again before a one-minute lock.
    for (let i = 0; i < 5; i++) expect((await login(t, name, 'wrong password!', { ip })).statusCode).toBe(401);
    expect(Number((await login(t, name, TEST_PASSWORD, { ip })).headers['retry-after'])).toBe(60);
  });
});

describe('many addresses against one account', () => {
  it('100 failures from 20 addresses hold the account for new places, never for a desk that signed in before', async () => {
    const name = await clerk();
    expect((await login(t, name, TEST_PASSWORD, { ip: '10.43.9.9' })).statusCode).toBe(200); // the desk
    for (let a = 0; a < 20; a++) {
      const answers = await Promise.all(Array.from({ length: 5 }, () => login(t, name, 'wrong password!', { ip: `10.44.0.${a}` })));
      expect(tally(answers.map((x) => x.statusCode))).toEqual({ checked: 5, refused: 0 });
    }
    const newPlace = await login(t, name, TEST_PASSWORD, { ip: '10.45.0.1' });
    expect(newPlace.statusCode).toBe(429);
    expect(newPlace.json().code).toBe('account-locked');
    expect((await login(t, name, TEST_PASSWORD, { ip: '10.43.9.9' })).statusCode).toBe(200);
    // Other accounts are untouched.
    expect((await login(t, 'clerk', TEST_PASSWORD, { ip: '10.45.0.1' })).statusCode).toBe(200);
  });
});

describe('what the counters keep', () => {
  it('no username or address in clear, and rows untouched for 30 days go at the next sign-in', async () => {
    const rows = async () =>
      ((await t.database.db.execute(sql`select key, window_start from login_throttle`)) as unknown as { rows: Array<{ key: string; window_start: string | Date }> }).rows;
    const before = await rows();
    expect(before.length).toBeGreaterThan(10);
    for (const r of before) {
      expect(r.key).toMatch(/^(pair|addr|acct|known):[A-Za-z0-9_-]{22}$/);
      expect(r.key).not.toMatch(/10\.4|clerk|sprayed/);
    }
    offset += 31 * 24 * 3_600_000;
    expect((await login(t, 'clerk', TEST_PASSWORD, { ip: '10.46.0.1' })).statusCode).toBe(200);
    const after = await rows();
    // Only what this sign-in just wrote: its address and account counters (given back, so at 0) and the mark of the pair.
    expect(after.map((r) => r.key.split(':')[0]).sort()).toEqual(['acct', 'addr', 'known']);
  });
});

describe('behind a reverse proxy (the proxy is 127.0.0.1 and sends X-Forwarded-For)', () => {
  it('without TRUST_PROXY every client is the proxy: a guesser at A locks admin out for B too', async () => {
    // t has no TRUST_PROXY: the forwarded addresses are ignored.
    for (let i = 0; i < 5; i++) expect((await login(t, 'admin', 'wrong password!', { forwardedFor: '198.51.100.7' })).statusCode).toBe(401);
    const atDesk = await login(t, 'admin', TEST_PASSWORD, { forwardedFor: '203.0.113.20' });
    expect(atDesk.statusCode).toBe(429);
    expect(atDesk.json().code).toBe('account-locked');
  });

  describe.each(['127.0.0.1', '10.0.0.0/8, 127.0.0.0/8', 'loopback', '1', 'true'])('with TRUST_PROXY=%s', (trustProxy) => {
    let p: TestContext;
    beforeAll(async () => {
      p = await createTestApp({ env: { TRUST_PROXY: trustProxy } });
    });
    afterAll(() => p.close());

    it('a guesser at A failing on admin does not lock admin signing in correctly at B', async () => {
      for (let i = 0; i < 5; i++) expect((await login(p, 'admin', 'wrong password!', { forwardedFor: '198.51.100.7' })).statusCode).toBe(401);
      const guesser = await login(p, 'admin', TEST_PASSWORD, { forwardedFor: '198.51.100.7' });
      expect(guesser.statusCode).toBe(429);
      expect((await login(p, 'admin', TEST_PASSWORD, { forwardedFor: '203.0.113.20' })).statusCode).toBe(200);
      // A client that does not come through a named proxy cannot choose its address (with `true` or a hop count, any peer can).
      if (trustProxy !== 'true' && trustProxy !== '1') {
        const spoofed = await login(p, 'admin', TEST_PASSWORD, { ip: '198.51.100.7', forwardedFor: '203.0.113.20' });
        expect(spoofed.statusCode).toBe(429);
      }
    });
  });
});
