import { compactVerify, calculateJwkThumbprint, importJWK, decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function metadata() {
  const res = await t.app.inject('/.well-known/lcc-issuer');
  expect(res.headers['content-type']).toContain('application/jose');
  const jws = res.body;
  const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString());
  // Signed by the root key it names.
  const { payload: verified } = await compactVerify(jws, await importJWK(payload.root as JWK, 'EdDSA'));
  expect(JSON.parse(new TextDecoder().decode(verified))).toEqual(payload);
  expect(decodeProtectedHeader(jws)).toMatchObject({ alg: 'EdDSA', typ: 'lcc-issuer+jwt', kid: await calculateJwkThumbprint(payload.root) });
  return payload;
}

const jwks = async () => (await t.app.inject('/.well-known/jwks.json')).json().keys as Array<{ kid: string }>;

describe('key discovery', () => {
  it('publishes the signing key as a JWK Set with open CORS', async () => {
    const res = await t.app.inject('/.well-known/jwks.json');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const keys = res.json().keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
    expect(keys[0].kid).toBe(await calculateJwkThumbprint(keys[0]));
  });

  it('publishes issuer metadata signed by the root, with certified signing keys', async () => {
    const m = await metadata();
    expect(m).toMatchObject({ iss: 'fr-testville', name: 'Testville', country: 'FR', revoked: [] });
    expect(m.status_list_url).toMatch(/\/v1\/status-list$/);
    expect(m.keys).toHaveLength(1);
    const cert = m.keys[0].cert as string;
    const { payload } = await compactVerify(cert, await importJWK(m.root, 'EdDSA'));
    const claims = JSON.parse(new TextDecoder().decode(payload));
    expect(claims).toMatchObject({ iss: 'fr-testville', sub: m.keys[0].kid });
    expect(await calculateJwkThumbprint(claims.jwk)).toBe(m.keys[0].kid);
    expect(claims.exp).toBeGreaterThan(claims.nbf);
  });
});

describe('rotation and revocation', () => {
  it('rotates: the old key retires and still verifies, the new one signs', async () => {
    const [before] = await jwks();
    const res = await t.app.inject({ method: 'POST', url: '/v1/keys/rotate', headers: t.auth('admin') });
    expect(res.statusCode).toBe(201);
    const fresh = res.json();
    expect(fresh).toMatchObject({ kind: 'signing', status: 'active' });
    expect((await jwks()).map((k) => k.kid).sort()).toEqual([before!.kid, fresh.kid].sort());
    const m = await metadata();
    expect(m.keys.find((k: { kid: string }) => k.kid === before!.kid).status).toBe('retired');
    const signer = await t.app.services.city.activeSigner();
    expect(signer.kid).toBe(fresh.kid);
  });

  it('revokes a compromised active key: it leaves the JWKS, is listed revoked, and a new key takes over', async () => {
    const active = (await t.app.services.city.activeSigner()).kid;
    const res = await t.app.inject({ method: 'POST', url: `/v1/keys/${active}/revoke`, headers: t.auth('admin') });
    expect(res.json()).toMatchObject({ kid: active, status: 'revoked' });
    expect((await jwks()).map((k) => k.kid)).not.toContain(active);
    const m = await metadata();
    expect(m.revoked).toContain(active);
    const next = await t.app.services.city.activeSigner();
    expect(next.kid).not.toBe(active);
    const list = (await t.app.inject({ url: '/v1/keys', headers: t.auth('admin') })).json().items;
    expect(list.filter((k: { status: string; kind: string }) => k.kind === 'signing' && k.status === 'active')).toHaveLength(1);
    const actions = (await t.app.inject({ url: '/v1/audit?action=key.*', headers: t.auth('admin') })).json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['key.revoke', 'key.rotate', 'key.retire']));
  });

  it.each([
    ['an unknown kid', 'A'.repeat(43), 404, 'key-not-found'],
    ['a malformed kid', 'not-a-kid', 400, 'validation-failed'],
  ])('refuses %s', async (_n, kid, status, code) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/keys/${kid}/revoke`, headers: t.auth('admin') });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });

  it('refuses to revoke twice, and never revokes the root through this route', async () => {
    const revoked = (await t.app.inject({ url: '/v1/keys', headers: t.auth('admin') })).json().items.find((k: { status: string }) => k.status === 'revoked');
    const again = await t.app.inject({ method: 'POST', url: `/v1/keys/${revoked.kid}/revoke`, headers: t.auth('admin') });
    expect(again.json().code).toBe('key-already-revoked');
    const root = (await metadata()).root;
    const res = await t.app.inject({ method: 'POST', url: `/v1/keys/${await calculateJwkThumbprint(root)}/revoke`, headers: t.auth('admin') });
    expect(res.json().code).toBe('key-not-found');
  });
});
