/**
 * Resident proof: a minimal, short-lived credential saying only "holder of a
 * valid card of city X; this proof holds until T". The same envelope as the
 * card (CWT in a COSE_Sign1, zlib, Base45) with `iss`, `iat`, `exp` and a
 * 16-byte random `cti` — and no claim 169 at all: no name, birth date or
 * number, and the random `cti` makes two proofs of one person unlinkable.
 * A card verifier refuses a proof (no claim 169) and a proof verifier
 * refuses a card (claim 169 present, no `cti`).
 */
import type { BrotliDecompress } from './compression.js';
import { parseSign1 } from './cose.js';
import { type CwtClaims, decodeCwt } from './cwt.js';
import { epochDayOf } from './dates.js';
import { CredentialError } from './errors.js';
import type { Signer } from './keys.js';
import { fromQrText, toQrText } from './qr-text.js';
import { type SignOptions, signCwt } from './sign.js';
import { type IssuerInfo, type PreparedTrustStore, type TrustStore, isPrepared, issuerFor, prepareTrustStore, verifyWithIssuerKeys } from './trust-store.js';
import { failureResult } from './verify.js';

export const PROOF_NONCE_BYTES = 16;
/** Longest lifetime a verifier accepts by default: a proof is meant to last minutes. */
export const DEFAULT_MAX_PROOF_LIFETIME_SECONDS = 86_400;

export interface ResidentProofRequest {
  /** Issuer URI (CWT `iss`), as on the city's cards. */
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
 * Signs a resident proof and returns its QR text.
 * @example await signResidentProof({ issuer: 'https://id.strasbourg.eu', issuedAt: now,
 *   validUntil: new Date(+now + 600_000), random: (n) => crypto.getRandomValues(new Uint8Array(n)) }, key)
 */
export async function signResidentProof(req: ResidentProofRequest, signer: Signer, opts: SignOptions = {}): Promise<string> {
  if (typeof req.issuer !== 'string' || !/^https?:\/\/\S+$/.test(req.issuer)) throw new RangeError('issuer must be an http(s) URI');
  const iat = seconds(req.issuedAt);
  const exp = seconds(req.validUntil);
  if (!(exp > iat) || iat < 0 || exp > 0xffffffff) throw new RangeError('validUntil must follow issuedAt');
  const nonce = req.random(PROOF_NONCE_BYTES);
  if (nonce.length !== PROOF_NONCE_BYTES) throw new RangeError('random source returned the wrong length');
  return toQrText(await signCwt({ iss: req.issuer, exp, iat, cti: nonce }, signer, opts));
}

function proofClaims(c: CwtClaims): { iss: string; iat: number; exp: number } {
  if (c.identity !== undefined) throw new CredentialError('malformed', 'a card, not a resident proof');
  if (c.iss === undefined || c.iat === undefined || c.exp === undefined || c.exp <= c.iat) throw new CredentialError('malformed', 'proof iss/iat/exp');
  if (!(c.cti instanceof Uint8Array) || c.cti.length !== PROOF_NONCE_BYTES) throw new CredentialError('malformed', 'proof cti');
  return { iss: c.iss, iat: c.iat, exp: c.exp };
}

/**
 * Whether a QR text is a card (claim 169 present), a resident proof (CWT
 * with a 16-byte `cti` and no claim 169), or neither (unreadable). Reads the
 * envelope without checking any signature.
 * @example if (credentialKind(text) === 'resident_proof') verifyResidentProof(text, opts)
 */
export function credentialKind(text: string, brotli?: BrotliDecompress): 'card' | 'resident_proof' | 'unreadable' {
  try {
    const c = decodeCwt(parseSign1(fromQrText(text, brotli)).payload);
    if (c.identity !== undefined) return 'card';
    return c.cti instanceof Uint8Array && c.cti.length === PROOF_NONCE_BYTES ? 'resident_proof' : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/**
 * Verifies a resident proof. Never throws for bad input.
 * @example const r = await verifyResidentProof(text, { trust, now: new Date() }); // r.result, r.issuer, r.validUntil
 */
export async function verifyResidentProof(
  text: string,
  opts: { trust: TrustStore | PreparedTrustStore; now: Date; skewSeconds?: number; maxLifetimeSeconds?: number; brotli?: BrotliDecompress },
): Promise<ResidentProofResult> {
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) throw new TypeError('now must be a valid Date');
  const trust = isPrepared(opts.trust) ? opts.trust : await prepareTrustStore(opts.trust);
  try {
    let sign1: ReturnType<typeof parseSign1>;
    let proof: ReturnType<typeof proofClaims>;
    try {
      sign1 = parseSign1(fromQrText(text, opts.brotli));
      proof = proofClaims(decodeCwt(sign1.payload));
    } catch (e) {
      return { result: failureResult(e) };
    }
    if (proof.exp - proof.iat > (opts.maxLifetimeSeconds ?? DEFAULT_MAX_PROOF_LIFETIME_SECONDS)) return { result: 'malformed' };
    const issuer = issuerFor(trust, proof.iss);
    if (!issuer) return { result: 'unknown_issuer' };
    const signed = { alg: sign1.alg, data: sign1.toBeSigned, signature: sign1.signature, ...(sign1.kid ? { kid: sign1.kid } : {}) };
    const outcome = await verifyWithIssuerKeys(signed, issuer, epochDayOf(new Date(proof.iat * 1000)));
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
