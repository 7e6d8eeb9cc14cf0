/**
 * QR text: the COSE_Sign1, zlib-compressed, in Base45 (Claim 169 spec
 * v1.2.2 §3.2.1), with no prefix, for a QR code in alphanumeric mode (Base45
 * is exactly QR's alphanumeric alphabet: 5.5 bits a character).
 */
import { base45Decode, base45Encode } from './base45-codec.js';
import { type BrotliDecompress, decompress, zlibCompress } from './compression.js';
import { CredentialError } from './errors.js';

/** Longest QR text read before any work: a version-40 QR holds 4,296 alphanumeric characters. */
export const MAX_QR_TEXT_LENGTH = 4_296;
/** Largest COSE_Sign1 accepted after decompression: a card is ~250 bytes; this bounds a zlib bomb. */
export const MAX_COSE_BYTES = 2_048;

/**
 * COSE_Sign1 bytes → QR text.
 * @example toQrText(cose) // 'NCFOXN%TS3DH…'
 */
export function toQrText(cose: Uint8Array): string {
  return base45Encode(zlibCompress(cose));
}

/**
 * QR text → COSE_Sign1 bytes. A leading `#` (the verifier page's address
 * fragment) is dropped; anything else outside Base45 is refused.
 * @throws CredentialError `malformed`
 * @example parseSign1(fromQrText(text))
 */
export function fromQrText(text: string, brotli?: BrotliDecompress): Uint8Array {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_QR_TEXT_LENGTH + 1) {
    throw new CredentialError('malformed', 'QR text missing or too long');
  }
  const t = text.startsWith('#') ? text.slice(1) : text;
  return decompress(base45Decode(t), MAX_COSE_BYTES, brotli);
}

/**
 * The one segment to hand to `qrcode`: the whole text in alphanumeric mode.
 * @example QRCode.create(qrSegments(text), { errorCorrectionLevel: 'M' })
 */
export function qrSegments(text: string): Array<{ data: string; mode: 'alphanumeric' }> {
  return [{ data: text, mode: 'alphanumeric' }];
}
