/**
 * Changing one's own password (POST /v1/auth/password, issue 15 item 8) and
 * one-time passwords: the current password is a guess like a sign-in's (same
 * lock, same audit), bad input answers problem+json with a stable code, a
 * change ends the account's other sessions, and a one-time password (first
 * start, or an administrator's reset marked so) is flagged at sign-in until
 * its holder chooses their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createTestApp, testConfig, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';

const NEXT = 'a longer passphrase of mine';

let t: TestContext;
let seq = 0;
let ip = 0;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const from = () => `10.52.${Math.floor(++ip / 250)}.${ip % 250}`;
const login = (username: string, password: string, remoteAddress = from()) =>
  t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password }, remoteAddress });
const change = (token: string, payload: unknown, remoteAddress = from()) =>
  t.app.inject({ method: 'POST', url: '/v1/auth/password', headers: { authorization: `Bearer ${token}` }, payload: payload as object, remoteAddress });

async function newAccount(role = 'clerk', extra: Record<string, unknown> = {}): Promise<{ id: string; username: string; token: string }> {
  const username = `pw${++seq}`;
  const res = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username, password: TEST_PASSWORD, role, ...extra } });
  expect(res.statusCode).toBe(201);
  const signed = await login(username, TEST_PASSWORD);
  expect(signed.statusCode).toBe(200);
  return { id: res.json().id, username, token: signed.json().accessToken };
}

async function auditOf(id: string): Promise<Array<{ action: string; outcome: string }>> {
  const res = await t.app.inject({ url: '/v1/audit?limit=500', headers: t.auth('admin') });
  return res.json().items.filter((e: { target?: { id?: string }; targetId?: string }) => (e.targetId ?? e.target?.id) === id);
}

describe('POST /v1/auth/password', () => {
  it('replaces the password: the old one and the old token stop working, the new token works, and it is audited', async () => {
    const me = await newAccount();
    const res = await change(me.token, { current: TEST_PASSWORD, next: NEXT });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'clerk', passwordChangeRequired: false, expiresIn: 900 });
    const old = await t.app.inject({ url: '/v1/evidence-rules', headers: { authorization: `Bearer ${me.token}` } });
    expect(old.json().code).toBe('token-invalid');
    const fresh = await t.app.inject({ url: '/v1/evidence-rules', headers: { authorization: `Bearer ${res.json().accessToken}` } });
    expect(fresh.statusCode).toBe(200);
    expect((await login(me.username, TEST_PASSWORD)).json().code).toBe('invalid-credentials');
    expect((await login(me.username, NEXT)).statusCode).toBe(200);
    expect((await auditOf(me.id)).map((e) => e.action)).toContain('auth.password_change');
  });

  it('works for every staff role, not for a service key', async () => {
    for (const role of ['admin', 'official', 'partner_service', 'organiser', 'door']) {
      const me = await newAccount(role);
      expect((await change(me.token, { current: TEST_PASSWORD, next: NEXT })).statusCode, role).toBe(200);
    }
    const key = (await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'Library', profile: 'name_and_photo' } })).json().secret;
    const res = await change(key, { current: TEST_PASSWORD, next: NEXT });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    const none = await t.app.inject({ method: 'POST', url: '/v1/auth/password', payload: { current: TEST_PASSWORD, next: NEXT } });
    expect(none.json().code).toBe('unauthenticated');
  });

  const bad: Array<{ name: string; body: unknown; status: number; code: string; path?: string }> = [
    { name: 'an empty body', body: {}, status: 400, code: 'validation-failed' },
    { name: 'no new password', body: { current: TEST_PASSWORD }, status: 400, code: 'validation-failed' },
    { name: 'an empty current password', body: { current: '', next: NEXT }, status: 400, code: 'validation-failed', path: '/body/current' },
    { name: 'a new password of 11 characters', body: { current: TEST_PASSWORD, next: 'elevenchars' }, status: 400, code: 'validation-failed', path: '/body/next' },
    { name: 'a new password of 257 characters', body: { current: TEST_PASSWORD, next: 'x'.repeat(257) }, status: 400, code: 'validation-failed', path: '/body/next' },
    { name: 'an object for a password', body: { current: TEST_PASSWORD, next: { value: NEXT } }, status: 400, code: 'validation-failed', path: '/body/next' },
    { name: 'an unknown field', body: { current: TEST_PASSWORD, next: NEXT, username: 'admin' }, status: 400, code: 'validation-failed' },
    { name: 'the same password again', body: { current: TEST_PASSWORD, next: TEST_PASSWORD }, status: 422, code: 'password-unchanged', path: '/body/next' },
    { name: 'a wrong current password', body: { current: 'not my password at all', next: NEXT }, status: 403, code: 'current-password-wrong' },
  ];
  it.each(bad)('$name → $status $code (problem+json), and the password is unchanged', async ({ body, status, code, path }) => {
    const me = await newAccount();
    const res = await change(me.token, body);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code, type: `urn:lcc:problem:${code}` });
    if (path) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    expect((await login(me.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('a wrong current password counts like a failed sign-in: 5 at one address lock both routes there, not elsewhere', async () => {
    const me = await newAccount();
    const here = '10.53.0.1';
    for (let i = 0; i < 5; i++) expect((await change(me.token, { current: 'guess number ' + i, next: NEXT }, here)).json().code).toBe('current-password-wrong');
    const locked = await change(me.token, { current: TEST_PASSWORD, next: NEXT }, here);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('account-locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(me.username, TEST_PASSWORD, here)).json().code).toBe('account-locked');
    // The clerk at another desk is not locked out by guesses made elsewhere.
    expect((await change(me.token, { current: TEST_PASSWORD, next: NEXT }, '10.53.0.2')).statusCode).toBe(200);
    const actions = (await auditOf(me.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.password_change_failed')).toHaveLength(5);
    expect(actions).toContain('auth.password_change_locked');
  });

  it('12 wrong current passwords at once: 5 are checked (403), the other 7 refused unchecked (429), and the account stays locked there', async () => {
    const me = await newAccount();
    const here = '10.53.1.1';
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => change(me.token, { current: `simultaneous guess ${i}`, next: NEXT }, here)));
    const codes = answers.map((a) => a.json().code as string);
    expect(codes.filter((c) => c === 'current-password-wrong')).toHaveLength(5);
    expect(codes.filter((c) => c === 'account-locked')).toHaveLength(7);
    expect((await change(me.token, { current: TEST_PASSWORD, next: NEXT }, here)).json().code).toBe('account-locked');
    expect((await login(me.username, NEXT, '10.53.1.2')).statusCode).toBe(401);
  });
});

describe('one-time passwords', () => {
  it('an administrator’s reset marked one-time is flagged at sign-in and in the staff list until the holder changes it', async () => {
    const me = await newAccount();
    const reset = await t.app.inject({ method: 'PATCH', url: `/v1/staff/${me.id}`, headers: t.auth('admin'), payload: { password: 'given at the desk 42', mustChangePassword: true } });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().passwordChangeRequired).toBe(true);
    expect((await t.app.inject({ url: '/v1/evidence-rules', headers: { authorization: `Bearer ${me.token}` } })).json().code).toBe('token-invalid');
    const signed = await login(me.username, 'given at the desk 42');
    expect(signed.json()).toMatchObject({ role: 'clerk', passwordChangeRequired: true });
    const changed = await change(signed.json().accessToken, { current: 'given at the desk 42', next: NEXT });
    expect(changed.json().passwordChangeRequired).toBe(false);
    expect((await login(me.username, NEXT)).json().passwordChangeRequired).toBe(false);
    const list = (await t.app.inject({ url: '/v1/staff', headers: t.auth('admin') })).json().items;
    expect(list.find((s: { id: string }) => s.id === me.id).passwordChangeRequired).toBe(false);
    expect((await auditOf(me.id)).map((e) => e.action)).toEqual(expect.arrayContaining(['staff.reset_password', 'auth.password_change']));
  });

  it('an account created with mustChangePassword signs in flagged; without it, not', async () => {
    expect((await login((await newAccount('clerk', { mustChangePassword: true })).username, TEST_PASSWORD)).json().passwordChangeRequired).toBe(true);
    expect((await login((await newAccount('clerk')).username, TEST_PASSWORD)).json().passwordChangeRequired).toBe(false);
  });

  it('the first admin with a generated password must change it; one from ADMIN_PASSWORD need not', async () => {
    const database = await createTestDatabase();
    const config = testConfig();
    const app = await buildApp({ config, database, logger: false });
    try {
      const first = await app.services.city.bootstrap({ id: config.cityId, name: config.cityName, country: config.country, staff: app.services.staff });
      await app.ready();
      expect(first.generatedAdminPassword).toBeTruthy();
      const signed = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: first.generatedAdminPassword } });
      expect(signed.json()).toMatchObject({ role: 'admin', passwordChangeRequired: true });
      const changed = await app.inject({ method: 'POST', url: '/v1/auth/password', headers: { authorization: `Bearer ${signed.json().accessToken}` }, payload: { current: first.generatedAdminPassword, next: NEXT } });
      expect(changed.json().passwordChangeRequired).toBe(false);
    } finally {
      await app.close();
      await database.destroy();
    }
    // The suite's own app was bootstrapped with ADMIN_PASSWORD.
    expect((await login('admin', TEST_PASSWORD)).json().passwordChangeRequired).toBe(false);
  });
});
