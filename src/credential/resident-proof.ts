/**
 * Resident proof: a minimal, short-lived credential saying only "holder of a
 * valid card of city X; this proof holds until T". No name, birth date or
 * card number: a random nonce makes two proofs of one person unlinkable.
 * Issued by the city (after checking the card) to a resident who needs to
 * show residency and nothing else.
 *
 * Own QR prefix `LCR1:` (same numeric encoding as `LCC1:`) and its own label
 * set, so neither verifier accepts the other's credential.
 */
import { type CborMap, decodeCborMap, encodeCborMap } from './cbor.js';
import { ISSUER_ID } from './claims.js';
import { epochDayOf } from './dates.js';
import { CredentialError } from './errors.js';
import { parseCompactJws } from './jws.js';
import type { Signer } from './keys.js';
import { QR_PREFIX, fromQrText, toQrText } from './qr-text.js';
import { type SignOptions, credentialKid, signCompact } from './sign.js';
import { type IssuerInfo, type PreparedTrustStore, type TrustStore, isPrepared, prepareTrustStore, verifyWithIssuerKeys } from './trust-store.js';
import { failureResult } from './verify.js';

export const RESIDENT_PROOF_PREFIX = 'LCR1:';
/** Wire labels; disjoint from the card's (2…8) except the issuer. */
export const PROOF_LABELS = { type: 0, issuer: 1, nonce: 9, issuedAt: 10, validUntil: 11 } as const;
const PROOF_TYPE = 1;
export const PROOF_NONCE_BYTES = 16;
/** Longest lifetime a verifier accepts by default: a proof is meant to last minutes. */
export const DEFAULT_MAX_PROOF_LIFETIME_SECONDS = 86_400;

export interface ResidentProofRequest {
  issuer: string;
  issuedAt: Date;
  validUntil: Date;
  /** Random source for the nonce. */
  random: (n: number) => Uint8Array;
}

export type ResidentProofResultCode =
  | 'valid'
  | 'expired'
  | 'not_yet_valid'
  | 'key_revoked'
  | 'unknown_issuer'
  | 'foreign_issuer'
  | 'invalid_signature'
  | 'malformed';

export interface ResidentProofResult {
  result: ResidentProofResultCode;
  issuer?: IssuerInfo;
  /** ISO instant until which the proof holds. */
  validUntil?: string;
}

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/**
 * Signs a resident proof and returns its QR text (`LCR1:` + digits).
 * @example await signResidentProof({ issuer: 'fr-strasbourg', issuedAt: now,
 *   validUntil: new Date(+now + 600_000), random: (n) => crypto.getRandomValues(new Uint8Array(n)) }, key)
 */
export async function signResidentProof(req: ResidentProofRequest, signer: Signer, opts: SignOptions = {}): Promise<string> {
  if (!ISSUER_ID.test(req.issuer)) throw new RangeError('bad issuer id');
  const iat = seconds(req.issuedAt);
  const exp = seconds(req.validUntil);
  if (!(exp > iat) || iat < 0 || exp > 0xffffffff) throw new RangeError('validUntil must follow issuedAt');
  const nonce = req.random(PROOF_NONCE_BYTES);
  if (nonce.length !== PROOF_NONCE_BYTES) throw new RangeError('random source returned the wrong length');
  const map: CborMap = new Map<number, number | string | Uint8Array>([
    [PROOF_LABELS.type, PROOF_TYPE],
    [PROOF_LABELS.issuer, req.issuer],
    [PROOF_LABELS.nonce, nonce],
    [PROOF_LABELS.issuedAt, iat],
    [PROOF_LABELS.validUntil, exp],
  ]);
  const jws = await signCompact(encodeCborMap(map), signer, credentialKid(signer, opts.kidLength));
  return RESIDENT_PROOF_PREFIX + toQrText(jws).slice(QR_PREFIX.length);
}

/** QR segments for a proof's text: prefix in byte mode, digits in numeric mode. */
export function residentProofQrSegments(text: string): [{ data: string; mode: 'byte' }, { data: string; mode: 'numeric' }] {
  return [
    { data: text.slice(0, RESIDENT_PROOF_PREFIX.length), mode: 'byte' },
    { data: text.slice(RESIDENT_PROOF_PREFIX.length), mode: 'numeric' },
  ];
}

function decodeProof(payload: Uint8Array): { issuer: string; iat: number; exp: number } {
  const map = decodeCborMap(payload);
  const labels = Object.values(PROOF_LABELS) as number[];
  if (map.size !== labels.length || labels.some((l) => !map.has(l))) throw new CredentialError('malformed', 'proof labels');
  const [type, issuer, nonce, iat, exp] = labels.map((l) => map.get(l));
  if (type !== PROOF_TYPE) throw new CredentialError('malformed', 'not a resident proof');
  if (typeof issuer !== 'string' || !ISSUER_ID.test(issuer)) throw new CredentialError('malformed', 'issuer');
  if (!(nonce instanceof Uint8Array) || nonce.length !== PROOF_NONCE_BYTES) throw new CredentialError('malformed', 'nonce');
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp <= iat) throw new CredentialError('malformed', 'times');
  return { issuer, iat, exp };
}

/**
 * Verifies a resident proof. Never throws for bad input.
 * @example const r = await verifyResidentProof(text, { trust, now: new Date() }); // r.result, r.issuer, r.validUntil
 */
export async function verifyResidentProof(
  text: string,
  opts: { trust: TrustStore | PreparedTrustStore; now: Date; skewSeconds?: number; maxLifetimeSeconds?: number },
): Promise<ResidentProofResult> {
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) throw new TypeError('now must be a valid Date');
  const trust = isPrepared(opts.trust) ? opts.trust : await prepareTrustStore(opts.trust);
  try {
    let jws: string;
    let parsed: ReturnType<typeof parseCompactJws>;
    let proof: ReturnType<typeof decodeProof>;
    try {
      if (typeof text !== 'string') throw new CredentialError('malformed', 'not text');
      const t = text.startsWith('#') ? text.slice(1) : text;
      if (t.slice(0, RESIDENT_PROOF_PREFIX.length).toUpperCase() !== RESIDENT_PROOF_PREFIX) {
        throw new CredentialError('malformed', 'not a resident proof');
      }
      jws = fromQrText(QR_PREFIX + t.slice(RESIDENT_PROOF_PREFIX.length));
      parsed = parseCompactJws(jws, { extraHeaders: ['zip'], maxPayloadBytes: 256 });
      proof = decodeProof(parsed.payload);
    } catch (e) {
      return { result: failureResult(e) };
    }
    if (proof.exp - proof.iat > (opts.maxLifetimeSeconds ?? DEFAULT_MAX_PROOF_LIFETIME_SECONDS)) return { result: 'malformed' };
    const issuer = trust.issuers.get(proof.issuer);
    if (!issuer) return { result: 'unknown_issuer' };
    const outcome = await verifyWithIssuerKeys(jws, parsed.header, issuer, epochDayOf(new Date(proof.iat * 1000)));
    if (outcome === 'invalid_signature') return { result: 'invalid_signature' };
    if (outcome === 'key_revoked') return { result: 'key_revoked', issuer: issuer.info };
    if (issuer.info.country !== trust.ownCountry) return { result: 'foreign_issuer', issuer: issuer.info };
    const validUntil = new Date(proof.exp * 1000).toISOString();
    const now = seconds(opts.now);
    const skew = opts.skewSeconds ?? 60;
    if (now < proof.iat - skew) return { result: 'not_yet_valid', issuer: issuer.info, validUntil };
    if (now >= proof.exp + skew) return { result: 'expired', issuer: issuer.info, validUntil };
    return { result: 'valid', issuer: issuer.info, validUntil };
  } catch {
    return { result: 'malformed' };
  }
}
