/**
 * The national trust list (DESIGN.md "Keys and federation"): the issuers of
 * one country, signed by the coordinator key each city configured as its
 * trust anchor (TRUST_ANCHOR_JWK) — like the EU DCC gateway's trust list or
 * AAMVA's VICAL. An entry vouches for an issuer's root fingerprint; the
 * issuer's own metadata, fetched later, must be signed by that root.
 */
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { ISSUER_ID } from '../../credential/index.js';
import { AppError, type FieldError } from '../../errors/app-error.js';
import { FINGERPRINT, importKey, isDocAlg, isInt, publicJwk, readJws, thumbprintOf, algOfJwk } from './jose-util.js';
import { isFetchableUrl } from './metadata-check.js';

export const TRUST_LIST_TYP = 'lcc-trust-list+jwt';
export const MAX_TRUST_LIST_ENTRIES = 100_000;
/** ~200 bytes an entry as JSON, 4/3 for base64url: 100,000 entries stay under 32 MiB. */
export const MAX_TRUST_LIST_CHARS = 32 * 1024 * 1024;
/**
 * Clock skew tolerated on a list's `iat`. A list dated later than that is
 * refused: the newest imported `iat` is the floor for the next import
 * (trust-list-stale), so one dated years ahead would block every real list.
 */
export const TRUST_LIST_SKEW_SECONDS = 300;

export interface TrustListEntry {
  /** Issuer id (the cards' `iss`). */
  id: string;
  name: string;
  country: string;
  /** RFC 7638 thumbprint of the issuer's root key: its metadata must be signed by that key. */
  rootFingerprint: string;
  /** Where the issuer publishes its signed metadata (`…/.well-known/lcc-issuer`). */
  metadataUrl: string;
}

export interface TrustList {
  /** ISO 3166-1 alpha-2: every entry is of this country. */
  country: string;
  iat: number;
  exp: number;
  issuers: TrustListEntry[];
}

/**
 * Signs a trust list with the coordinator's private JWK (Ed25519 or P-256).
 * @example const jws = await signTrustList({ country: 'FR', iat, exp, issuers }, privateJwk)
 */
export async function signTrustList(list: TrustList, privateJwk: Record<string, string>): Promise<string> {
  const alg = algOfJwk(privateJwk);
  if (!alg || !privateJwk.d) throw new TypeError('the coordinator key must be a private Ed25519 or P-256 JWK');
  const pub = publicJwk(stripPrivate(privateJwk), alg)!;
  const key = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
  return new CompactSign(new TextEncoder().encode(JSON.stringify(list)))
    .setProtectedHeader({ alg, kid: await thumbprintOf(pub), typ: TRUST_LIST_TYP })
    .sign(key);
}

function stripPrivate(jwk: Record<string, string>): Record<string, string> {
  const { d: _d, ...rest } = jwk;
  return rest;
}

/**
 * Verifies a trust list against the anchor: header, signature, then every entry.
 * @throws AppError trust-list-malformed (with the failing entry paths) |
 * trust-list-signature-invalid | trust-list-expired | trust-list-not-yet-valid
 */
export async function verifyTrustList(jws: string, anchor: Record<string, string>, opts: { now: Date }): Promise<TrustList> {
  const doc = readJws(jws, MAX_TRUST_LIST_CHARS);
  if (!doc) throw new AppError('trust-list-malformed', { detail: 'not a compact JWS with a JSON payload' });
  const { header, payload: p } = doc;
  if (header.typ !== TRUST_LIST_TYP || !isDocAlg(header.alg)) throw new AppError('trust-list-malformed', { detail: `typ must be ${TRUST_LIST_TYP}, alg EdDSA or ES256` });
  const anchorAlg = algOfJwk(anchor);
  const key = anchorAlg === header.alg ? await importKey(anchor, anchorAlg) : undefined;
  if (!key) throw new AppError('trust-list-signature-invalid', { detail: 'alg does not match the trust anchor' });
  try {
    await compactVerify(jws, key, { algorithms: [header.alg] });
  } catch {
    throw new AppError('trust-list-signature-invalid');
  }
  const errors = checkList(p);
  if (errors.length) throw new AppError('trust-list-malformed', { errors: errors.slice(0, 20) });
  const list = p as unknown as TrustList;
  const now = Math.floor(opts.now.getTime() / 1000);
  if (list.exp < now) throw new AppError('trust-list-expired');
  if (list.iat > now + TRUST_LIST_SKEW_SECONDS) throw new AppError('trust-list-not-yet-valid', { detail: `iat is more than ${TRUST_LIST_SKEW_SECONDS} s ahead of this server's clock` });
  return { country: list.country, iat: list.iat, exp: list.exp, issuers: list.issuers.map(({ id, name, country, rootFingerprint, metadataUrl }) => ({ id, name, country, rootFingerprint, metadataUrl })) };
}

function checkList(p: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof p.country !== 'string' || !/^[A-Z]{2}$/.test(p.country)) errors.push({ path: '/country', message: 'must be ISO 3166-1 alpha-2' });
  if (!isInt(p.iat) || !isInt(p.exp) || p.exp <= p.iat) errors.push({ path: '/exp', message: 'iat and exp must be whole seconds, exp after iat' });
  if (!Array.isArray(p.issuers) || p.issuers.length > MAX_TRUST_LIST_ENTRIES) {
    errors.push({ path: '/issuers', message: `must be an array of at most ${MAX_TRUST_LIST_ENTRIES} entries` });
    return errors;
  }
  const seen = new Set<string>();
  p.issuers.forEach((raw: unknown, i) => {
    const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const at = `/issuers/${i}`;
    if (typeof e.id !== 'string' || !ISSUER_ID.test(e.id)) errors.push({ path: `${at}/id`, message: 'must be an issuer id' });
    else if (seen.has(e.id)) errors.push({ path: `${at}/id`, message: 'is listed twice' });
    else seen.add(e.id);
    if (typeof e.name !== 'string' || e.name.length === 0 || e.name.length > 200) errors.push({ path: `${at}/name`, message: 'must be 1-200 characters' });
    if (e.country !== p.country) errors.push({ path: `${at}/country`, message: "must be the list's country" });
    if (typeof e.rootFingerprint !== 'string' || !FINGERPRINT.test(e.rootFingerprint)) errors.push({ path: `${at}/rootFingerprint`, message: 'must be an RFC 7638 thumbprint' });
    if (typeof e.metadataUrl !== 'string' || e.metadataUrl.length > 2048 || !isFetchableUrl(e.metadataUrl)) errors.push({ path: `${at}/metadataUrl`, message: 'must be an https URL' });
  });
  return errors;
}
