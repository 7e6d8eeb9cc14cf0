/** Enrol residents and issue cards through the API, as a clerk would. */
import { prepareTrustStore, type TrustStore } from '../../src/credential/index.js';
import type { TestContext } from './app.js';
import { readClaim169 } from './independent-claim169.js';
import { cardPhoto } from './photo.js';

/** The reference card: a 30-character name and a full birth date. */
export const REFERENCE_RESIDENT = {
  names: { printed: 'Maria Fernanda Oliveira Santos', legal: 'Maria Fernanda Oliveira Santos' },
  birthDate: '1987-11-23',
  address: { line1: '12 rue des Lilas', postalCode: '67000', locality: 'Testville' },
  preferredLanguage: 'pt',
  languages: ['pt', 'fr'],
  evidence: [{ type: 'passport' }, { type: 'utility-bill' }],
};

export async function enrol(t: TestContext, body: Record<string, unknown> = REFERENCE_RESIDENT): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: body });
  if (res.statusCode !== 201) throw new Error(`enrol: ${res.statusCode} ${res.body}`);
  return res.json().resident.id;
}

export interface Issued {
  number: string;
  status: string;
  issuedAt: string;
  expiresAt: string;
  qr: string;
  claimCode: string;
}

/** Gives the record the card photo its card needs. */
export async function givePhoto(t: TestContext, residentId: string): Promise<void> {
  const res = await t.app.inject({ method: 'PUT', url: `/v1/residents/${residentId}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/jpeg' }, payload: await cardPhoto() });
  if (res.statusCode !== 200) throw new Error(`photo: ${res.statusCode} ${res.body}`);
}

/** Issues a card as a clerk; a record without a photo first gets one (a card needs it). */
export async function issue(t: TestContext, residentId: string): Promise<Issued> {
  const post = () => t.app.inject({ method: 'POST', url: `/v1/residents/${residentId}/cards`, headers: t.auth('clerk') });
  let res = await post();
  if (res.statusCode === 409 && res.json().code === 'photo-required') {
    await givePhoto(t, residentId);
    res = await post();
  }
  if (res.statusCode !== 201) throw new Error(`issue: ${res.statusCode} ${res.body}`);
  const card = res.json() as Issued;
  await readIndependently(t, card.qr, card.number);
  return card;
}

/**
 * Every card the suites issue is also read by a second, independent Claim 169
 * reader (test/helpers/independent-claim169.ts: its own CBOR and Base45,
 * node:zlib, @noble/curves), with a key from the city's JWKS.
 * @throws when it cannot read the card, the signature fails, or the claims differ from the card.
 */
export async function readIndependently(t: TestContext, qr: string, number?: string): Promise<ReturnType<typeof readClaim169>> {
  const keys = (await t.app.inject('/.well-known/jwks.json')).json().keys as Array<{ kid: string; x: string }>;
  const kid = readClaim169(qr).protectedHeader.get(4) as Uint8Array;
  const key = keys.find((k) => Buffer.from(k.kid, 'base64url').subarray(0, kid.length).equals(kid));
  if (!key) throw new Error('independent reader: no JWKS key matches the card’s kid');
  const reading = readClaim169(qr, Buffer.from(key.x, 'base64url'));
  if (!reading.signatureValid) throw new Error('independent reader: the Ed25519 signature does not verify');
  if (reading.claims.get(1) !== t.config.publicUrl) throw new Error(`independent reader: iss ${String(reading.claims.get(1))}`);
  if (number !== undefined && reading.identity.get(1) !== number.replaceAll('-', '')) throw new Error('independent reader: card number differs');
  return reading;
}

export async function transition(t: TestContext, number: string, action: string, reason?: string) {
  return t.app.inject({ method: 'POST', url: `/v1/cards/${number}/${action}`, headers: t.auth('clerk'), payload: reason ? { reason } : {} });
}

/** A verifier's trust store built from what the city publishes (JWKS), as a partner would. */
export async function trustFromJwks(t: TestContext): Promise<TrustStore> {
  const keys = (await t.app.inject('/.well-known/jwks.json')).json().keys as Array<Record<string, string>>;
  return {
    ownCountry: t.config.country,
    issuers: [
      {
        id: t.config.cityId,
        uri: t.config.publicUrl,
        name: t.config.cityName,
        country: t.config.country,
        keys: keys.map((jwk) => ({ kid: jwk.kid!, jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, alg: 'EdDSA' as const, status: 'active' as const })),
      },
    ],
  };
}

export { prepareTrustStore };
