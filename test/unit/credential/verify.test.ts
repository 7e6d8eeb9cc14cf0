import QRCode, { type QRCodeSegment } from 'qrcode';
import { CompactSign } from 'jose';
import { deflateSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PreparedTrustStore,
  type Signer,
  type VerificationResultCode,
  encodeStatusList,
  decodeStatusList,
  fromQrText,
  issueCardQrText,
  prepareTrustStore,
  qrSegments,
  signCard,
  toPayload,
  toQrText,
  verifyCredential,
} from '../../../src/credential/index.js';
import { NOW, type World, makeWorld, typicalClaims } from './fixtures.js';

let w: World;
let trust: PreparedTrustStore;
let good: string;

beforeAll(async () => {
  w = await makeWorld();
  trust = await prepareTrustStore(w.store);
  good = await issueCardQrText(typicalClaims(), w.strasbourg);
});

const verify = (text: string, now = NOW) => verifyCredential(text, { trust, now });
const b64u = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');

/** A hand-made compact JWS: header object, payload bytes, signature bytes. */
function rawJws(header: object, payload: Uint8Array, sig: Uint8Array): string {
  return `${b64u(JSON.stringify(header))}.${b64u(payload)}.${b64u(sig)}`;
}

async function signWith(header: Record<string, unknown>, payload: Uint8Array, signer: Signer): Promise<string> {
  return toQrText(await new CompactSign(payload).setProtectedHeader(header as { alg: string }).sign(signer.privateKey));
}

describe('a typical card', () => {
  it('verifies, with issuer and claims', async () => {
    const r = await verify(good);
    expect(r.result).toBe('valid');
    expect(r.issuer).toEqual({ id: 'fr-strasbourg', name: 'Strasbourg', country: 'FR' });
    expect(r.claims).toEqual(typicalClaims());
    expect(r.statusListAge).toBeUndefined();
  });

  it('fits QR version 10 at error correction M (30-character name, full birth date)', async () => {
    expect(typicalClaims().name).toHaveLength(30);
    const jws = fromQrText(good);
    expect(jws.length).toBeLessThanOrEqual(247);
    const qr = QRCode.create(qrSegments(good) as QRCodeSegment[], { errorCorrectionLevel: 'M' });
    expect(qr.version).toBeLessThanOrEqual(10);
  });

  it('carries EdDSA, an 8-character kid prefix, and no zip when deflate would not help', async () => {
    const header = JSON.parse(Buffer.from(fromQrText(good).split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'EdDSA', kid: w.strasbourg.kid.slice(0, 8) });
  });

  it('uses zip DEF when it shortens the JWS, and still verifies', async () => {
    const claims = typicalClaims({ name: 'Ana '.repeat(30).trim() });
    const text = await issueCardQrText(claims, w.strasbourg);
    const header = JSON.parse(Buffer.from(fromQrText(text).split('.')[0]!, 'base64url').toString());
    expect(header.zip).toBe('DEF');
    expect((await verify(text)).claims).toEqual(claims);
  });

  it('verifies against a raw (unprepared) trust store too', async () => {
    expect((await verifyCredential(good, { trust: w.store, now: NOW })).result).toBe('valid');
  });

  it('round-trips partial and unknown birth dates and the optional marker', async () => {
    for (const birthDate of ['1990', '1990-04', '2000-02-29', null]) {
      for (const marker of [undefined, 'X']) {
        const claims = typicalClaims({ birthDate, ...(marker ? { marker } : {}) });
        const r = await verify(await issueCardQrText(claims, w.strasbourg));
        expect(r.result).toBe('valid');
        expect(r.claims).toEqual(claims);
      }
    }
  });

  it('accepts ES256 from a partner whose key is ES256', async () => {
    const text = await issueCardQrText(typicalClaims({ issuer: 'fr-grenoble' }), w.partnerEs256);
    const r = await verify(text);
    expect(r.result).toBe('valid');
    expect(r.issuer?.id).toBe('fr-grenoble');
  });
});

describe('every changed character fails', () => {
  it('each position of the QR text, changed, never verifies', async () => {
    const results = new Set<VerificationResultCode>();
    for (let i = 0; i < good.length; i++) {
      const c = good[i]!;
      // Digits move by one; prefix characters become a letter the prefix cannot hold.
      const sub = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : 'X';
      const r = await verify(good.slice(0, i) + sub + good.slice(i + 1));
      expect(r.result, `position ${i}`).not.toBe('valid');
      results.add(r.result);
    }
    expect(results.has('malformed')).toBe(true);
    expect(results.has('invalid_signature')).toBe(true);
  });

  it('each other base64url character in the last signature character never verifies (canonical encoding)', async () => {
    const jws = fromQrText(good);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const c of alphabet) {
      if (c === jws.at(-1)) continue;
      const r = await verify(toQrText(jws.slice(0, -1) + c));
      expect(r.result).not.toBe('valid');
    }
  });
});

describe('bad input gives a result, never an exception', () => {
  const cases: Array<[string, () => Promise<string>, VerificationResultCode]> = [
    ['empty', async () => '', 'malformed'],
    ['not LCC1', async () => 'HC1:1234', 'malformed'],
    ['odd digits', async () => good.slice(0, -1), 'malformed'],
    ['truncated by half', async () => good.slice(0, 5 + Math.floor((good.length - 5) / 4) * 2), 'malformed'],
    ['truncated by one pair', async () => good.slice(0, -2), 'malformed'],
    ['100 kB of digits', async () => 'LCC1:' + '1'.repeat(100_000), 'malformed'],
    ['two parts', async () => toQrText(fromQrText(good).split('.').slice(0, 2).join('.')), 'malformed'],
    ['alg none', async () => toQrText(rawJws({ alg: 'none', kid: w.strasbourg.kid.slice(0, 8) }, toPayload(typicalClaims()), new Uint8Array(0))), 'invalid_signature'],
    [
      'HS256 with the public key as secret',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(w.strasbourg.publicJwk));
        const jws = await new CompactSign(toPayload(typicalClaims()))
          .setProtectedHeader({ alg: 'HS256', kid: w.strasbourg.kid.slice(0, 8) })
          .sign(secret);
        return toQrText(jws);
      },
      'invalid_signature',
    ],
    ['unknown kid', async () => signWith({ alg: 'EdDSA', kid: 'AAAAAAAA' }, toPayload(typicalClaims()), w.strasbourg), 'invalid_signature'],
    ['kid shorter than 8', async () => signWith({ alg: 'EdDSA', kid: w.strasbourg.kid.slice(0, 7) }, toPayload(typicalClaims()), w.strasbourg), 'malformed'],
    ['extra header (crit)', async () => signWith({ alg: 'EdDSA', kid: w.strasbourg.kid.slice(0, 8), crit: ['b64'], b64: true }, toPayload(typicalClaims()), w.strasbourg), 'malformed'],
    [
      'ES256 signature under the kid of an EdDSA key (no algorithm substitution)',
      async () => signWith({ alg: 'ES256', kid: w.strasbourg.kid.slice(0, 8) }, toPayload(typicalClaims()), { ...w.partnerEs256, alg: 'ES256' }),
      'invalid_signature',
    ],
    ['JSON payload', async () => signWith({ alg: 'EdDSA', kid: w.strasbourg.kid.slice(0, 8) }, new TextEncoder().encode('{"i":"fr-strasbourg"}'), w.strasbourg), 'malformed'],
    ['unknown issuer', async () => issueCardQrText(typicalClaims({ issuer: 'fr-nowhere' }), w.strasbourg), 'unknown_issuer'],
    ['iss of another known issuer than the key’s', async () => issueCardQrText(typicalClaims({ issuer: 'fr-lyon' }), w.strasbourg), 'invalid_signature'],
    ['revoked key', async () => issueCardQrText(typicalClaims(), w.strasbourgRevoked), 'key_revoked'],
    ['retired key, card issued within its period', async () => issueCardQrText(typicalClaims({ issuedOn: '2024-06-01' }), w.strasbourgOld), 'valid'],
    ['retired key, card dated after it stopped signing', async () => issueCardQrText(typicalClaims({ issuedOn: '2025-06-01' }), w.strasbourgOld), 'invalid_signature'],
    ['active key, card dated before its period', async () => issueCardQrText(typicalClaims({ issuedOn: '2024-06-01' }), w.strasbourg), 'invalid_signature'],
    ['foreign issuer, good signature', async () => issueCardQrText(typicalClaims({ issuer: 'de-berlin' }), w.berlin), 'foreign_issuer'],
    ['foreign issuer, bad signature', async () => issueCardQrText(typicalClaims({ issuer: 'de-berlin' }), w.strasbourg), 'invalid_signature'],
    ['expired', async () => issueCardQrText(typicalClaims({ issuedOn: '2025-01-01', expiresOn: '2026-06-13' }), w.strasbourg), 'expired'],
    ['not yet valid', async () => issueCardQrText(typicalClaims({ issuedOn: '2026-06-17', expiresOn: '2031-06-16' }), w.strasbourg), 'not_yet_valid'],
    [
      'zip bomb',
      async () => {
        const bomb = deflateSync(new Uint8Array(1_000_000), { level: 9 });
        return signWith({ alg: 'EdDSA', kid: w.strasbourg.kid.slice(0, 8), zip: 'DEF' }, bomb, w.strasbourg);
      },
      'malformed',
    ],
    ['zip not DEF', async () => signWith({ alg: 'EdDSA', kid: w.strasbourg.kid.slice(0, 8), zip: 'GZIP' }, toPayload(typicalClaims()), w.strasbourg), 'malformed'],
  ];

  it.each(cases)('%s', async (_name, make, expected) => {
    const text = await make();
    const started = performance.now();
    const r = await verify(text);
    expect(r.result).toBe(expected);
    expect(performance.now() - started).toBeLessThan(200);
    if (!['valid', 'expired', 'not_yet_valid', 'suspended', 'revoked'].includes(r.result)) expect(r.claims).toBeUndefined();
  });

  it('non-string input is malformed', async () => {
    expect((await verify(undefined as unknown as string)).result).toBe('malformed');
    expect((await verify(42 as unknown as string)).result).toBe('malformed');
  });
});

describe('validity dates, at day granularity', () => {
  const card = () => issueCardQrText(typicalClaims({ issuedOn: '2026-06-15', expiresOn: '2026-06-20' }), w.strasbourg);
  const at = async (iso: string) => (await verify(await card(), new Date(iso))).result;

  it('holds through the whole expiry day, wherever the card is checked', async () => {
    expect(await at('2026-06-20T23:59:59Z')).toBe('valid');
    expect(await at('2026-06-21T11:59:59Z')).toBe('valid'); // still the 20th at UTC−12
    expect(await at('2026-06-21T12:06:00Z')).toBe('expired'); // past the 5-minute skew
    expect(await at('2026-06-22T00:00:00Z')).toBe('expired');
  });

  it('starts on the issue day, wherever it is checked', async () => {
    expect(await at('2026-06-15T00:00:00Z')).toBe('valid');
    expect(await at('2026-06-14T10:00:00Z')).toBe('valid'); // already the 15th at UTC+14
    expect(await at('2026-06-14T09:54:00Z')).toBe('not_yet_valid');
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
    expect(r.claims?.number).toBe(typicalClaims().number);
  });

  it('an index beyond the list is not valid', async () => {
    const text = await issueCardQrText(typicalClaims({ statusIndex: 5_000_000 }), w.strasbourg);
    const issuers = w.store.issuers.map((i) =>
      i.id === 'fr-strasbourg' ? { ...i, statusList: { ...decodeStatusList(encodeStatusList(new Uint8Array(0))), fetchedAt: NOW.toISOString() } } : i,
    );
    const r = await verifyCredential(text, { trust: await prepareTrustStore({ ...w.store, issuers }), now: NOW });
    expect(r.result).toBe('revoked');
  });

  it('expiry is reported before status', async () => {
    const r = await verifyCredential(good, { trust, now: new Date('2031-01-01') });
    expect(r.result).toBe('expired');
  });
});

describe('trust store configuration', () => {
  it('refuses a kid that is not the key’s thumbprint, a private key, a bad country', async () => {
    const base = w.store.issuers[0]!;
    const k = base.keys[0]!;
    await expect(prepareTrustStore({ ownCountry: 'FR', issuers: [{ ...base, keys: [{ ...k, kid: w.lyon.kid }] }] })).rejects.toThrow();
    await expect(prepareTrustStore({ ownCountry: 'FR', issuers: [{ ...base, keys: [{ ...k, jwk: { ...k.jwk, d: 'AAAA' } }] }] })).rejects.toThrow();
    await expect(prepareTrustStore({ ownCountry: 'FR', issuers: [{ ...base, keys: [{ ...k, alg: 'ES256' }] }] })).rejects.toThrow();
    await expect(prepareTrustStore({ ownCountry: 'fr', issuers: [] })).rejects.toThrow();
    await expect(prepareTrustStore({ ownCountry: 'FR', issuers: [base, base] })).rejects.toThrow();
  });

  it('signCard refuses a kid prefix shorter than 8 and invalid claims', async () => {
    await expect(signCard(typicalClaims(), w.strasbourg, { kidLength: 7 })).rejects.toThrow();
    await expect(signCard(typicalClaims({ number: '7KQ4M2XD9A' }), w.strasbourg)).rejects.toThrow();
  });
});
