/**
 * Verifier side: QR text → one result of DESIGN.md "Verification result".
 * Pure and offline: the trust store and the cached status lists are all it needs.
 */
import { type CardClaims, fromCwtClaims } from './claims.js';
import type { BrotliDecompress } from './compression.js';
import { parseSign1 } from './cose.js';
import { decodeCwt } from './cwt.js';
import { CredentialError } from './errors.js';
import { fromQrText } from './qr-text.js';
import { STATUS_SUSPENDED, STATUS_VALID, getStatus } from './status-list.js';
import {
  type IssuerInfo,
  type PreparedIssuer,
  type PreparedTrustStore,
  type TrustStore,
  isPrepared,
  issuerFor,
  prepareTrustStore,
  verifyWithIssuerKeys,
} from './trust-store.js';

export type VerificationResultCode =
  | 'valid'
  | 'expired'
  | 'not_yet_valid'
  | 'suspended'
  | 'revoked'
  | 'key_revoked'
  | 'unknown_issuer'
  | 'foreign_issuer'
  | 'invalid_signature'
  | 'malformed';

export interface VerificationResult {
  result: VerificationResultCode;
  /** Where the issuer is known and its key verified the credential. */
  issuer?: IssuerInfo;
  /** For valid, expired, not_yet_valid, suspended, revoked: the card as signed. */
  claims?: CardClaims;
  /** Seconds since the issuer's status list was fetched; absent when there is none (revocation not checked). */
  statusListAge?: number;
  /**
   * For `foreign_issuer` only: the card is a card of that issuer (signature by
   * a key its root certified, the root vouched for by its country's list
   * through the world directory) **and** in force there — within its dates
   * and not suspended or revoked. A forgery is never `foreign_issuer`: it is
   * `invalid_signature`.
   */
  genuine?: boolean;
  /** For `foreign_issuer` only: what the card would read in its own country. */
  cardStatus?: 'valid' | 'expired' | 'not_yet_valid' | 'suspended' | 'revoked';
}

export interface VerifyOptions {
  trust: TrustStore | PreparedTrustStore;
  now: Date;
  /** Clock skew allowed beyond `nbf` and `exp`; default 300 s. */
  skewSeconds?: number;
  /** A Brotli decoder (the server's and the CLI's `node:zlib`); without it a Brotli-compressed text is `malformed`. */
  brotli?: BrotliDecompress;
  /**
   * Try every key of the issuer whatever the credential's kid: for a tool
   * given one issuer's keys directly (`credential:check --public-key-hex`),
   * whose cards may name their keys otherwise than by thumbprint.
   */
  ignoreKid?: boolean;
}

/** Maps a parse failure to a result: a refused algorithm reads as a forgery, all else as unreadable. */
export function failureResult(e: unknown): 'invalid_signature' | 'malformed' {
  return e instanceof CredentialError && e.code === 'unsupported_algorithm' ? 'invalid_signature' : 'malformed';
}

function statusOf(issuer: PreparedIssuer, claims: CardClaims, now: Date): { code: 'valid' | 'suspended' | 'revoked'; age?: number } {
  const sl = issuer.source.statusList;
  // No list cached, or a credential without a status reference: revocation not checked (no age reported).
  if (!sl || claims.statusIndex < 0) return { code: 'valid' };
  const fetched = new Date(sl.fetchedAt).getTime();
  const age = Number.isNaN(fetched) ? undefined : Math.max(0, Math.floor((now.getTime() - fetched) / 1000));
  const status = getStatus(sl, claims.statusIndex);
  // Draft §7.1: 0 VALID, 1 INVALID, 2 SUSPENDED; an index the list does not
  // hold, or an application-specific value, gives no ground to call it valid.
  const code = status === STATUS_VALID ? 'valid' : status === STATUS_SUSPENDED ? 'suspended' : 'revoked';
  return age === undefined ? { code } : { code, age };
}

/**
 * Verifies a card's QR text. Never throws for bad input: every failure is a
 * result code. (A broken trust store is a configuration error and throws.)
 *
 * Order: Base45, decompression, COSE structure and algorithm (before any
 * key), CWT and claim 169 → issuer (by `iss`) → signature with that issuer's
 * keys matching the kid prefix → revoked key → foreign country → `nbf`/`exp`
 * → status list.
 * @example
 * const trust = await prepareTrustStore(store); // once
 * const r = await verifyCredential('NCF3T…', { trust, now: new Date() });
 * if (r.result === 'valid') show(r.claims);
 */
export async function verifyCredential(qrText: string, opts: VerifyOptions): Promise<VerificationResult> {
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) throw new TypeError('now must be a valid Date');
  const trust = isPrepared(opts.trust) ? opts.trust : await prepareTrustStore(opts.trust);
  try {
    let sign1: ReturnType<typeof parseSign1>;
    let claims: CardClaims;
    let nbf: number;
    let exp: number;
    try {
      sign1 = parseSign1(fromQrText(qrText, opts.brotli));
      const cwt = decodeCwt(sign1.payload);
      claims = fromCwtClaims(cwt);
      nbf = cwt.nbf ?? cwt.iat!;
      exp = cwt.exp!;
    } catch (e) {
      return { result: failureResult(e) };
    }
    const issuer = issuerFor(trust, claims.issuer);
    if (!issuer) return { result: 'unknown_issuer' };
    const signed = { alg: sign1.alg, data: sign1.toBeSigned, signature: sign1.signature, ...(sign1.kid && !opts.ignoreKid ? { kid: sign1.kid } : {}) };
    const outcome = await verifyWithIssuerKeys(signed, issuer, Math.floor((nbf + 14 * 3600) / 86_400));
    if (outcome === 'invalid_signature') return { result: 'invalid_signature' };
    if (outcome === 'key_revoked') return { result: 'key_revoked', issuer: issuer.info };
    const t = opts.now.getTime() / 1000;
    const skew = opts.skewSeconds ?? 300;
    const status = statusOf(issuer, claims, opts.now);
    const base: VerificationResult = { result: 'valid', issuer: issuer.info, claims };
    if (status.age !== undefined) base.statusListAge = status.age;
    // Dates before status: an issuer may reuse the index of an expired card.
    const code = t < nbf - skew ? 'not_yet_valid' : t >= exp + skew ? 'expired' : status.code;
    // DESIGN.md: a card from another country is reported as such — never valid here, not forged either —
    // with whether it is genuine and in force in its own country (World directory).
    if (issuer.info.country !== trust.ownCountry) return { ...base, result: 'foreign_issuer', genuine: code === 'valid', cardStatus: code };
    return { ...base, result: code };
  } catch {
    return { result: 'malformed' };
  }
}
