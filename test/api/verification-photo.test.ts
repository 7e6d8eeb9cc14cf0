/**
 * The photo a verifier sees (issue 20, item 4): read in one statement (card →
 * holder → photo and key), it is always the holder's own, also with many
 * checks of different cards in flight at once; a resident proof still reads
 * as one; an erased holder's card shows no photo.
 */
import { sign } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signResidentProof } from '../../src/credential/index.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, type Issued } from '../helpers/cards.js';

let t: TestContext;
let key = '';
const holders: Array<{ id: string; card: Issued; jpeg: Buffer }> = [];

beforeAll(async () => {
  t = await createTestApp();
  key = (await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'door', profile: 'name_and_photo' } })).json().secret;
  for (let i = 0; i < 5; i++) {
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Photo Holder ${i}` } });
    // A different photo each (noise, so that the JPEGs differ in more than a colour).
    const raw = Buffer.alloc(300 * 375 * 3, i * 40);
    for (let p = i; p < raw.length; p += 7 + i) raw[p] = (p * (i + 3)) & 0xff;
    const png = await sharp(raw, { raw: { width: 300, height: 375, channels: 3 } }).png().toBuffer();
    const put = await t.app.inject({ method: 'PUT', url: `/v1/residents/${id}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/png' }, payload: png });
    expect(put.statusCode, put.body).toBe(200);
    const card = await issue(t, id);
    const stored = await t.app.inject({ url: `/v1/residents/${id}/photo`, headers: t.auth('clerk') });
    expect(stored.statusCode).toBe(200);
    holders.push({ id, card, jpeg: stored.rawPayload });
  }
  expect(new Set(holders.map((h) => h.jpeg.toString('base64'))).size).toBe(5);
});
afterAll(() => t.close());

const verify = (qr: string, who: 'official' | 'key' = 'key') =>
  t.app.inject({ method: 'POST', url: '/v1/verify', headers: who === 'key' ? { authorization: `Bearer ${key}` } : t.auth('official'), payload: { qr } });

const photoOf = (body: { card?: { photo?: string } }) => {
  const url = body.card?.photo;
  return url === undefined ? undefined : Buffer.from(url.replace(/^data:image\/jpeg;base64,/, ''), 'base64');
};

describe('the photo shown to a verifier', () => {
  it("is the holder's own, byte for byte, for 60 checks of five cards in flight at once", async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => verify(holders[i % 5]!.card.qr, i % 3 ? 'key' : 'official').then((res) => ({ i, res }))));
    for (const { i, res } of answers) {
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.result).toBe('valid');
      expect(photoOf(body)?.equals(holders[i % 5]!.jpeg)).toBe(true);
    }
  });

  it('a resident proof still reads as a proof, and other text as a malformed card', async () => {
    const signer = await t.app.services.city.activeSigner();
    const now = new Date();
    const text = await signResidentProof(
      { issuer: t.config.publicUrl, issuedAt: now, validUntil: new Date(now.getTime() + 10 * 60_000), random: (n) => crypto.getRandomValues(new Uint8Array(n)) },
      { kid: signer.kid, privateKey: signer.privateKey, alg: 'EdDSA', signBytes: (data) => sign(null, data, signer.privateKey) },
    );
    expect((await verify(text)).json()).toMatchObject({ result: 'valid', kind: 'resident_proof', issuer: { id: 'fr-testville' } });
    expect((await verify('NOT A CARD')).json()).toMatchObject({ result: 'malformed', kind: 'card' });
  });

  it("an erased holder's card is revoked and shows no photo", async () => {
    const h = holders[4]!;
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/residents/${h.id}`, headers: t.auth('clerk') })).statusCode).toBe(204);
    const body = (await verify(h.card.qr, 'official')).json();
    expect(body.result).toBe('revoked');
    expect(photoOf(body)).toBeUndefined();
    // The others are untouched.
    expect(photoOf((await verify(holders[3]!.card.qr)).json())?.equals(holders[3]!.jpeg)).toBe(true);
  });
});
