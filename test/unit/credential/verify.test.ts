import QRCode, { type QRCodeSegment } from 'qrcode';
import { zlibSync } from 'fflate';
import { brotliCompressSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CwtClaims,
  type PreparedTrustStore,
  type Signer,
  type VerificationResultCode,
  Tag,
  base45Encode,
  decodeStatusList,
  encodeCbor,
  encodeCwt,
  encodeStatusList,
  fromQrText,
  inspectCredential,
  issueCardQrText,
  prepareTrustStore,
  protectedHeader,
  qrSegments,
  sigStructure,
  signCard,
  signCwt,
  signRaw,
  toCwtClaims,
  toQrText,
  verifyCredential,
} from '../../../src/credential/index.js';
import { coseKid } from '../../../src/credential/keys.js';
import { nodeBrotli } from '../../../src/modules/verification/node-brotli.js';
import { readClaim169 } from '../../helpers/independent-claim169.js';
import { NOW, type World, makeWorld, typicalClaims, uriOf } from './fixtures.js';

let w: World;
let trust: PreparedTrustStore;
let good: string;

beforeAll(async () => {
  w = await makeWorld();
  trust = await prepareTrustStore(w.store);
  good = await issueCardQrText(typicalClaims(), w.strasbourg);
});

const verify = (text: string, now = NOW) => verifyCredential(text, { trust, now, brotli: nodeBrotli });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A COSE_Sign1 assembled by hand from its four parts (any of them wrong on purpose). */
function sign1(parts: unknown[], tag = true): string {
  return toQrText(encodeCbor(tag ? new Tag(18, parts) : parts));
}

/** Signs `payload` under a hand-made protected header. */
async function signedParts(prot: Uint8Array, payload: Uint8Array, signer: Signer = w.strasbourg): Promise<[Uint8Array, Map<number, unknown>, Uint8Array, Uint8Array]> {
  return [prot, new Map(), payload, await signRaw(signer, sigStructure(prot, payload))];
}

const cwtBytes = (c: CwtClaims = toCwtClaims(typicalClaims())) => encodeCbor(encodeCwt(c));
const kid = () => coseKid(w.strasbourg.kid);

describe('a typical card', () => {
  it('verifies, with issuer and claims', async () => {
    const r = await verify(good);
    expect(r.result).toBe('valid');
    expect(r.issuer).toEqual({ id: 'fr-strasbourg', name: 'Strasbourg', country: 'FR' });
    expect(r.claims).toEqual(typicalClaims());
    expect(r.statusListAge).toBeUndefined();
  });

  it('fits QR version 11 at error correction M (30-character name, full birth date, status reference), alphanumeric, no prefix', async () => {
    expect(typicalClaims().name).toHaveLength(30);
    expect(good).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    const qr = QRCode.create(qrSegments(good) as QRCodeSegment[], { errorCorrectionLevel: 'M' });
    expect(qr.version).toBeLessThanOrEqual(11);
  });

  it('is a tagged COSE_Sign1 with EdDSA and a 4-byte thumbprint kid in the protected header, zlib, Base45', async () => {
    const { sign1: s } = inspectCredential(good);
    expect(s.alg).toBe('EdDSA');
    expect(hex(s.kid!)).toBe(hex(Buffer.from(w.strasbourg.kid, 'base64url').subarray(0, 4)));
    const cose = fromQrText(good);
    expect(cose[0]).toBe(0xd2); // tag 18
  });

  it('an independent reader (own CBOR and Base45, node:zlib, @noble/curves) reads it and checks the signature', () => {
    const r = readClaim169(good, Buffer.from(w.strasbourg.publicJwk.x!, 'base64url'));
    expect(r.signatureValid).toBe(true);
    expect(r.protectedHeader.get(1)).toBe(-8);
    expect(r.claims.get(1)).toBe(uriOf('fr-strasbourg'));
    expect(r.identity.get(1)).toBe(typicalClaims().number);
    expect(r.identity.get(4)).toBe(typicalClaims().name);
    expect(r.identity.get(8)).toBe('19900412');
    expect(r.identity.get(23)).toBe('FR');
    expect([...r.identity.keys()].sort((a, b) => Number(a) - Number(b))).toEqual([1, 4, 8, 23]);
    const status = r.claims.get(65535) as Map<string, Map<string, unknown>>;
    expect(status.get('status_list')?.get('idx')).toBe(123_456);
    expect(status.get('status_list')?.get('uri')).toBe(typicalClaims().statusUri);
  });

  it('verifies against a raw (unprepared) trust store too', async () => {
    expect((await verifyCredential(good, { trust: w.store, now: NOW })).result).toBe('valid');
  });

  it('round-trips partial and unknown birth dates, markers, and the original-script name', async () => {
    for (const birthDate of ['1990', '1990-04', '2000-02-29', null]) {
      for (const marker of [undefined, 'X', 'F', 'M', 'NB']) {
        const claims = typicalClaims({ birthDate, ...(marker ? { marker } : {}), originalName: 'أمينة حداد', originalNameLanguage: 'ara' });
        const text = await issueCardQrText(claims, w.strasbourg);
        const r = await verify(text);
        expect(r.result).toBe('valid');
        expect(r.claims).toEqual(claims);
        const id = readClaim169(text).identity;
        expect(id.get(8) ?? id.get(75) ?? null).toBe(birthDate === null ? null : birthDate.replaceAll('-', ''));
        expect(id.get(9) ?? id.get(76)).toBe(marker === undefined ? undefined : ({ M: 1, F: 2, X: 3 } as Record<string, number>)[marker] ?? marker);
        expect(id.get(19)).toBe('أمينة حداد');
      }
    }
  });

  it('accepts ES256 from a partner whose key is ES256', async () => {
    const text = await issueCardQrText(typicalClaims({ issuer: uriOf('fr-grenoble') }), { ...w.partnerEs256, alg: 'ES256' });
    const r = await verify(text);
    expect(r.result).toBe('valid');
    expect(r.issuer?.id).toBe('fr-grenoble');
  });

  it('reads a Brotli-compressed text when given a Brotli decoder, and calls it malformed without one', async () => {
    const text = base45Encode(new Uint8Array(brotliCompressSync(fromQrText(good))));
    expect((await verify(text)).result).toBe('valid');
    expect((await verifyCredential(text, { trust, now: NOW })).result).toBe('malformed');
  });

  it('reads the layouts other Claim 169 implementations write: 61(18(…)), kid in the unprotected header, claim 169 as embedded CBOR', async () => {
    const prot = encodeCbor(new Map([[1, -8]]));
    const cwt = encodeCwt(toCwtClaims(typicalClaims()));
    cwt.set(169, encodeCbor(cwt.get(169)));
    const payload = encodeCbor(cwt);
    const signature = await signRaw(w.strasbourg, sigStructure(prot, payload));
    const text = toQrText(encodeCbor(new Tag(61, new Tag(18, [prot, new Map([[4, kid()]]), payload, signature]))));
    expect((await verify(text)).result).toBe('valid');
  });
});

describe('forged COSE envelopes: each gives its documented result, never an exception', () => {
  const deep = (n: number): unknown => (n === 0 ? 0 : [deep(n - 1)]);
  const cases: Array<[string, () => Promise<string>, VerificationResultCode]> = [
    ['alg changed to ES256 (the key is Ed25519)', async () => sign1(await signedParts(protectedHeader('ES256', kid()), cwtBytes())), 'invalid_signature'],
    ['alg none (no alg at all)', async () => sign1(await signedParts(encodeCbor(new Map([[4, kid()]])), cwtBytes())), 'invalid_signature'],
    ['alg HS256 (5)', async () => sign1(await signedParts(encodeCbor(new Map<number, unknown>([[1, 5], [4, kid()]])), cwtBytes())), 'invalid_signature'],
    [
      'alg moved to the unprotected header',
      async () => {
        const [, , payload, sig] = await signedParts(encodeCbor(new Map([[4, kid()]])), cwtBytes());
        return sign1([encodeCbor(new Map([[4, kid()]])), new Map([[1, -8]]), payload, sig]);
      },
      'invalid_signature',
    ],
    ['kid swapped for another issuer key’s', async () => sign1(await signedParts(protectedHeader('EdDSA', coseKid(w.lyon.kid)), cwtBytes())), 'invalid_signature'],
    ['unknown kid', async () => sign1(await signedParts(protectedHeader('EdDSA', new Uint8Array(4)), cwtBytes())), 'invalid_signature'],
    [
      'payload changed after signing',
      async () => {
        const p = await signedParts(protectedHeader('EdDSA', kid()), cwtBytes());
        p[2] = cwtBytes(toCwtClaims(typicalClaims({ name: 'Someone Else Entirely Altered' })));
        return sign1(p);
      },
      'invalid_signature',
    ],
    [
      'signature changed',
      async () => {
        const p = await signedParts(protectedHeader('EdDSA', kid()), cwtBytes());
        p[3][10]! ^= 1;
        return sign1(p);
      },
      'invalid_signature',
    ],
    ['wrong key (Lyon signs a Strasbourg card)', async () => sign1(await signedParts(protectedHeader('EdDSA', kid()), cwtBytes(), w.lyon)), 'invalid_signature'],
    ['three-element array', async () => sign1((await signedParts(protectedHeader('EdDSA', kid()), cwtBytes())).slice(0, 3)), 'malformed'],
    ['payload not CBOR', async () => sign1(await signedParts(protectedHeader('EdDSA', kid()), new Uint8Array([0xff, 0x00, 0x01]))), 'malformed'],
    ['payload not a map', async () => sign1(await signedParts(protectedHeader('EdDSA', kid()), encodeCbor([1, 2]))), 'malformed'],
    ['missing claim 169', async () => sign1(await signedParts(protectedHeader('EdDSA', kid()), cwtBytes({ ...toCwtClaims(typicalClaims()), identity: undefined }))), 'malformed'],
    ['deep nesting (200 arrays)', async () => sign1(await signedParts(protectedHeader('EdDSA', kid()), encodeCbor(deep(200)))), 'malformed'],
    ['crit in the protected header', async () => sign1(await signedParts(encodeCbor(new Map<number, unknown>([[1, -8], [2, [4]], [4, kid()]])), cwtBytes())), 'malformed'],
    ['signature of 63 bytes', async () => { const p = await signedParts(protectedHeader('EdDSA', kid()), cwtBytes()); p[3] = p[3].subarray(1); return sign1(p); }, 'malformed'],
    ['trailing bytes after the COSE_Sign1', async () => toQrText(new Uint8Array([...fromQrText(good), 0x00])), 'malformed'],
    ['trailing bytes after the zlib stream', async () => base45Encode(new Uint8Array([...zlibSync(fromQrText(good)), 0x00])), 'malformed'],
    ['not zlib (raw COSE bytes, no Brotli either)', async () => base45Encode(fromQrText(good)), 'malformed'],
    ['zlib bomb (1 MB of zeros)', async () => base45Encode(zlibSync(new Uint8Array(1_000_000), { level: 9 })), 'malformed'],
    ['invalid Base45 (lowercase)', async () => good.toLowerCase(), 'malformed'],
    ['invalid Base45 (length 3n+1)', async () => good + '0', 'malformed'],
    ['invalid Base45 (triple above 65535)', async () => ':::' + good.slice(3), 'malformed'],
    ['the old LCC1: format', async () => 'LCC1:5676290952432060346029243740', 'malformed'],
    ['empty', async () => '', 'malformed'],
    ['100 kB text', async () => 'A'.repeat(100_000), 'malformed'],
    ['unknown issuer', async () => issueCardQrText(typicalClaims({ issuer: 'https://id.nowhere.eu' }), w.strasbourg), 'unknown_issuer'],
    ['iss of another known issuer than the key’s', async () => issueCardQrText(typicalClaims({ issuer: uriOf('fr-lyon') }), w.strasbourg), 'invalid_signature'],
    ['revoked key', async () => issueCardQrText(typicalClaims(), w.strasbourgRevoked), 'key_revoked'],
    ['retired key, card issued within its period', async () => issueCardQrText(typicalClaims({ issuedOn: '2024-06-01' }), w.strasbourgOld), 'valid'],
    ['retired key, card dated after it stopped signing', async () => issueCardQrText(typicalClaims({ issuedOn: '2025-06-01' }), w.strasbourgOld), 'invalid_signature'],
    ['active key, card dated before its period', async () => issueCardQrText(typicalClaims({ issuedOn: '2024-06-01' }), w.strasbourg), 'invalid_signature'],
    ['foreign issuer, good signature', async () => issueCardQrText(typicalClaims({ issuer: uriOf('de-berlin') }), w.berlin), 'foreign_issuer'],
    ['foreign issuer, bad signature', async () => issueCardQrText(typicalClaims({ issuer: uriOf('de-berlin') }), w.strasbourg), 'invalid_signature'],
    ['expired', async () => issueCardQrText(typicalClaims({ issuedOn: '2025-01-01', expiresOn: '2026-06-13' }), w.strasbourg), 'expired'],
    ['not yet valid', async () => issueCardQrText(typicalClaims({ issuedOn: '2026-06-17', expiresOn: '2031-06-16' }), w.strasbourg), 'not_yet_valid'],
    ['a bidi override in the name', async () => toQrText(await signCwt({ ...toCwtClaims(typicalClaims()), identity: { id: typicalClaims().number, fullName: 'Amina \u202eHaddad', countryOfIssuance: 'FR' } }, w.strasbourg)), 'malformed'],
  ];

  it.each(cases)('%s', async (_name, make, expected) => {
    const text = await make();
    const started = performance.now();
    const r = await verify(text);
    expect(r.result).toBe(expected);
    expect(performance.now() - started).toBeLessThan(200);
    // A genuine foreign card shows its printed fields too (issue 19): it is foreign_issuer with genuine and cardStatus.
    if (!['valid', 'expired', 'not_yet_valid', 'suspended', 'revoked', 'foreign_issuer'].includes(r.result)) expect(r.claims).toBeUndefined();
  });

  it('each position of the QR text, changed, never verifies — unless it changes nothing that is signed', async () => {
    // The signature covers the COSE_Sign1, not its compressed form: the unused
    // padding bits of the last deflate byte can change and inflate to the
    // same bytes (as in every Claim 169 or EU DCC text). Nothing signed moves.
    const results = new Set<VerificationResultCode>();
    const cose = fromQrText(good);
    for (let i = 0; i < good.length; i++) {
      const changed = good.slice(0, i) + (good[i] === 'A' ? 'B' : 'A') + good.slice(i + 1);
      const r = await verify(changed);
      if (r.result === 'valid') expect(fromQrText(changed), `position ${i}`).toEqual(cose);
      results.add(r.result);
    }
    expect(results.has('malformed')).toBe(true);
  });

  it('non-string input is malformed', async () => {
    expect((await verify(undefined as unknown as string)).result).toBe('malformed');
    expect((await verify(42 as unknown as string)).result).toBe('malformed');
  });
});

describe('validity dates: nbf and exp bound the card’s days anywhere on Earth', () => {
  const card = () => issueCardQrText(typicalClaims({ issuedOn: '2026-06-15', expiresOn: '2026-06-20' }), w.strasbourg);
  const at = async (iso: string) => (await verify(await card(), new Date(iso))).result;

  it('holds through the whole expiry day, wherever the card is checked', async () => {
    expect(await at('2026-06-20T23:59:59Z')).toBe('valid');
    expect(await at('2026-06-21T11:59:59Z')).toBe('valid'); // still the 20th at UTC−12
    expect(await at('2026-06-21T12:06:00Z')).toBe('expired'); // past the 5-minute skew
  });

  it('starts on the issue day, wherever it is checked', async () => {
    expect(await at('2026-06-14T10:00:00Z')).toBe('valid'); // already the 15th at UTC+14
    expect(await at('2026-06-14T09:54:00Z')).toBe('not_yet_valid');
  });

  it('writes them as NumericDates', async () => {
    const c = readClaim169(await card()).claims;
    expect(c.get(5)).toBe(Date.parse('2026-06-14T10:00:00Z') / 1000);
    expect(c.get(4)).toBe(Date.parse('2026-06-21T12:00:00Z') / 1000);
  });
});

describe('status list', () => {
  const withStatus = async (status: number, fetchedAt = '2026-06-15T11:00:00Z') => {
    const statuses = new Uint8Array(131_072);
    statuses[typicalClaims().statusIndex] = status;
    const issuers = w.store.issuers.map((i) =>
      i.id === 'fr-strasbourg' ? { ...i, statusList: { ...decodeStatusList(encodeStatusList(statuses)), fetchedAt } } : i,
    );
    return verifyCredential(good, { trust: await prepareTrustStore({ ...w.store, issuers }), now: NOW });
  };

  it.each([
    [0, 'valid'],
    [1, 'revoked'],
    [2, 'suspended'],
    [3, 'revoked'],
  ] as const)('status %i → %s, with the age of the list', async (status, expected) => {
    const r = await withStatus(status);
    expect(r.result).toBe(expected);
    expect(r.statusListAge).toBe(3600);
  });

  it('expiry is reported before status', async () => {
    expect((await verifyCredential(good, { trust, now: new Date('2031-01-01') })).result).toBe('expired');
  });
});

describe('issuing and configuration', () => {
  it('signCard refuses invalid claims and a kid shorter than 4 bytes', async () => {
    await expect(signCard(typicalClaims({ number: '7KQ4M2XD9A' }), w.strasbourg)).rejects.toThrow();
    await expect(signCard(typicalClaims({ issuer: 'fr-strasbourg' }), w.strasbourg)).rejects.toThrow();
    await expect(signCard(typicalClaims(), w.strasbourg, { kidBytes: 3 })).rejects.toThrow();
  });

  it('prepareTrustStore refuses a kid that is not the key’s thumbprint, a private key, duplicate ids or URIs', async () => {
    const base = w.store.issuers[0]!;
    const k = base.keys[0]!;
    await expect(prepareTrustStore({ ownCountry: 'FR', issuers: [{ ...base, keys: [{ ...k, kid: w.lyon.kid }] }] })).rejects.toThrow();
    await expect(prepareTrustStore({ ownCountry: 'FR', issuers: [{ ...base, keys: [{ ...k, jwk: { ...k.jwk, d: 'AAAA' } }] }] })).rejects.toThrow();
    await expect(prepareTrustStore({ ownCountry: 'FR', issuers: [base, base] })).rejects.toThrow();
    await expect(prepareTrustStore({ ownCountry: 'FR', issuers: [base, { ...w.store.issuers[1]!, uri: base.uri! }] })).rejects.toThrow();
  });
});
