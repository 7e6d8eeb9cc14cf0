import { sign } from 'node:crypto';
import { compactVerify, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, issueCardQrText, signResidentProof } from '../../src/credential/index.js';
import { loggerOptions } from '../../src/logger.js';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, transition } from '../helpers/cards.js';
import { captureLines, dumpDatabase } from '../helpers/dump.js';

const START = new Date('2026-03-02T10:00:00Z');
let now = START;
let t: TestContext;
const { lines, stream } = captureLines();
const keys: Record<string, string> = {};
let seq = 0;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now, logger: { ...(loggerOptions('trace') as object), stream } });
  for (const profile of ['name_and_photo', 'name_photo_birthdate', 'residency_only']) {
    keys[profile] = (await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: profile, profile } })).json().secret;
  }
});
afterAll(() => t.close());

const as = (who: 'official' | 'partner_service' | 'clerk' | string) =>
  who === 'official' || who === 'partner_service' || who === 'clerk' ? t.auth(who) : { authorization: `Bearer ${keys[who]}` };

async function verify(qr: string, who = 'official') {
  const res = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: as(who), payload: { qr } });
  return res;
}

async function cardWithPhoto() {
  const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Verified Holder ${++seq}` } });
  const png = await (await import('sharp')).default({ create: { width: 300, height: 375, channels: 3, background: { r: 200, g: 90, b: 40 } } }).png().toBuffer();
  await t.app.inject({ method: 'PUT', url: `/v1/residents/${id}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/png' }, payload: png });
  return issue(t, id);
}

describe('each result from a real card', () => {
  it('valid: an official sees the full card and the photo', async () => {
    const card = await cardWithPhoto();
    const res = await verify(card.qr);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({ result: 'valid', kind: 'card', profile: 'full', issuer: { id: 'fr-testville', name: 'Testville', country: 'FR' } });
    expect(Object.keys(body.card).sort()).toEqual(['birthDate', 'expiresOn', 'issuedOn', 'name', 'number', 'photo']);
    expect(body.card.number).toBe(card.number);
    expect(body.card.photo).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(body.statusListAge).toBeGreaterThanOrEqual(0);
    expect(Date.parse(body.checkedAt)).toBe(now.getTime());
  });

  it('expired and not_yet_valid follow the clock, at day granularity', async () => {
    const card = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Clock ${++seq}` } }));
    now = new Date(`${card.expiresAt}T20:00:00Z`);
    expect((await verify(card.qr)).json().result).toBe('valid');
    now = new Date(Date.parse(`${card.expiresAt}T00:00:00Z`) + 3 * 86_400_000);
    expect((await verify(card.qr)).json().result).toBe('expired');
    now = new Date(Date.parse(START.toISOString()) - 3 * 86_400_000);
    expect((await verify(card.qr)).json().result).toBe('not_yet_valid');
    now = START;
  });

  it('suspended, then valid again, then revoked', async () => {
    const card = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Status ${++seq}` } }));
    await transition(t, card.number, 'suspend');
    await new Promise((r) => setTimeout(r, 2100)); // the trust store refreshes every 2 s
    expect((await verify(card.qr)).json().result).toBe('suspended');
    await transition(t, card.number, 'reinstate');
    await new Promise((r) => setTimeout(r, 2100));
    expect((await verify(card.qr)).json().result).toBe('valid');
    await transition(t, card.number, 'revoke', 'stolen');
    await new Promise((r) => setTimeout(r, 2100));
    expect((await verify(card.qr)).json().result).toBe('revoked');
  });

  it('invalid_signature for any tampered byte, malformed for rubbish', async () => {
    const card = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Tamper ${++seq}` } }));
    const at = card.qr.length - 40;
    const tampered = `${card.qr.slice(0, at)}${card.qr[at] === 'A' ? 'B' : 'A'}${card.qr.slice(at + 1)}`;
    expect(['invalid_signature', 'malformed']).toContain((await verify(tampered)).json().result);
    expect((await verify('LCC1:12')).json().result).toBe('malformed');
    expect((await verify('hello')).json().result).toBe('malformed');
  });

  it('unknown_issuer for a card from a city nobody registered', async () => {
    const key = await generateSigningKey();
    const qr = await issueCardQrText(
      { issuer: 'https://id.nowhere.example', number: (await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Other ${++seq}` } }))).number.replace(/-/g, ''), name: 'Someone', birthDate: null, country: 'FR', issuedOn: '2026-01-01', expiresOn: '2030-01-01', statusIndex: 5, statusUri: 'https://id.nowhere.example/v1/status-list' },
      key,
    );
    const body = (await verify(qr)).json();
    expect(body.result).toBe('unknown_issuer');
    expect(body.card).toBeUndefined();
  });

  it('key_revoked once the signing key is revoked, while new cards verify', async () => {
    const old = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Key ${++seq}` } }));
    const kid = (await t.app.services.city.activeSigner()).kid;
    expect((await t.app.inject({ method: 'POST', url: `/v1/keys/${kid}/revoke`, headers: t.auth('admin') })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await verify(old.qr)).json().result).toBe('key_revoked');
    await new Promise((r) => setTimeout(r, 100));
    const fresh = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Key ${++seq}` } }));
    expect((await verify(fresh.qr)).json().result).toBe('valid');
  });
});

describe('disclosure profiles (fields fixed by each profile schema)', () => {
  it.each([
    ['partner_service', 'name_and_photo', ['expiresOn', 'name', 'photo']],
    ['name_and_photo', 'name_and_photo', ['expiresOn', 'name', 'photo']],
    ['name_photo_birthdate', 'name_photo_birthdate', ['birthDate', 'expiresOn', 'name', 'photo']],
  ])('%s sees exactly %s', async (who, profile, fields) => {
    const card = await cardWithPhoto();
    const body = (await verify(card.qr, who)).json();
    expect(body).toMatchObject({ result: 'valid', profile });
    expect(Object.keys(body.card).sort()).toEqual(fields);
    expect(JSON.stringify(body)).not.toContain(card.number);
  });

  it('residency_only sees the result and the issuer alone', async () => {
    const card = await cardWithPhoto();
    const body = (await verify(card.qr, 'residency_only')).json();
    expect(Object.keys(body).sort()).toEqual(['checkedAt', 'issuer', 'kind', 'profile', 'result', 'statusListAge']);
    expect(body.result).toBe('valid');
  });

  it('a clerk or an anonymous caller cannot verify through the API', async () => {
    const card = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Nope ${++seq}` } }));
    expect((await verify(card.qr, 'clerk')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/v1/verify', payload: { qr: card.qr } })).statusCode).toBe(401);
  });

  it('refuses a text longer than a QR code holds as bad input, without a 5xx', async () => {
    // 50 kB: over the 4,296 characters of a version-40 QR code, under the body limit (a larger body is 413).
    const res = await verify('A'.repeat(50_000));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation-failed');
  });
});

describe('the valid-resident proof', () => {
  it('proves only "valid holder of city X until D": no name, no birth date, no number', async () => {
    const signer = await t.app.services.city.activeSigner();
    const qr = await signResidentProof(
      { issuer: t.config.publicUrl, issuedAt: now, validUntil: new Date(now.getTime() + 10 * 60_000), random: (n) => crypto.getRandomValues(new Uint8Array(n)) },
      { kid: signer.kid, privateKey: signer.privateKey, alg: 'EdDSA', signBytes: (data) => sign(null, data, signer.privateKey) },
    );
    const body = (await verify(qr)).json();
    expect(body).toMatchObject({ result: 'valid', kind: 'resident_proof', issuer: { id: 'fr-testville' } });
    expect(body.card).toBeUndefined();
    expect(Date.parse(body.validUntil)).toBe(Math.floor(now.getTime() / 1000) * 1000 + 600_000);
  });
});

describe('the verifier bundle', () => {
  it('is a JWS signed by the root key, with our keys and signed status list, and revalidates with ETag', async () => {
    const res = await t.app.inject('/v1/verifier-bundle');
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const meta = JSON.parse(Buffer.from((await t.app.inject('/.well-known/lcc-issuer')).body.split('.')[1]!, 'base64url').toString());
    const { payload } = await compactVerify(res.body, await importJWK(meta.root as JWK, 'EdDSA'));
    const bundle = JSON.parse(new TextDecoder().decode(payload));
    expect(bundle).toMatchObject({ iss: 'fr-testville', country: 'FR' });
    expect(Date.parse(bundle.graceUntil)).toBeGreaterThan(Date.parse(bundle.nextUpdate));
    const own = bundle.issuers.find((i: { id: string }) => i.id === 'fr-testville');
    expect(own.keys.some((k: { status: string }) => k.status === 'revoked')).toBe(true);
    expect(own.statusList.split('.')).toHaveLength(3);
    const again = await t.app.inject({ url: '/v1/verifier-bundle', headers: { 'if-none-match': res.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    // Every copy revalidates: no cache may answer for the city for minutes after a revocation.
    expect(res.headers['cache-control']).toBe('public, no-cache');
    expect(again.headers['cache-control']).toBe('public, no-cache');
  });
});

describe('no check can be traced to a holder', () => {
  it('after 100 verifications, no table and no log line holds a card number; counts are kept per week, issuer and valid / not valid', async () => {
    const cards = await Promise.all(Array.from({ length: 5 }, async () => issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Traceless ${++seq}` } }))));
    lines.length = 0;
    for (let i = 0; i < 100; i++) {
      const res = await verify(cards[i % 5]!.qr, i % 2 ? 'official' : 'name_and_photo');
      expect(res.json().result).toBe('valid');
    }
    await t.app.services.verificationCounter.flush();
    const dump = await dumpDatabase(t.database);
    const logs = lines.join('\n');
    expect(lines.length).toBeGreaterThan(100);
    for (const card of cards) {
      for (const form of [card.number, card.number.replace(/-/g, ''), card.qr.slice(5, 60)]) {
        expect(dump.includes(form), `database holds ${form}`).toBe(false);
        expect(logs.includes(form), `log holds ${form}`).toBe(false);
      }
    }
    const stats = (await t.app.services.database.db.execute((await import('drizzle-orm')).sql`select week_start::text as week, issuer, count from verification_weekly_counts where outcome = 'valid'`)) as unknown as { rows: Array<{ week: string; issuer: string; count: number }> };
    expect(stats.rows.find((r) => r.issuer === 'fr-testville' && r.week === '2026-03-02')!.count).toBeGreaterThanOrEqual(100);
    void TEST_PASSWORD;
  });
});
