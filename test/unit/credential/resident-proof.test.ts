import QRCode, { type QRCodeSegment } from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PreparedTrustStore,
  type ResidentProofRequest,
  type ResidentProofResultCode,
  credentialKind,
  fromQrText,
  inspectCredential,
  issueCardQrText,
  prepareTrustStore,
  qrSegments,
  signCwt,
  signResidentProof,
  toQrText,
  verifyCredential,
  verifyResidentProof,
} from '../../../src/credential/index.js';
import { cbor, base45 } from '../../helpers/independent-claim169.js';
import { inflateSync } from 'node:zlib';
import { NOW, type World, makeWorld, typicalClaims, uriOf } from './fixtures.js';

let w: World;
let trust: PreparedTrustStore;
beforeAll(async () => {
  w = await makeWorld();
  trust = await prepareTrustStore(w.store);
});

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const request = (over: Partial<ResidentProofRequest> = {}): ResidentProofRequest => ({
  issuer: uriOf('fr-strasbourg'),
  issuedAt: NOW,
  validUntil: new Date(NOW.getTime() + 10 * 60_000),
  random,
  ...over,
});
const at = (text: string, now: Date) => verifyResidentProof(text, { trust, now });
/** The CWT claims as an independent reader sees them. */
const claimsOf = (text: string) => {
  const cose = (cbor(new Uint8Array(inflateSync(base45(text)))) as { value: unknown[] }).value;
  return cbor(cose[2] as Uint8Array) as Map<number, unknown>;
};

describe('resident proof', () => {
  it('verifies with issuer and validUntil, and carries nothing about the holder', async () => {
    const text = await signResidentProof(request(), w.strasbourg);
    expect(credentialKind(text)).toBe('resident_proof');
    expect(await at(text, NOW)).toEqual({
      result: 'valid',
      issuer: { id: 'fr-strasbourg', name: 'Strasbourg', country: 'FR' },
      validUntil: '2026-06-15T12:10:00.000Z',
    });
    const claims = claimsOf(text);
    expect([...claims.keys()].sort((a, b) => a - b)).toEqual([1, 4, 6, 7]); // iss, exp, iat, cti — no claim 169, no status
    expect((claims.get(7) as Uint8Array).length).toBe(16);
    expect(QRCode.create(qrSegments(text) as QRCodeSegment[], { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(9);
  });

  it('two proofs of the same holder are not linkable', async () => {
    const a = await signResidentProof(request(), w.strasbourg);
    const b = await signResidentProof(request(), w.strasbourg);
    expect(a).not.toBe(b);
    expect(claimsOf(a).get(7)).not.toEqual(claimsOf(b).get(7));
  });

  it('expires, is not valid before its time, refuses long lifetimes', async () => {
    const text = await signResidentProof(request(), w.strasbourg);
    expect((await at(text, new Date(NOW.getTime() + 11 * 60_000 + 60_000))).result).toBe('expired');
    expect((await at(text, new Date(NOW.getTime() - 5 * 60_000))).result).toBe('not_yet_valid');
    const long = await signResidentProof(request({ validUntil: new Date(NOW.getTime() + 30 * 86_400_000) }), w.strasbourg);
    expect((await at(long, NOW)).result).toBe('malformed');
  });

  it.each<[string, () => Promise<string>, ResidentProofResultCode]>([
    ['unknown issuer', () => signResidentProof(request({ issuer: 'https://id.nowhere.eu' }), w.strasbourg), 'unknown_issuer'],
    ['foreign issuer', () => signResidentProof(request({ issuer: uriOf('de-berlin') }), w.berlin), 'foreign_issuer'],
    ['key of another issuer', () => signResidentProof(request({ issuer: uriOf('fr-lyon') }), w.strasbourg), 'invalid_signature'],
    ['revoked key', () => signResidentProof(request(), w.strasbourgRevoked), 'key_revoked'],
    ['a card is not a proof', () => issueCardQrText(typicalClaims(), w.strasbourg), 'malformed'],
    [
      'a card’s claims with a nonce added',
      async () => {
        const card = inspectCredential(await issueCardQrText(typicalClaims(), w.strasbourg)).cwt;
        return toQrText(await signCwt({ ...card, iat: card.nbf!, cti: random(16) }, w.strasbourg));
      },
      'malformed',
    ],
    ['garbage', async () => 'LCR1:12', 'malformed'],
  ])('%s → %s', async (_n, make, expected) => {
    expect((await at(await make(), NOW)).result).toBe(expected);
  });

  it('a proof is not a card', async () => {
    const text = await signResidentProof(request(), w.strasbourg);
    expect((await verifyCredential(text, { trust, now: NOW })).result).toBe('malformed');
  });

  it('every changed character of the text fails, or changes nothing signed (padding bits of the last deflate byte)', async () => {
    const text = await signResidentProof(request(), w.strasbourg);
    const cose = fromQrText(text);
    for (let i = 0; i < text.length; i++) {
      const changed = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
      if ((await at(changed, NOW)).result === 'valid') expect(fromQrText(changed), `position ${i}`).toEqual(cose);
    }
  });
});
