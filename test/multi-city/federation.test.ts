/**
 * Three cities, each its own app and database: fr-aville and fr-bville (FR),
 * de-cstadt (DE). B registers A and C and recognises, revokes, rotates and
 * scopes their cards exactly as A and C publish them.
 */
import { sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCardQrText } from '../../src/credential/index.js';
import { enrol, issue, REFERENCE_RESIDENT, transition } from '../helpers/cards.js';
import { createNetwork, metadataOf, register, syncPartner, verifyIn, type City } from './network.js';

let skew = 0;
const net = createNetwork({ clock: () => new Date(Date.now() + skew) });
let a: City;
let b: City;
let c: City;
let seq = 0;

beforeAll(async () => {
  [a, b, c] = await Promise.all([net.city('fr-aville', 'Aville', 'FR'), net.city('fr-bville', 'Bville', 'FR'), net.city('de-cstadt', 'Cstadt', 'DE')]);
});
afterAll(() => net.close());

const card = async (city: City) => issue(city.t, await enrol(city.t, { ...REFERENCE_RESIDENT, names: { printed: `Holder ${++seq}` } }));
const partnerIn = async (city: City, id: string) => (await city.t.app.inject({ url: `/v1/federation/partners/${id}`, headers: city.t.auth('admin') })).json();

describe('registration', () => {
  it('B recognises A’s card once A is registered by URL and confirmed fingerprint', async () => {
    const mine = await card(a);
    expect((await verifyIn(b, mine.qr)).result).toBe('unknown_issuer');
    const { fingerprint } = await metadataOf(a);
    const res = await register(b, { url: a.metadataUrl, fingerprint });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 'fr-aville', name: 'Aville', country: 'FR', recognised: true, state: 'active', source: 'manual', rootFingerprint: fingerprint, metadataUrl: a.metadataUrl, lastError: null });
    expect(res.json().keys).toHaveLength(1);
    expect(res.json().statusListFetchedAt).not.toBeNull();
    const answer = await verifyIn(b, mine.qr);
    expect(answer).toMatchObject({ result: 'valid', issuer: { id: 'fr-aville', name: 'Aville', country: 'FR' }, card: { number: mine.number } });
    expect(answer.statusListAge).toBeGreaterThanOrEqual(0);
    // The photo stays with the issuing city.
    expect(answer.card.photo).toBeUndefined();
  });

  it('registering again with the same root refreshes (200); the audit trail names the partner', async () => {
    const { jws, fingerprint } = await metadataOf(a);
    const res = await register(b, { metadata: jws, fingerprint });
    expect(res.statusCode).toBe(200);
    expect(res.json().metadataUrl).toBe(a.metadataUrl);
    const actions = (await b.t.app.inject({ url: '/v1/audit?action=partner.*', headers: b.t.auth('admin') })).json().items.map((e: { action: string; targetId: string }) => `${e.action} ${e.targetId}`);
    expect(actions).toEqual(expect.arrayContaining(['partner.register fr-aville', 'partner.update fr-aville']));
  });

  it('a city’s own metadata is not a partner', async () => {
    const { jws, fingerprint } = await metadataOf(b);
    const res = await register(b, { metadata: jws, fingerprint });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('partner-is-self');
  });
});

describe('revocation and rotation reach B through sync', () => {
  it('a card A revokes turns revoked in B after sync; unchanged lists are revalidated with ETag', async () => {
    const mine = await card(a);
    expect((await verifyIn(b, mine.qr)).result).toBe('valid');
    expect((await transition(a.t, mine.number, 'revoke', 'stolen')).statusCode).toBe(200);
    // B holds its last copy until it syncs.
    expect((await verifyIn(b, mine.qr)).result).toBe('valid');
    const synced = await syncPartner(b, 'fr-aville');
    expect(synced.json().lastError).toBeNull();
    expect((await verifyIn(b, mine.qr)).result).toBe('revoked');

    net.log.length = 0;
    await syncPartner(b, 'fr-aville');
    expect(net.log.map((l) => l.status)).toEqual([304, 304]);
    expect(net.log.every((l) => l.ifNoneMatch)).toBe(true);
  });

  it('A rotates its signing key: old and new cards both verify in B after sync', async () => {
    const old = await card(a);
    expect((await a.t.app.inject({ method: 'POST', url: '/v1/keys/rotate', headers: a.t.auth('admin') })).statusCode).toBe(201);
    const fresh = await card(a);
    // Before sync B does not know the new key: not valid (refresh, then decide).
    expect((await verifyIn(b, fresh.qr)).result).toBe('invalid_signature');
    await syncPartner(b, 'fr-aville');
    expect((await verifyIn(b, old.qr)).result).toBe('valid');
    expect((await verifyIn(b, fresh.qr)).result).toBe('valid');
    const view = await partnerIn(b, 'fr-aville');
    expect(view.keys.map((k: { status: string }) => k.status).sort()).toEqual(['active', 'retired']);
    const audit = (await b.t.app.inject({ url: '/v1/audit?action=partner.keys_update', headers: b.t.auth('admin') })).json().items;
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('A revokes a signing key: its cards are key_revoked in B, cards of other keys still valid', async () => {
    const before = await card(a); // signed by the key about to be revoked
    const kid = (await a.t.app.services.city.activeSigner()).kid;
    const older = (await partnerIn(b, 'fr-aville')).keys.find((k: { status: string }) => k.status === 'retired').kid as string;
    expect((await a.t.app.inject({ method: 'POST', url: `/v1/keys/${kid}/revoke`, headers: a.t.auth('admin') })).statusCode).toBe(200);
    await syncPartner(b, 'fr-aville');
    const answer = await verifyIn(b, before.qr);
    expect(answer.result).toBe('key_revoked');
    expect(answer.card).toBeUndefined();
    const view = await partnerIn(b, 'fr-aville');
    expect(view.revoked).toContain(kid);
    expect(view.keys.find((k: { kid: string }) => k.kid === kid).status).toBe('revoked');
    expect(view.keys.find((k: { kid: string }) => k.kid === older).status).toBe('retired');
    expect((await verifyIn(b, (await card(a)).qr)).result).toBe('valid');
  });
});

describe('scope', () => {
  it('C’s card (another country) is foreign_issuer in B once C is registered, unknown_issuer before', async () => {
    const theirs = await card(c);
    expect((await verifyIn(b, theirs.qr)).result).toBe('unknown_issuer');
    const { jws, fingerprint } = await metadataOf(c);
    const res = await register(b, { metadata: jws, fingerprint });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 'de-cstadt', country: 'DE', recognised: false, metadataUrl: null });
    const answer = await verifyIn(b, theirs.qr);
    // Genuine (signed by a key its pinned root certified) and in force in its own country: never `valid` here (issue 19).
    expect(answer).toMatchObject({ result: 'foreign_issuer', genuine: true, cardStatus: 'valid', issuer: { id: 'de-cstadt', country: 'DE' } });
    expect(answer.card.photo).toBeUndefined();
  });

  it('a card whose iss is not the issuer its key is bound to is refused', async () => {
    const signer = await c.t.app.services.city.activeSigner();
    const claims = { number: (await card(a)).number.replace(/-/g, ''), name: 'Impostor', birthDate: null, country: 'FR', issuedOn: new Date().toISOString().slice(0, 10), expiresOn: '2031-01-01', statusIndex: 7, statusUri: `${a.t.config.publicUrl}/v1/status-list` };
    const signerOf = (k: { kid: string; privateKey: KeyObject }) => ({ kid: k.kid, privateKey: k.privateKey, alg: 'EdDSA' as const, signBytes: (d: Uint8Array) => sign(null, d, k.privateKey) });
    // C's real key, A's name (its issuer URI): B binds C's keys to C.
    const asA = await issueCardQrText({ ...claims, issuer: a.t.config.publicUrl }, signerOf(signer));
    expect((await verifyIn(b, asA.valueOf())).result).toBe('invalid_signature');
    // A's real key, C's name.
    const aSigner = await a.t.app.services.city.activeSigner();
    const asC = await issueCardQrText({ ...claims, issuer: c.t.config.publicUrl }, signerOf(aSigner));
    expect((await verifyIn(b, asC)).result).toBe('invalid_signature');
  });
});

describe('an unreachable partner', () => {
  it('keeps the last good copy, reports its age and the failure', async () => {
    const mine = await card(a);
    await syncPartner(b, 'fr-aville');
    net.down('fr-aville.example');
    try {
      skew = 3_600_000;
      const res = await syncPartner(b, 'fr-aville');
      expect(res.statusCode).toBe(200);
      expect(res.json().lastError).toBe('partner-fetch-failed');
      expect(res.json().statusListAge).toBeGreaterThanOrEqual(3600);
      const answer = await verifyIn(b, mine.qr);
      expect(answer.result).toBe('valid');
      expect(answer.statusListAge).toBeGreaterThanOrEqual(3600);
      const list = (await b.t.app.inject({ url: '/v1/federation/partners', headers: b.t.auth('admin') })).json();
      expect(list.items.find((p: { id: string }) => p.id === 'fr-aville')).toMatchObject({ lastError: 'partner-fetch-failed' });
    } finally {
      net.up('fr-aville.example');
      skew = 0;
    }
    expect((await syncPartner(b, 'fr-aville')).json()).toMatchObject({ lastError: null, statusListAge: 0 });
  });
});

describe('the verifier bundle', () => {
  it('carries the partners’ keys and signed status lists', async () => {
    const res = await b.t.app.inject('/v1/verifier-bundle');
    const payload = JSON.parse(Buffer.from(res.body.split('.')[1]!, 'base64url').toString());
    const ids = payload.issuers.map((i: { id: string }) => i.id);
    expect(ids).toEqual(['fr-bville', 'de-cstadt', 'fr-aville'].sort((x, y) => (x === 'fr-bville' ? -1 : y === 'fr-bville' ? 1 : x.localeCompare(y))));
    const av = payload.issuers.find((i: { id: string }) => i.id === 'fr-aville');
    expect(av.keys.some((k: { status: string }) => k.status === 'revoked')).toBe(true);
    expect(av.statusList).toMatch(/^ey/);
    expect(payload.country).toBe('FR');
  });
});

describe('removal', () => {
  it('a deleted partner’s cards are unknown again', async () => {
    const mine = await card(a);
    expect((await verifyIn(b, mine.qr)).result).toBe('valid');
    const res = await b.t.app.inject({ method: 'DELETE', url: '/v1/federation/partners/fr-aville', headers: b.t.auth('admin') });
    expect(res.statusCode).toBe(204);
    expect((await verifyIn(b, mine.qr)).result).toBe('unknown_issuer');
    const again = await b.t.app.inject({ method: 'DELETE', url: '/v1/federation/partners/fr-aville', headers: b.t.auth('admin') });
    expect(again.json().code).toBe('partner-not-found');
  });
});
