/**
 * Reading a credential without verifying it: for tools (the CLI's
 * `credential:check` prints what the card says beside the result) and for
 * code that reads back what it issued itself.
 */
import type { BrotliDecompress } from './compression.js';
import { type ParsedSign1, parseSign1 } from './cose.js';
import { type CwtClaims, decodeCwt } from './cwt.js';
import { fromQrText } from './qr-text.js';

export interface InspectedCredential {
  sign1: ParsedSign1;
  cwt: CwtClaims;
}

/**
 * QR text → the COSE_Sign1 and its CWT claims, unverified.
 * @throws CredentialError `malformed` or `unsupported_algorithm`
 * @example inspectCredential(text).cwt.identity?.fullName
 */
export function inspectCredential(text: string, brotli?: BrotliDecompress): InspectedCredential {
  const sign1 = parseSign1(fromQrText(text, brotli));
  return { sign1, cwt: decodeCwt(sign1.payload) };
}
