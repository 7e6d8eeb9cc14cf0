/**
 * Issuing side: claims → CWT → COSE_Sign1 (EdDSA, kid in the protected
 * header) → zlib → Base45 (DESIGN.md "Credential (v2)").
 */
import { type CardClaims, toCwtClaims } from './claims.js';
import { encodeCbor } from './cbor.js';
import { encodeSign1, protectedHeader, sigStructure } from './cose.js';
import { type CwtClaims, encodeCwt } from './cwt.js';
import { COSE_KID_BYTES, type Signer, coseKid } from './keys.js';
import { toQrText } from './qr-text.js';

export interface SignOptions {
  /** Thumbprint bytes put in the COSE `kid`; default {@link COSE_KID_BYTES} (4), up to 32. */
  kidBytes?: number;
}

/** Signs bytes with the signer: its `signBytes`, else WebCrypto on a CryptoKey. */
export async function signRaw(signer: Signer, data: Uint8Array): Promise<Uint8Array> {
  if (signer.signBytes) return new Uint8Array(await signer.signBytes(data));
  const key = signer.privateKey as CryptoKey;
  if (typeof key !== 'object' || key === null || !('algorithm' in key)) throw new TypeError('a signer whose key is not a WebCrypto CryptoKey needs signBytes');
  const params = signer.alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
  return new Uint8Array(await crypto.subtle.sign(params, key, data as Uint8Array<ArrayBuffer>));
}

/**
 * Signs CWT claims as a COSE_Sign1 and returns its bytes.
 * @example const cose = await signCwt({ iss, exp, nbf, identity }, key)
 */
export async function signCwt(claims: CwtClaims, signer: Signer, opts: SignOptions = {}): Promise<Uint8Array> {
  const prot = protectedHeader(signer.alg, coseKid(signer.kid, opts.kidBytes ?? COSE_KID_BYTES));
  const payload = encodeCbor(encodeCwt(claims));
  const signature = await signRaw(signer, sigStructure(prot, payload));
  return encodeSign1(prot, payload, signature);
}

/**
 * Signs a card: claims → COSE_Sign1 bytes.
 * @example const cose = await signCard(claims, await generateSigningKey())
 */
export async function signCard(claims: CardClaims, signer: Signer, opts: SignOptions = {}): Promise<Uint8Array> {
  return signCwt(toCwtClaims(claims), signer, opts);
}

/**
 * Signs a card and returns the text of its QR code (Base45, alphanumeric mode).
 * @example QRCode.create(qrSegments(await issueCardQrText(claims, key)), { errorCorrectionLevel: 'M' })
 */
export async function issueCardQrText(claims: CardClaims, signer: Signer, opts: SignOptions = {}): Promise<string> {
  return toQrText(await signCard(claims, signer, opts));
}
