import QRCode, { type QRCodeSegment } from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PreparedTrustStore,
  type ResidentProofRequest,
  type ResidentProofResultCode,
  PROOF_LABELS,
  QR_PREFIX,
  RESIDENT_PROOF_PREFIX,
  fromQrText,
  issueCardQrText,
  prepareTrustStore,
  residentProofQrSegments,
  signResidentProof,
  verifyCredential,
  verifyResidentProof,
} from '../../../src/credential/index.js';
import { decodeCborMap } from '../../../src/credential/cbor.js';
import { NOW, type World, makeWorld, typicalClaims } from './fixtures.js';

let w: World;
let trust: PreparedTrustStore;
beforeAll(async () => {
  w = await makeWorld();
  trust = await prepareTrustStore(w.store);
});

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const request = (over: Partial<ResidentProofRequest> = {}): ResidentProofRequest => ({
  issuer: 'fr-strasbourg',
  issuedAt: NOW,
  validUntil: new Date(NOW.getTime() + 10 * 60_000),
  random,
  ...over,
});
const at = (text: string, now: Date) => verifyResidentProof(text, { trust, now });
const jwsOf = (text: string) => fromQrText(QR_PREFIX + text.slice(RESIDENT_PROOF_PREFIX.length));

describe('resident proof', () => {
  it('verifies with issuer and validUntil, and nothing about the holder', async () => {
    const text = await signResidentProof(request(), w.strasbourg);
    expect(text.startsWith(RESIDENT_PROOF_PREFIX)).toBe(true);
    const r = await at(text, NOW);
    expect(r).toEqual({
      result: 'valid',
      issuer: { id: 'fr-strasbourg', name: 'Strasbourg', country: 'FR' },
      validUntil: '2026-06-15T12:10:00.000Z',
    });
    const payload = decodeCborMap(Buffer.from(jwsOf(text).split('.')[1]!, 'base64url'));
    expect([...payload.keys()].sort((a, b) => a - b)).toEqual(Object.values(PROOF_LABELS).sort((a, b) => a - b));
    expect(JSON.stringify([...payload.values()])).not.toContain('Amina');
    expect(QRCode.create(residentProofQrSegments(text) as QRCodeSegment[], { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(10);
  });

  it('two proofs of the same holder are not linkable', async () => {
    const a = await signResidentProof(request(), w.strasbourg);
    const b = await signResidentProof(request(), w.strasbourg);
    expect(a).not.toBe(b);
    const nonce = (t: string) => decodeCborMap(Buffer.from(jwsOf(t).split('.')[1]!, 'base64url')).get(PROOF_LABELS.nonce);
    expect(nonce(a)).not.toEqual(nonce(b));
  });

  it('expires, is not valid before its time, refuses long lifetimes', async () => {
    const text = await signResidentProof(request(), w.strasbourg);
    expect((await at(text, new Date(NOW.getTime() + 11 * 60_000 + 60_000))).result).toBe('expired');
    expect((await at(text, new Date(NOW.getTime() - 5 * 60_000))).result).toBe('not_yet_valid');
    const long = await signResidentProof(request({ validUntil: new Date(NOW.getTime() + 30 * 86_400_000) }), w.strasbourg);
    expect((await at(long, NOW)).result).toBe('malformed');
  });

  it.each<[string, () => Promise<string>, ResidentProofResultCode]>([
    ['unknown issuer', () => signResidentProof(request({ issuer: 'fr-nowhere' }), w.strasbourg), 'unknown_issuer'],
    ['foreign issuer', () => signResidentProof(request({ issuer: 'de-berlin' }), w.berlin), 'foreign_issuer'],
    ['key of another issuer', () => signResidentProof(request({ issuer: 'fr-lyon' }), w.strasbourg), 'invalid_signature'],
    ['revoked key', () => signResidentProof(request(), w.strasbourgRevoked), 'key_revoked'],
    ['a card is not a proof', () => issueCardQrText(typicalClaims(), w.strasbourg), 'malformed'],
    [
      'a card re-wrapped as a proof',
      async () => RESIDENT_PROOF_PREFIX + (await issueCardQrText(typicalClaims(), w.strasbourg)).slice(QR_PREFIX.length),
      'malformed',
    ],
    ['garbage', async () => 'LCR1:12', 'malformed'],
  ])('%s → %s', async (_n, make, expected) => {
    expect((await at(await make(), NOW)).result).toBe(expected);
  });

  it('a proof is not a card, even re-wrapped', async () => {
    const text = await signResidentProof(request(), w.strasbourg);
    expect((await verifyCredential(text, { trust, now: NOW })).result).toBe('malformed');
    const rewrapped = QR_PREFIX + text.slice(RESIDENT_PROOF_PREFIX.length);
    expect((await verifyCredential(rewrapped, { trust, now: NOW })).result).toBe('malformed');
  });

  it('every changed character of the text fails', async () => {
    const text = await signResidentProof(request(), w.strasbourg);
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      const sub = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : 'X';
      expect((await at(text.slice(0, i) + sub + text.slice(i + 1), NOW)).result).not.toBe('valid');
    }
  });
});
