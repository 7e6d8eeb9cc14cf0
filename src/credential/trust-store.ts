/**
 * The keys a verifier trusts (DESIGN.md "Keys and federation"), and the one
 * place where a signature is checked against them. Prepare the store once:
 * importing keys is the costly part of a jose verification.
 */
import { type CryptoKey, type JWK, importJWK } from 'jose';
import { b64uDecode } from './base64url.js';
import { ISSUER_ID } from './claims.js';
import { epochDayOf } from './dates.js';
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
  /**
   * Issuer URI: what its credentials carry as CWT `iss` (its public address,
   * e.g. `https://id.strasbourg.eu`). Credentials are matched to issuers by it
   * (or by `id`, when `iss` is the bare id).
   */
  uri?: string;
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
  /** The thumbprint's 32 bytes: a COSE kid is a prefix of them. */
  kidBytes: Uint8Array;
  key: CryptoKey;
}

/**
 * Checks one signature: `data` is what was signed (a COSE Sig_structure, or
 * a JWS signing input for status lists), `signature` the raw signature bytes
 * (r‖s for ES256, in both COSE and JWS). The key's alg has already been
 * matched to the credential's.
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
  /** The same issuers by URI. */
  byUri: ReadonlyMap<string, PreparedIssuer>;
}

/**
 * The trusted issuer a credential's `iss` names: by URI, else by id.
 * @example issuerFor(trust, 'https://id.strasbourg.eu')?.info.id // 'fr-strasbourg'
 */
export function issuerFor(trust: PreparedTrustStore, iss: string): PreparedIssuer | undefined {
  return trust.byUri.get(iss) ?? trust.issuers.get(iss);
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
      kidBytes: b64uDecode(k.kid),
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
  const byUri = new Map<string, PreparedIssuer>();
  for (const issuer of store.issuers) {
    if (issuers.has(issuer.id)) throw new TypeError(`duplicate issuer ${issuer.id}`);
    if (issuer.uri !== undefined && byUri.has(issuer.uri)) throw new TypeError(`duplicate issuer URI ${issuer.uri}`);
    const prepared = await prepareIssuer(issuer, opts);
    issuers.set(issuer.id, prepared);
    if (issuer.uri !== undefined) byUri.set(issuer.uri, prepared);
  }
  return { prepared: true, ownCountry: store.ownCountry, issuers, byUri };
}

export function isPrepared(t: TrustStore | PreparedTrustStore): t is PreparedTrustStore {
  return (t as PreparedTrustStore).prepared === true;
}

export type KeyOutcome = 'ok' | 'key_revoked' | 'invalid_signature';

/** What a signature check needs: the algorithm and kid as the credential states them, the signed bytes, the signature. */
export interface SignedBytes {
  alg: SignatureAlg;
  /** Thumbprint prefix; absent (another ecosystem's credential may carry none): every key of the issuer is tried. */
  kid?: Uint8Array;
  data: Uint8Array;
  signature: Uint8Array;
}

function startsWith(full: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > full.length) return false;
  for (let i = 0; i < prefix.length; i++) if (full[i] !== prefix[i]) return false;
  return true;
}

/**
 * Verifies signed bytes against the keys of one issuer whose thumbprint
 * starts with the kid and whose alg is the credential's (no algorithm
 * substitution). A key signs only what was issued within its period
 * (`issuedDay`). A revoked key verifies nothing: when only a revoked key
 * matches, the outcome is `key_revoked`.
 */
export async function verifyWithIssuerKeys(signed: SignedBytes, issuer: PreparedIssuer, issuedDay?: number): Promise<KeyOutcome> {
  let revoked = false;
  for (const k of issuer.keys) {
    if (k.alg !== signed.alg || (signed.kid !== undefined && !startsWith(k.kidBytes, signed.kid))) continue;
    if (k.status !== 'revoked' && issuedDay !== undefined && (issuedDay < k.fromDay || issuedDay > k.untilDay)) continue;
    let ok = false;
    try {
      ok = await issuer.check(k, signed.data, signed.signature);
    } catch {
      ok = false;
    }
    if (!ok) continue;
    if (k.status === 'revoked') revoked = true;
    else return 'ok';
  }
  return revoked ? 'key_revoked' : 'invalid_signature';
}
