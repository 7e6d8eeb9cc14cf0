/**
 * Documents dated in the future (issue 13, finding 11): the newest imported
 * trust list's `iat` is the floor for the next one, and a partner's newest
 * metadata `iat` for its next metadata — so a document dated years ahead,
 * once accepted, would make every real one read as stale. Both are refused
 * beyond five minutes of clock skew; within it they are accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTrustList, TRUST_LIST_SKEW_SECONDS, type TrustListEntry } from '../../src/modules/federation/trust-list.js';
import { certificate, metadata } from './forge.js';
import { createNetwork, newKey, register, type City } from './network.js';

const net = createNetwork();
let b: City;
let coordinator: Awaited<ReturnType<typeof newKey>>;
const now = () => Math.floor(Date.now() / 1000);
const YEAR = 365 * 86_400;

beforeAll(async () => {
  coordinator = await newKey();
  b = await net.city('fr-bville', 'Bville', 'FR', { TRUST_ANCHOR_JWK: JSON.stringify(coordinator.jwk) });
}, 60_000);
afterAll(async () => {
  await net.close();
});

const entry = (i: number): TrustListEntry => ({ id: `fr-f${i}`, name: `Commune ${i}`, country: 'FR', rootFingerprint: 'x'.repeat(42) + String(i), metadataUrl: `https://fr-f${i}.example/.well-known/lcc-issuer` });
const list = (iat: number) => signTrustList({ country: 'FR', iat, exp: iat + 30 * 86_400, issuers: [entry(1)] }, coordinator.privateJwk);
const importList = async (jws: string) => b.t.app.inject({ method: 'POST', url: '/v1/federation/trust-list', headers: b.t.auth('admin'), payload: { trustList: jws } });

describe('a trust list dated in the future', () => {
  it('ten years ahead → 422 trust-list-not-yet-valid, and the real list of today still imports after it', async () => {
    const future = await importList(await list(now() + 10 * YEAR));
    expect(future.statusCode).toBe(422);
    expect(future.json().code).toBe('trust-list-not-yet-valid');
    const today = await importList(await list(now()));
    expect(today.statusCode, today.body).toBe(200);
  });

  it('just beyond the skew is refused; within it, accepted', async () => {
    expect((await importList(await list(now() + TRUST_LIST_SKEW_SECONDS + 60))).json().code).toBe('trust-list-not-yet-valid');
    expect((await importList(await list(now() + 60))).statusCode).toBe(200);
  });
});

describe('partner metadata dated in the future', () => {
  it('years ahead → refused at registration, and the partner registers with its real metadata', async () => {
    const root = await newKey();
    const signing = await newKey();
    const cert = await certificate({ by: root, iss: 'fr-ahead', key: signing });
    const ahead = await register(b, { metadata: await metadata({ root, iss: 'fr-ahead', keys: [{ key: signing, cert }], iat: now() + 10 * YEAR, exp: now() + 11 * YEAR }), fingerprint: root.kid });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json().code).toBe('partner-metadata-malformed');
    const real = await register(b, { metadata: await metadata({ root, iss: 'fr-ahead', keys: [{ key: signing, cert }] }), fingerprint: root.kid });
    expect(real.statusCode, real.body).toBe(201);
  });
});
