/**
 * Verifier side: QR text → one result of DESIGN.md "Verification result".
 * Pure and offline: the trust store and the cached status lists are all it needs.
 */
import { type CardClaims, fromPayload } from './claims.js';
import { isoDateToEpochDay } from './dates.js';
import { CredentialError } from './errors.js';
import { parseCompactJws } from './jws.js';
import { fromQrText } from './qr-text.js';
import { STATUS_SUSPENDED, STATUS_VALID, getStatus } from './status-list.js';
import {
  type IssuerInfo,
  type PreparedIssuer,
  type PreparedTrustStore,
  type TrustStore,
  isPrepared,
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
}

export interface VerifyOptions {
  trust: TrustStore | PreparedTrustStore;
  now: Date;
  /** Clock skew allowed on top of the day boundaries; default 300 s. */
  skewSeconds?: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A card's payload is ~80 bytes; this bounds what a hostile `zip` can expand to. */
const MAX_CARD_PAYLOAD_BYTES = 1024;

/**
 * Whether `now` lies within the dated period, at day granularity. The dates
 * are calendar days of the issuing city, whose zone the verifier does not
 * know, so a day is taken to begin when it begins anywhere (UTC+14) and to end
 * when it ends everywhere (UTC−12, "Anywhere on Earth"): a card is valid
 * through its last day wherever it is checked.
 */
export function dayWindow(
  fromDay: number,
  untilDay: number,
  now: Date,
  skewSeconds: number,
): 'not_yet_valid' | 'expired' | 'within' {
  const t = now.getTime();
  const skew = skewSeconds * 1000;
  if (t < fromDay * DAY_MS - 14 * HOUR_MS - skew) return 'not_yet_valid';
  if (t >= (untilDay + 1) * DAY_MS + 12 * HOUR_MS + skew) return 'expired';
  return 'within';
}

/** Maps a parse failure to a result: a refused algorithm reads as a forgery, all else as unreadable. */
export function failureResult(e: unknown): 'invalid_signature' | 'malformed' {
  return e instanceof CredentialError && e.code === 'unsupported_algorithm' ? 'invalid_signature' : 'malformed';
}

function statusOf(issuer: PreparedIssuer, index: number, now: Date): { code: 'valid' | 'suspended' | 'revoked'; age?: number } {
  const sl = issuer.source.statusList;
  if (!sl) return { code: 'valid' };
  const fetched = new Date(sl.fetchedAt).getTime();
  const age = Number.isNaN(fetched) ? undefined : Math.max(0, Math.floor((now.getTime() - fetched) / 1000));
  const status = getStatus(sl, index);
  // Draft §7.1: 0 VALID, 1 INVALID, 2 SUSPENDED; an index the list does not
  // hold, or an application-specific value, gives no ground to call it valid.
  const code = status === STATUS_VALID ? 'valid' : status === STATUS_SUSPENDED ? 'suspended' : 'revoked';
  return age === undefined ? { code } : { code, age };
}

/**
 * Verifies a card's QR text. Never throws for bad input: every failure is a
 * result code. (A broken trust store is a configuration error and throws.)
 *
 * Order: structure and algorithm (before any key) → issuer → signature with
 * the issuer's keys matching the kid prefix → revoked key → foreign country
 * → expiry → status list.
 * @example
 * const trust = await prepareTrustStore(store); // once
 * const r = await verifyCredential('LCC1:5676…', { trust, now: new Date() });
 * if (r.result === 'valid') show(r.claims);
 */
export async function verifyCredential(qrText: string, opts: VerifyOptions): Promise<VerificationResult> {
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) throw new TypeError('now must be a valid Date');
  const trust = isPrepared(opts.trust) ? opts.trust : await prepareTrustStore(opts.trust);
  try {
    let jws: string;
    let parsed: ReturnType<typeof parseCompactJws>;
    let claims: CardClaims;
    try {
      jws = fromQrText(qrText);
      parsed = parseCompactJws(jws, { extraHeaders: ['zip'], maxPayloadBytes: MAX_CARD_PAYLOAD_BYTES });
      claims = fromPayload(parsed.payload);
    } catch (e) {
      return { result: failureResult(e) };
    }
    const issuer = trust.issuers.get(claims.issuer);
    if (!issuer) return { result: 'unknown_issuer' };
    const issuedDay = isoDateToEpochDay(claims.issuedOn)!;
    const outcome = await verifyWithIssuerKeys(jws, parsed.header, issuer, issuedDay);
    if (outcome === 'invalid_signature') return { result: 'invalid_signature' };
    if (outcome === 'key_revoked') return { result: 'key_revoked', issuer: issuer.info };
    // DESIGN.md: a card from another country is reported as such, not as forged.
    if (issuer.info.country !== trust.ownCountry) return { result: 'foreign_issuer', issuer: issuer.info };
    const window = dayWindow(issuedDay, isoDateToEpochDay(claims.expiresOn)!, opts.now, opts.skewSeconds ?? 300);
    const status = statusOf(issuer, claims.statusIndex, opts.now);
    const base: VerificationResult = { result: 'valid', issuer: issuer.info, claims };
    if (status.age !== undefined) base.statusListAge = status.age;
    // Expiry before status: an issuer may reuse the index of an expired card.
    if (window !== 'within') return { ...base, result: window };
    return { ...base, result: status.code };
  } catch {
    return { result: 'malformed' };
  }
}
