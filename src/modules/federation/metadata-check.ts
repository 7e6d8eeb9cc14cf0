/**
 * Checks a partner's issuer metadata (lcc-issuer+jwt, src/modules/keys/issuer-metadata.ts)
 * against the root fingerprint an administrator confirmed out of band, and
 * each signing key's certificate (lcc-key-cert+jwt) against that root.
 * Every refusal is an AppError with a stable code, so an administrator (or
 * the sync log) says exactly what was wrong.
 */
import { compactVerify } from 'jose';
import { ISSUER_ID } from '../../credential/index.js';
import { AppError } from '../../errors/app-error.js';
import { ISSUER_METADATA_TYP } from '../keys/issuer-metadata.js';
import type { PartnerKey } from './federation-tables.js';
import { FINGERPRINT, importKey, isDocAlg, isInt, publicJwk, readJws, thumbprintOf, algOfJwk } from './jose-util.js';

export const KEY_CERT_TYP = 'lcc-key-cert+jwt';
/** Issuer metadata is a few kB; 256 KiB leaves room for a hundred keys and a long revocation list. */
export const MAX_METADATA_CHARS = 256 * 1024;
const MAX_KEYS = 100;
const MAX_REVOKED = 10_000;
/** Clock skew tolerated on `iat` and certificate `nbf`. */
const SKEW_SECONDS = 300;

export interface VerifiedMetadata {
  iss: string;
  name: string;
  country: string;
  rootJwk: Record<string, string>;
  rootFingerprint: string;
  /** Certified signing keys, with the status the metadata gives them (revoked ones marked). */
  keys: PartnerKey[];
  revoked: string[];
  statusListUrl: string;
  iat: number;
  exp: number;
}

const malformed = (detail: string) => new AppError('partner-metadata-malformed', { detail });

/**
 * @throws AppError partner-metadata-malformed | partner-fingerprint-mismatch |
 * partner-signature-invalid | partner-issuer-mismatch | partner-metadata-expired |
 * partner-certificate-invalid
 * @example await verifyIssuerMetadata(jws, { fingerprint: 'Nz…', now: new Date() })
 */
export async function verifyIssuerMetadata(
  jws: string,
  opts: { fingerprint: string; now: Date; expectedIssuer?: string; expectedCountry?: string },
): Promise<VerifiedMetadata> {
  const doc = readJws(jws, MAX_METADATA_CHARS);
  if (!doc) throw malformed('not a compact JWS with a JSON payload');
  const { header, payload: p } = doc;
  if (header.typ !== ISSUER_METADATA_TYP) throw malformed(`typ must be ${ISSUER_METADATA_TYP}`);
  if (!isDocAlg(header.alg)) throw malformed('alg must be EdDSA or ES256');
  if (typeof p.iss !== 'string' || !ISSUER_ID.test(p.iss)) throw malformed('iss');
  if (typeof p.name !== 'string' || p.name.length === 0 || p.name.length > 200) throw malformed('name');
  if (typeof p.country !== 'string' || !/^[A-Z]{2}$/.test(p.country)) throw malformed('country');
  if (typeof p.status_list_url !== 'string' || !isFetchableUrl(p.status_list_url)) throw malformed('status_list_url');
  if (!isInt(p.iat) || !isInt(p.exp)) throw malformed('iat/exp');
  if (!Array.isArray(p.keys) || p.keys.length > MAX_KEYS) throw malformed('keys');
  const revoked = p.revoked ?? [];
  if (!Array.isArray(revoked) || revoked.length > MAX_REVOKED || !revoked.every((k) => typeof k === 'string' && FINGERPRINT.test(k))) throw malformed('revoked');
  const root = publicJwk(p.root, header.alg);
  if (!root) throw malformed('root must be a public key of the header alg');

  // Pinning first: a document re-signed by another key names that key as root, and is refused here.
  const rootFingerprint = await thumbprintOf(root);
  if (rootFingerprint !== opts.fingerprint) throw new AppError('partner-fingerprint-mismatch', { extra: { rootFingerprint } });
  if (header.kid !== undefined && header.kid !== rootFingerprint) throw new AppError('partner-signature-invalid', { detail: 'kid is not the root key' });
  const rootKey = await importKey(root, header.alg);
  try {
    await compactVerify(jws, rootKey!, { algorithms: [header.alg] });
  } catch {
    throw new AppError('partner-signature-invalid');
  }
  if (opts.expectedIssuer !== undefined && p.iss !== opts.expectedIssuer) throw new AppError('partner-issuer-mismatch', { detail: `expected ${opts.expectedIssuer}` });
  if (opts.expectedCountry !== undefined && p.country !== opts.expectedCountry) throw new AppError('partner-issuer-mismatch', { detail: `expected country ${opts.expectedCountry}` });
  const now = Math.floor(opts.now.getTime() / 1000);
  if (p.exp < now) throw new AppError('partner-metadata-expired');
  if (p.iat > now + SKEW_SECONDS) throw malformed('iat is in the future');

  const keys: PartnerKey[] = [];
  for (const entry of p.keys as unknown[]) {
    const key = await verifyCertificate(entry, { iss: p.iss, root, rootAlg: header.alg, now });
    if (keys.some((k) => k.kid === key.kid)) throw malformed(`duplicate key ${key.kid}`);
    keys.push(revoked.includes(key.kid) ? { ...key, status: 'revoked' } : key);
  }
  return { iss: p.iss, name: p.name, country: p.country, rootJwk: root, rootFingerprint, keys, revoked: revoked as string[], statusListUrl: p.status_list_url, iat: p.iat, exp: p.exp };
}

async function verifyCertificate(entry: unknown, ctx: { iss: string; root: Record<string, string>; rootAlg: 'EdDSA' | 'ES256'; now: number }): Promise<PartnerKey> {
  const e = entry as Record<string, unknown>;
  if (typeof e !== 'object' || e === null || typeof e.kid !== 'string' || !FINGERPRINT.test(e.kid) || (e.status !== 'active' && e.status !== 'retired') || typeof e.cert !== 'string') {
    throw malformed('keys[]: kid, status (active | retired) and cert are required');
  }
  const cert = readJws(e.cert, 8 * 1024);
  if (!cert || cert.header.typ !== KEY_CERT_TYP || cert.header.alg !== ctx.rootAlg) throw new AppError('partner-certificate-invalid', { detail: `${e.kid}: not a ${KEY_CERT_TYP}` });
  try {
    await compactVerify(e.cert, (await importKey(ctx.root, ctx.rootAlg))!, { algorithms: [ctx.rootAlg] });
  } catch {
    throw new AppError('partner-certificate-invalid', { detail: `${e.kid}: not signed by the root key` });
  }
  const c = cert.payload;
  if (c.iss !== ctx.iss) throw new AppError('partner-issuer-mismatch', { detail: `${e.kid}: certificate names another issuer` });
  const alg = typeof c.jwk === 'object' && c.jwk !== null ? algOfJwk(c.jwk as Record<string, unknown>) : undefined;
  const jwk = alg && publicJwk(c.jwk, alg);
  if (!jwk || c.sub !== e.kid || (await thumbprintOf(jwk)) !== e.kid) throw new AppError('partner-certificate-invalid', { detail: `${e.kid}: certificate is for another key` });
  if (!isInt(c.nbf) || !isInt(c.exp) || c.nbf > ctx.now + SKEW_SECONDS || c.exp < ctx.now) throw new AppError('partner-certificate-invalid', { detail: `${e.kid}: outside its validity` });
  return { kid: e.kid, jwk, alg: alg!, status: e.status, notBefore: new Date(c.nbf * 1000).toISOString(), notAfter: new Date(c.exp * 1000).toISOString() };
}

/**
 * The keys to trust after a new metadata: the certified ones, plus every key
 * once seen and now revoked (kept with its JWK, so its cards read
 * `key_revoked` rather than forged). Revocation is sticky.
 */
export function mergeKeys(previous: PartnerKey[], verified: PartnerKey[], revoked: string[]): PartnerKey[] {
  const out = new Map(verified.map((k) => [k.kid, k]));
  for (const old of previous) {
    if (old.status === 'revoked' || revoked.includes(old.kid)) out.set(old.kid, { ...(out.get(old.kid) ?? old), status: 'revoked' });
  }
  return [...out.values()];
}

/** https, or http on the loopback (development). */
export function isFetchableUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    if (u.username || u.password) return false;
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}
