/**
 * The world directory (DESIGN.md "World directory"): the national trust lists
 * of the network's countries, signed by the network coordinator's key that a
 * city configured as DIRECTORY_ANCHOR_JWK — the ICAO Public Key Directory's
 * role, one level above the national lists (EU DCC gateway). An entry
 * vouches for a national coordinator's key; that country's trust list,
 * fetched from `trustListUrl`, must be signed by it.
 */
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { AppError, type FieldError } from '../../errors/app-error.js';
import { algOfJwk, FINGERPRINT, importKey, isDocAlg, isInt, publicJwk, readJws, thumbprintOf } from './jose-util.js';
import { isFetchableUrl } from './metadata-check.js';

export const DIRECTORY_TYP = 'lcc-directory+jwt';
/** Every country of the world fits; a directory is a few hundred bytes an entry. */
export const MAX_DIRECTORY_ENTRIES = 300;
export const MAX_DIRECTORY_CHARS = 512 * 1024;
/** As for trust lists: a directory dated further ahead is refused (it would make every real one stale). */
export const DIRECTORY_SKEW_SECONDS = 300;

export interface DirectoryEntry {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** The national coordinator's public JWK: that country's trust list is signed by it. */
  coordinatorJwk: Record<string, string>;
  /** RFC 7638 thumbprint of `coordinatorJwk` (what people compare out of band). */
  fingerprint: string;
  /** Where the national trust list (lcc-trust-list+jwt) is published. */
  trustListUrl: string;
}

export interface Directory {
  iat: number;
  exp: number;
  entries: DirectoryEntry[];
}

/**
 * Signs a directory with the network coordinator's private JWK (from `trust-anchor:generate`).
 * @example const jws = await signDirectory({ iat, exp, entries }, privateJwk)
 */
export async function signDirectory(directory: Directory, privateJwk: Record<string, string>): Promise<string> {
  const alg = algOfJwk(privateJwk);
  if (!alg || !privateJwk.d) throw new TypeError('the coordinator key must be a private Ed25519 or P-256 JWK');
  const { d: _d, ...rest } = privateJwk;
  const pub = publicJwk(rest, alg)!;
  return new CompactSign(new TextEncoder().encode(JSON.stringify(directory)))
    .setProtectedHeader({ alg, kid: await thumbprintOf(pub), typ: DIRECTORY_TYP })
    .sign(createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' }));
}

/**
 * Verifies a directory against the anchor: header, signature, then every
 * entry (each fingerprint must be its key's thumbprint).
 * @throws AppError directory-malformed (with the failing entry paths) |
 * directory-signature-invalid | directory-expired | directory-not-yet-valid
 */
export async function verifyDirectory(jws: string, anchor: Record<string, string>, opts: { now: Date }): Promise<Directory> {
  const doc = readJws(jws, MAX_DIRECTORY_CHARS);
  if (!doc) throw new AppError('directory-malformed', { detail: 'not a compact JWS with a JSON payload' });
  const { header, payload: p } = doc;
  if (header.typ !== DIRECTORY_TYP || !isDocAlg(header.alg)) throw new AppError('directory-malformed', { detail: `typ must be ${DIRECTORY_TYP}, alg EdDSA or ES256` });
  const anchorAlg = algOfJwk(anchor);
  const key = anchorAlg === header.alg ? await importKey(anchor, anchorAlg) : undefined;
  if (!key) throw new AppError('directory-signature-invalid', { detail: 'alg does not match the directory anchor' });
  try {
    await compactVerify(jws, key, { algorithms: [header.alg] });
  } catch {
    throw new AppError('directory-signature-invalid');
  }
  const errors = await checkEntries(p);
  if (errors.length) throw new AppError('directory-malformed', { errors: errors.slice(0, 20) });
  const d = p as unknown as Directory;
  const now = Math.floor(opts.now.getTime() / 1000);
  if (d.exp < now) throw new AppError('directory-expired');
  if (d.iat > now + DIRECTORY_SKEW_SECONDS) throw new AppError('directory-not-yet-valid', { detail: `iat is more than ${DIRECTORY_SKEW_SECONDS} s ahead of this server's clock` });
  return {
    iat: d.iat,
    exp: d.exp,
    entries: d.entries.map((e) => ({ country: e.country, coordinatorJwk: publicJwk(e.coordinatorJwk, algOfJwk(e.coordinatorJwk)!)!, fingerprint: e.fingerprint, trustListUrl: e.trustListUrl })),
  };
}

async function checkEntries(p: Record<string, unknown>): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (!isInt(p.iat) || !isInt(p.exp) || p.exp <= p.iat) errors.push({ path: '/exp', message: 'iat and exp must be whole seconds, exp after iat' });
  if (!Array.isArray(p.entries) || p.entries.length > MAX_DIRECTORY_ENTRIES) {
    errors.push({ path: '/entries', message: `must be an array of at most ${MAX_DIRECTORY_ENTRIES} entries` });
    return errors;
  }
  const seen = new Set<string>();
  for (const [i, raw] of (p.entries as unknown[]).entries()) {
    const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const at = `/entries/${i}`;
    if (typeof e.country !== 'string' || !/^[A-Z]{2}$/.test(e.country)) errors.push({ path: `${at}/country`, message: 'must be ISO 3166-1 alpha-2' });
    else if (seen.has(e.country)) errors.push({ path: `${at}/country`, message: 'is listed twice' });
    else seen.add(e.country);
    const jwk = typeof e.coordinatorJwk === 'object' && e.coordinatorJwk !== null ? (e.coordinatorJwk as Record<string, unknown>) : undefined;
    const alg = jwk ? algOfJwk(jwk) : undefined;
    const pub = jwk && alg ? publicJwk(jwk, alg) : undefined;
    if (!pub) errors.push({ path: `${at}/coordinatorJwk`, message: 'must be a public Ed25519 or P-256 JWK' });
    if (typeof e.fingerprint !== 'string' || !FINGERPRINT.test(e.fingerprint)) errors.push({ path: `${at}/fingerprint`, message: 'must be an RFC 7638 thumbprint' });
    else if (pub && (await thumbprintOf(pub)) !== e.fingerprint) errors.push({ path: `${at}/fingerprint`, message: "is not the key's thumbprint" });
    if (typeof e.trustListUrl !== 'string' || e.trustListUrl.length > 2048 || !isFetchableUrl(e.trustListUrl)) errors.push({ path: `${at}/trustListUrl`, message: 'must be an https URL' });
  }
  return errors;
}
