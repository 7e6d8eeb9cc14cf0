/**
 * Sliding staff sessions (issue 15, item 6), with the clock injected: a
 * clerk who keeps working stays signed in past 20 minutes and the idle
 * limit; an idle session ends; each refresh rotates the cookie's token; a
 * replaced token used again ends the whole session (and the winner of a
 * race for one token gains nothing); sign-out, disabling the account and a
 * password reset end it; nothing in the database is the token itself.
 */
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { SESSION_COOKIE, SESSION_COOKIE_PATH } from '../../src/modules/staff/staff-session-routes.js';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../src/modules/staff/staff-session-service.js';

let t: TestContext;
let now = new Date('2027-03-01T08:00:00Z');
const MIN = 60_000;
const advance = (ms: number) => (now = new Date(now.getTime() + ms));
let seq = 0;
let ip = 0;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(() => t.close());

const from = () => `10.41.${Math.floor(++ip / 250)}.${ip % 250}`;

async function newClerk(): Promise<{ id: string; username: string }> {
  const username = `desk${++seq}`;
  const res = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username, password: TEST_PASSWORD, role: 'clerk' } });
  expect(res.statusCode).toBe(201);
  return { id: res.json().id, username };
}

function cookieOf(res: LightMyRequestResponse) {
  return res.cookies.find((c) => c.name === SESSION_COOKIE);
}

async function signIn(username: string) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/auth/session', payload: { username, password: TEST_PASSWORD }, remoteAddress: from() });
  expect(res.statusCode, res.body).toBe(200);
  return { body: res.json() as { accessToken: string; expiresIn: number; role: string; username: string; idleTimeout: number }, token: cookieOf(res)!.value, res };
}

const refresh = (token?: string) =>
  t.app.inject({ method: 'POST', url: '/v1/auth/session/refresh', headers: token === undefined ? {} : { cookie: `${SESSION_COOKIE}=${token}` }, remoteAddress: from() });
const canWork = async (accessToken: string) => (await t.app.inject({ url: '/v1/evidence-rules', headers: { authorization: `Bearer ${accessToken}` } })).statusCode;

describe('staff sessions', () => {
  it('sign-in sets the refresh token in an HttpOnly, SameSite=Strict, Secure cookie scoped to the session routes', async () => {
    const { username } = await newClerk();
    const { body, res } = await signIn(username);
    expect(body).toMatchObject({ role: 'clerk', username, idleTimeout: SESSION_IDLE_MS / 1000 });
    expect(await canWork(body.accessToken)).toBe(200);
    const c = cookieOf(res)!;
    expect(c).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: SESSION_COOKIE_PATH });
    expect(c.value).toMatch(/^lcc_rt_[A-Za-z0-9_-]{43}$/);
    expect(c.maxAge).toBe(SESSION_MAX_MS / 1000);
    // The plain API sign-in sets no cookie.
    const api = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password: TEST_PASSWORD }, remoteAddress: from() });
    expect(api.statusCode).toBe(200);
    expect(api.headers['set-cookie']).toBeUndefined();
  });

  it('keeps a working clerk signed in across 20 minutes and more, rotating the token on each refresh', async () => {
    const { username } = await newClerk();
    let { token } = await signIn(username);
    const seen = new Set([token]);
    // Activity every 4 minutes for 28 minutes: well past the 15-minute idle limit and the old 15-minute token.
    for (let minute = 4; minute <= 28; minute += 4) {
      advance(4 * MIN);
      const res = await refresh(token);
      expect(res.statusCode, `minute ${minute}: ${res.body}`).toBe(200);
      token = cookieOf(res)!.value;
      expect(seen.has(token)).toBe(false);
      seen.add(token);
      expect(await canWork(res.json().accessToken)).toBe(200);
    }
  });

  it('ends a session left idle past the limit, and clears the cookie', async () => {
    const { username } = await newClerk();
    const { token } = await signIn(username);
    advance(SESSION_IDLE_MS - 1000);
    const ok = await refresh(token);
    expect(ok.statusCode).toBe(200);
    advance(SESSION_IDLE_MS + 1000);
    const late = await refresh(cookieOf(ok)!.value);
    expect(late.statusCode).toBe(401);
    expect(late.json().code).toBe('token-invalid');
    expect(cookieOf(late)).toMatchObject({ value: '', path: SESSION_COOKIE_PATH });
  });

  it('ends even an active session after a working day', async () => {
    const { username } = await newClerk();
    let { token } = await signIn(username);
    let last = 200;
    for (let elapsed = 0; elapsed <= SESSION_MAX_MS; elapsed += 14 * MIN) {
      advance(14 * MIN);
      const res = await refresh(token);
      last = res.statusCode;
      if (last !== 200) break;
      token = cookieOf(res)!.value;
    }
    expect(last).toBe(401);
  });

  it('a replaced token used again ends the whole session (reuse detection), and is audited', async () => {
    const { id, username } = await newClerk();
    const first = (await signIn(username)).token;
    const second = cookieOf(await refresh(first))!.value;
    const reuse = await refresh(first);
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().code).toBe('token-invalid');
    // The legitimate successor is dead too: whoever copied the token gains nothing.
    expect((await refresh(second)).statusCode).toBe(401);
    const audit = (await t.app.inject({ url: '/v1/audit?action=auth.refresh_reuse', headers: t.auth('admin') })).json().items as Array<{ targetId: string; outcome: string }>;
    expect(audit.some((e) => e.targetId === id && e.outcome === 'denied')).toBe(true);
  });

  it('of many simultaneous refreshes with one token, one wins, and the reuse then ends the session', async () => {
    const { username } = await newClerk();
    const { token } = await signIn(username);
    const answers = await Promise.all(Array.from({ length: 10 }, () => refresh(token)));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([200, ...Array(9).fill(401)]);
    const winner = cookieOf(answers.find((a) => a.statusCode === 200)!)!.value;
    expect((await refresh(winner)).statusCode).toBe(401);
  });

  it('sign-out ends the session (the cookie is cleared; a second sign-out is harmless); other desks of the same account go on', async () => {
    const { username } = await newClerk();
    const desk1 = (await signIn(username)).token;
    const desk2 = (await signIn(username)).token;
    const out = await t.app.inject({ method: 'DELETE', url: '/v1/auth/session', headers: { cookie: `${SESSION_COOKIE}=${desk1}` } });
    expect(out.statusCode).toBe(204);
    expect(cookieOf(out)?.value).toBe('');
    expect((await refresh(desk1)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/auth/session', headers: { cookie: `${SESSION_COOKIE}=${desk1}` } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/auth/session' })).statusCode).toBe(204);
    expect((await refresh(desk2)).statusCode).toBe(200);
    const audit = (await t.app.inject({ url: '/v1/audit?action=auth.logout', headers: t.auth('admin') })).json().items as unknown[];
    expect(audit.length).toBeGreaterThan(0);
  });

  it.each([
    ['disabling the account', { disabled: true }],
    ['a password reset', { password: 'another long password 42' }],
    ['a change of role', { role: 'official' }],
  ])('%s ends the session at once, and re-enabling does not bring it back', async (_n, patch) => {
    const { id, username } = await newClerk();
    const { token, body } = await signIn(username);
    const res = await t.app.inject({ method: 'PATCH', url: `/v1/staff/${id}`, headers: t.auth('admin'), payload: patch });
    expect(res.statusCode, res.body).toBe(200);
    expect((await refresh(token)).statusCode).toBe(401);
    expect(await canWork(body.accessToken)).toBe(401);
    if ('disabled' in patch) {
      await t.app.inject({ method: 'PATCH', url: `/v1/staff/${id}`, headers: t.auth('admin'), payload: { disabled: false } });
      expect((await refresh(token)).statusCode).toBe(401);
    }
  });

  it.each([
    ['no cookie', undefined],
    ['an empty cookie', ''],
    ['a malformed token', 'not-a-token'],
    ['an unknown token', `lcc_rt_${'A'.repeat(43)}`],
    ['an access token', 'eyJhbGciOiJIUzI1NiJ9.e30.x'],
  ])('refuses %s with 401 token-invalid', async (_n, token) => {
    const res = await refresh(token);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('token-invalid');
  });

  it.each([
    ['a wrong password', { username: 'clerk', password: 'wrong password here' }, 401, 'invalid-credentials'],
    ['an extra field', { username: 'clerk', password: TEST_PASSWORD, remember: true }, 400, 'validation-failed'],
    ['no password', { username: 'clerk' }, 400, 'validation-failed'],
  ])('sign-in refuses %s and sets no cookie', async (_n, payload, status, code) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/session', payload, remoteAddress: from() });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    expect(cookieOf(res)).toBeUndefined();
  });

  it('keeps only hashes: no token appears anywhere in the table', async () => {
    const { username } = await newClerk();
    const { token } = await signIn(username);
    const next = cookieOf(await refresh(token))!.value;
    const dump = JSON.stringify(((await t.database.db.execute(sql`select * from staff_sessions`)) as unknown as { rows: unknown[] }).rows);
    for (const secret of [token, next, token.slice(7), next.slice(7)]) expect(dump).not.toContain(secret);
  });
});
