/**
 * Issuing side: claims → compact JWS → QR text (DESIGN.md "Credential").
 */
import { CompactSign } from 'jose';
import { deflateSync } from 'fflate';
import { b64uEncode, b64uLength } from './base64url.js';
import { type CardClaims, toPayload } from './claims.js';
import { MIN_KID_LENGTH, type Signer } from './keys.js';
import { toQrText } from './qr-text.js';

const utf8 = new TextEncoder();

export interface SignOptions {
  /**
   * Characters of the key's thumbprint put in `kid`; default 8, the minimum
   * DESIGN.md allows, because every character costs QR space (verifiers try
   * each key of the issuer with that prefix, so it costs no security).
   */
  kidLength?: number;
}

/** The kid a credential carries for a signer. */
export function credentialKid(signer: Signer, kidLength = MIN_KID_LENGTH): string {
  if (!Number.isInteger(kidLength) || kidLength < MIN_KID_LENGTH) throw new RangeError(`kid prefix must be ≥ ${MIN_KID_LENGTH}`);
  if (!/^[A-Za-z0-9_-]{8,43}$/.test(signer.kid)) throw new RangeError('signer.kid is not a thumbprint');
  return signer.kid.slice(0, kidLength);
}

/**
 * Signs a payload as compact JWS with `{alg, kid}`, adding `zip: "DEF"` and
 * raw-DEFLATE-compressing the payload only when that makes the JWS shorter
 * (RFC 7516 §4.1.3 `zip`, used in a JWS as SMART Health Cards do).
 */
export async function signCompact(payload: Uint8Array, signer: Signer, kid: string): Promise<string> {
  const plainHeader = { alg: signer.alg, kid };
  const zipHeader = { alg: signer.alg, kid, zip: 'DEF' };
  // DEFLATE's own overhead and the longer header cost more than it can save on a
  // short payload (a card's CBOR claims are 60–130 bytes): do not even try below this.
  if (payload.length < MIN_DEFLATE_BYTES) return compact(plainHeader, payload, signer);
  const deflated = deflateSync(payload, { level: 9 });
  const plainLength = b64uLength(utf8.encode(JSON.stringify(plainHeader)).length) + b64uLength(payload.length);
  const zipLength = b64uLength(utf8.encode(JSON.stringify(zipHeader)).length) + b64uLength(deflated.length);
  const [header, body] = zipLength < plainLength ? [zipHeader, deflated] : [plainHeader, payload];
  return compact(header, body, signer);
}

/**
 * Payloads shorter than this are not even tried with DEFLATE: measured on card
 * claim sets of 60–130 bytes in Latin, Arabic, Cyrillic, Vietnamese and Han
 * names, deflate never saved enough to pay for `"zip":"DEF"` in the header
 * (src/credential/README.md).
 */
export const MIN_DEFLATE_BYTES = 160;

async function compact(header: { alg: string; kid: string; zip?: string }, body: Uint8Array, signer: Signer): Promise<string> {
  if (signer.signBytes) {
    const input = `${b64uEncode(utf8.encode(JSON.stringify(header)))}.${b64uEncode(body)}`;
    return `${input}.${b64uEncode(await signer.signBytes(utf8.encode(input)))}`;
  }
  return new CompactSign(body).setProtectedHeader(header).sign(signer.privateKey);
}

/**
 * Signs a card: claims → compact JWS (EdDSA, short kid, deflate only if it helps).
 * @example const jws = await signCard(claims, await generateSigningKey())
 */
export async function signCard(claims: CardClaims, signer: Signer, opts: SignOptions = {}): Promise<string> {
  return signCompact(toPayload(claims), signer, credentialKid(signer, opts.kidLength));
}

/**
 * Signs a card and returns the text to put in its QR code (`LCC1:` + digits).
 * @example QRCode.create(qrSegments(await issueCardQrText(claims, key)), { errorCorrectionLevel: 'M' })
 */
export async function issueCardQrText(claims: CardClaims, signer: Signer, opts: SignOptions = {}): Promise<string> {
  return toQrText(await signCard(claims, signer, opts));
}
