import { SignJWT, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../../src/security/derive.js';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const login = (username: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password }, remoteAddress: ip });

async function auditActions(): Promise<string[]> {
  const res = await t.app.inject({ url: '/v1/audit?limit=500', headers: t.auth('admin') });
  return res.json().items.map((e: { action: string }) => e.action);
}

describe('login', () => {
  it('gives a short-lived token carrying role and account id', async () => {
    const res = await login('clerk', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.expiresIn).toBe(900);
    expect(body.role).toBe('clerk');
    const claims = JSON.parse(Buffer.from(body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: t.ids.clerk, role: 'clerk' });
    expect(claims.exp - claims.iat).toBe(900);
    expect(JSON.parse(Buffer.from(body.accessToken.split('.')[0], 'base64url').toString()).alg).toBe('HS256');
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await login('official', 'not the password', '10.0.0.2');
    const unknown = await login('nobody-here', 'not the password', '10.0.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().code).toBe('invalid-credentials');
    expect(await auditActions()).toContain('auth.login_failed');
  });

  it('locks an account at an address after 5 failures there, even against the right password, and says when to retry', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'lockme', password: TEST_PASSWORD, role: 'clerk' } });
    for (let i = 0; i < 5; i++) expect((await login('lockme', 'wrong password!', '10.1.0.1')).statusCode).toBe(401);
    const locked = await login('lockme', TEST_PASSWORD, '10.1.0.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('account-locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The same account from another address (the clerk at the desk) is not locked out by a guesser elsewhere.
    expect((await login('lockme', TEST_PASSWORD, '10.1.1.1')).statusCode).toBe(200);
    expect(await auditActions()).toContain('auth.login_locked');
  });

  it('locks an address after 20 failures across usernames', async () => {
    for (let i = 0; i < 20; i++) await login(`someone${i}`, 'wrong password!', '10.9.9.9');
    const res = await login('clerk', TEST_PASSWORD, '10.9.9.9');
    expect(res.json().code).toBe('account-locked');
    expect((await login('clerk', TEST_PASSWORD, '10.9.9.10')).statusCode).toBe(200);
  });
});

describe('tokens that must not work', () => {
  const secret = () => deriveKey(t.config.masterKey, 'staff-jwt');
  const now = () => Math.floor(Date.now() / 1000);
  const call = (token: string) => t.app.inject({ url: '/v1/staff', headers: { authorization: `Bearer ${token}` } });

  const cases: Array<{ name: string; token: () => Promise<string>; code: string }> = [
    { name: 'expired', token: () => new SignJWT({ role: 'admin', ver: 0 }).setProtectedHeader({ alg: 'HS256' }).setSubject(t.ids.admin).setIssuedAt(now() - 3600).setExpirationTime(now() - 60).sign(secret()), code: 'token-invalid' },
    { name: 'signed with another key', token: () => new SignJWT({ role: 'admin', ver: 0 }).setProtectedHeader({ alg: 'HS256' }).setSubject(t.ids.admin).setExpirationTime('5m').sign(Buffer.alloc(32, 7)), code: 'token-invalid' },
    { name: 'another algorithm (HS512, same key)', token: () => new SignJWT({ role: 'admin', ver: 0 }).setProtectedHeader({ alg: 'HS512' }).setSubject(t.ids.admin).setExpirationTime('5m').sign(secret()), code: 'token-invalid' },
    {
      name: 'alg none',
      token: async () => `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify({ sub: t.ids.admin, role: 'admin', ver: 0, exp: now() + 300 }))}.`,
      code: 'token-invalid',
    },
    { name: 'garbage', token: async () => 'not-a-token', code: 'token-invalid' },
    { name: 'unknown service key', token: async () => `lcc_sk_000000000000_${'A'.repeat(43)}`, code: 'service-key-invalid' },
  ];

  it.each(cases)('$name → 401 $code', async ({ token, code }) => {
    const res = await call(await token());
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe(code);
  });

  it('no token → 401 unauthenticated with a WWW-Authenticate challenge', async () => {
    const res = await t.app.inject({ url: '/v1/staff' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('a role without the right → 403, and the refusal is audited', async () => {
    const res = await t.app.inject({ url: '/v1/staff', headers: t.auth('clerk') });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    expect(await auditActions()).toContain('access.denied');
  });
});

describe('staff administration', () => {
  it('creates, lists and refuses a duplicate username', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'Clinic.Desk', password: TEST_PASSWORD, role: 'partner_service', profile: 'name_photo_birthdate' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'clinic.desk', role: 'partner_service', profile: 'name_photo_birthdate', disabled: false });
    expect(res.json()).not.toHaveProperty('passwordHash');
    const dup = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'clinic.desk', password: TEST_PASSWORD, role: 'clerk' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('username-taken');
    const list = (await t.app.inject({ url: '/v1/staff', headers: t.auth('admin') })).json().items;
    expect(list.map((s: { username: string }) => s.username)).toContain('clinic.desk');
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  it.each([
    [{ username: 'ab', password: TEST_PASSWORD, role: 'clerk' }, '/body/username'],
    [{ username: 'valid.name', password: 'short', role: 'clerk' }, '/body/password'],
    [{ username: 'valid.name', password: TEST_PASSWORD, role: 'superuser' }, '/body/role'],
    [{ username: 'valid name', password: TEST_PASSWORD, role: 'clerk' }, '/body/username'],
    [{ username: 'valid.name', password: TEST_PASSWORD, role: 'clerk', isAdmin: true }, '/body/isAdmin'],
  ])('refuses %j naming %s', async (payload, path) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("a disabled account's live token stops working at once, and it cannot sign in", async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'leaver', password: TEST_PASSWORD, role: 'admin' } })).json();
    const token = (await login('leaver', TEST_PASSWORD, '10.2.0.1')).json().accessToken;
    expect((await t.app.inject({ url: '/v1/staff', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    const patch = await t.app.inject({ method: 'PATCH', url: `/v1/staff/${created.id}`, headers: t.auth('admin'), payload: { disabled: true } });
    expect(patch.json().disabled).toBe(true);
    const after = await t.app.inject({ url: '/v1/staff', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('token-invalid');
    const relogin = await login('leaver', TEST_PASSWORD, '10.2.0.1');
    expect(relogin.statusCode).toBe(401);
    expect(relogin.json().code).toBe('account-disabled');
  });

  it('a role change ends old sessions; a password reset takes effect', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'mover', password: TEST_PASSWORD, role: 'admin' } })).json();
    const token = (await login('mover', TEST_PASSWORD, '10.3.0.1')).json().accessToken;
    await t.app.inject({ method: 'PATCH', url: `/v1/staff/${created.id}`, headers: t.auth('admin'), payload: { role: 'clerk', password: 'a brand new passphrase' } });
    expect((await t.app.inject({ url: '/v1/staff', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await login('mover', TEST_PASSWORD, '10.3.0.1')).statusCode).toBe(401);
    const fresh = await login('mover', 'a brand new passphrase', '10.3.0.1');
    expect(fresh.json().role).toBe('clerk');
  });

  it('an admin cannot lock themselves out; unknown staff is 404', async () => {
    const self = await t.app.inject({ method: 'PATCH', url: `/v1/staff/${t.ids.admin}`, headers: t.auth('admin'), payload: { disabled: true } });
    expect(self.statusCode).toBe(409);
    const missing = await t.app.inject({ method: 'PATCH', url: '/v1/staff/6b0f3f3e-8f43-4c8e-9a52-3c2b1d0e9f11', headers: t.auth('admin'), payload: { disabled: true } });
    expect(missing.json().code).toBe('staff-not-found');
  });
});

describe('service keys', () => {
  it('shows the secret once, stores it hashed, authenticates until revoked', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'Library desk 1', profile: 'name_and_photo' } });
    expect(res.statusCode).toBe(201);
    const { id, secret, prefix } = res.json();
    expect(secret).toMatch(/^lcc_sk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(secret).toContain(prefix);
    const list = await t.app.inject({ url: '/v1/service-keys', headers: t.auth('admin') });
    expect(list.body).not.toContain(secret);
    expect(list.json().items.find((k: { id: string }) => k.id === id)).toMatchObject({ name: 'Library desk 1', revoked: false });

    // A service key is a principal: it authenticates, and is refused where it has no right.
    const denied = await t.app.inject({ url: '/v1/staff', headers: { authorization: `Bearer ${secret}` } });
    expect(denied.statusCode).toBe(403);

    const del = await t.app.inject({ method: 'DELETE', url: `/v1/service-keys/${id}`, headers: t.auth('admin') });
    expect(del.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/v1/staff', headers: { authorization: `Bearer ${secret}` } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('service-key-invalid');
    // A tampered secret with a real prefix fails too.
    const tampered = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect((await t.app.inject({ url: '/v1/staff', headers: { authorization: `Bearer ${tampered}` } })).statusCode).toBe(401);
  });
});
