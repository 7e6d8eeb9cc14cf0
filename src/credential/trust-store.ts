/**
 * The keys a verifier trusts (DESIGN.md "Keys and federation"), and the one
 * place where a signature is checked against them. Prepare the store once:
 * importing keys is the costly part of a jose verification.
 */
import { type CryptoKey, type JWK, importJWK } from 'jose';
import { b64uDecode } from './base64url.js';
import { ISSUER_ID } from './claims.js';
import { epochDayOf } from './dates.js';
import type { JwsHeader } from './jws.js';
import { type SignatureAlg, thumbprint } from './keys.js';
import type { StatusBits } from './status-list.js';

export interface TrustedKey {
  /** Full RFC 7638 thumbprint of `jwk`. */
  kid: string;
  /** Public key only. */
  jwk: JWK;
  alg: SignatureAlg;
  /** `retired` still verifies the cards it signed; `revoked` verifies nothing. */
  status: 'active' | 'retired' | 'revoked';
  /** ISO instant; with `notAfter`, the period in which the key may have issued a credential. */
  notBefore?: string;
  notAfter?: string;
}

export interface TrustedIssuer {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  keys: TrustedKey[];
  /** The issuer's status list as last fetched and verified ({@link verifyStatusList}). */
  statusList?: { bits: StatusBits; list: Uint8Array; fetchedAt: string };
}

export interface TrustStore {
  /** ISO 3166-1 alpha-2 of the verifying city: only issuers of this country are recognised. */
  ownCountry: string;
  issuers: TrustedIssuer[];
}

export interface IssuerInfo {
  id: string;
  name: string;
  country: string;
}

export interface PreparedKey {
  kid: string;
  alg: SignatureAlg;
  status: TrustedKey['status'];
  /** Epoch days bounding the issue date of what the key signed (inclusive). */
  fromDay: number;
  untilDay: number;
  key: CryptoKey;
}

/**
 * Checks one signature: `data` is the JWS signing input (RFC 7515 §5.2, the
 * ASCII of `header.payload`), `signature` the raw signature bytes. The key's
 * alg has already been matched to the header's.
 */
export type SignatureCheck = (key: PreparedKey, data: Uint8Array, signature: Uint8Array) => boolean | Promise<boolean>;

/**
 * The default check, through WebCrypto, as in the browser: Ed25519 (RFC 8037)
 * or ECDSA P-256 with the r‖s signature JWS uses (RFC 7518 §3.4).
 */
export const webCryptoCheck: SignatureCheck = (k, data, signature) =>
  crypto.subtle.verify(k.alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' }, k.key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);

export interface PrepareOptions {
  /** How signatures are checked; WebCrypto by default. A server may pass a faster native check. */
  check?: SignatureCheck;
}

export interface PreparedIssuer {
  info: IssuerInfo;
  check: SignatureCheck;
  /** The caller's object: its `statusList` is read at each verification, so it can be refreshed in place. */
  source: TrustedIssuer;
  keys: PreparedKey[];
}

export interface PreparedTrustStore {
  readonly prepared: true;
  ownCountry: string;
  issuers: ReadonlyMap<string, PreparedIssuer>;
}

function publicJwkFor(jwk: JWK, alg: SignatureAlg): JWK {
  if (typeof jwk !== 'object' || jwk === null || 'd' in jwk) throw new TypeError('trusted key must be a public JWK');
  if (alg === 'EdDSA' && jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string') {
    return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  }
  if (alg === 'ES256' && jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string') {
    return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  }
  throw new TypeError(`key type does not match alg ${String(alg)}`);
}

function dayOfIso(iso: string | undefined, fallback: number): number {
  if (iso === undefined) return fallback;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) throw new TypeError(`not an ISO instant: ${iso}`);
  return epochDayOf(t);
}

/**
 * Checks and imports one issuer's keys.
 * @throws TypeError on a configuration error (bad id or country, private or
 * mismatched key, kid that is not the key's thumbprint).
 */
export async function prepareIssuer(issuer: TrustedIssuer, opts: PrepareOptions = {}): Promise<PreparedIssuer> {
  if (!ISSUER_ID.test(issuer.id)) throw new TypeError(`bad issuer id ${issuer.id}`);
  if (!/^[A-Z]{2}$/.test(issuer.country)) throw new TypeError(`bad country for ${issuer.id}`);
  const keys: PreparedKey[] = [];
  for (const k of issuer.keys) {
    if (k.alg !== 'EdDSA' && k.alg !== 'ES256') throw new TypeError(`issuer ${issuer.id}: alg ${String(k.alg)} not accepted`);
    const jwk = publicJwkFor(k.jwk, k.alg);
    if ((await thumbprint(jwk)) !== k.kid) throw new TypeError(`issuer ${issuer.id}: kid ${k.kid} is not the key's thumbprint`);
    keys.push({
      kid: k.kid,
      alg: k.alg,
      status: k.status,
      fromDay: dayOfIso(k.notBefore, -Infinity),
      untilDay: dayOfIso(k.notAfter, Infinity),
      key: (await importJWK(jwk, k.alg)) as CryptoKey,
    });
  }
  // Revoked keys last: they are only tried to tell `key_revoked` from a forgery.
  keys.sort((a, b) => Number(a.status === 'revoked') - Number(b.status === 'revoked'));
  return { info: { id: issuer.id, name: issuer.name, country: issuer.country }, check: opts.check ?? webCryptoCheck, source: issuer, keys };
}

/**
 * Indexes issuers by id and imports every key once. Prepare again when keys
 * change; a status list may be replaced in place on the `TrustedIssuer` object.
 * @throws TypeError on a configuration error, or a duplicate issuer id.
 * @example const trust = await prepareTrustStore({ ownCountry: 'FR', issuers })
 */
export async function prepareTrustStore(store: TrustStore, opts: PrepareOptions = {}): Promise<PreparedTrustStore> {
  if (!/^[A-Z]{2}$/.test(store.ownCountry)) throw new TypeError('ownCountry must be ISO 3166-1 alpha-2');
  const issuers = new Map<string, PreparedIssuer>();
  for (const issuer of store.issuers) {
    if (issuers.has(issuer.id)) throw new TypeError(`duplicate issuer ${issuer.id}`);
    issuers.set(issuer.id, await prepareIssuer(issuer, opts));
  }
  return { prepared: true, ownCountry: store.ownCountry, issuers };
}

export function isPrepared(t: TrustStore | PreparedTrustStore): t is PreparedTrustStore {
  return (t as PreparedTrustStore).prepared === true;
}

export type KeyOutcome = 'ok' | 'key_revoked' | 'invalid_signature';

const ASCII = new TextEncoder();

/**
 * Verifies a compact JWS against the keys of one issuer whose thumbprint
 * starts with the header's kid and whose alg is the header's alg (no
 * algorithm substitution). A key signs only what was issued within its
 * period (`issuedDay`). A revoked key verifies nothing: when only a revoked
 * key matches, the outcome is `key_revoked`.
 */
export async function verifyWithIssuerKeys(
  jws: string,
  header: JwsHeader,
  issuer: PreparedIssuer,
  issuedDay?: number,
): Promise<KeyOutcome> {
  let revoked = false;
  let input: { data: Uint8Array; signature: Uint8Array } | undefined;
  for (const k of issuer.keys) {
    if (k.alg !== header.alg || !k.kid.startsWith(header.kid)) continue;
    if (k.status !== 'revoked' && issuedDay !== undefined && (issuedDay < k.fromDay || issuedDay > k.untilDay)) continue;
    if (!input) {
      // parseCompactJws has already checked the three parts and the signature's canonical base64url.
      const dot = jws.lastIndexOf('.');
      input = { data: ASCII.encode(jws.slice(0, dot)), signature: b64uDecode(jws.slice(dot + 1)) };
    }
    let ok = false;
    try {
      ok = await issuer.check(k, input.data, input.signature);
    } catch {
      ok = false;
    }
    if (!ok) continue;
    if (k.status === 'revoked') revoked = true;
    else return 'ok';
  }
  return revoked ? 'key_revoked' : 'invalid_signature';
}
