/**
 * Strict base64url (RFC 4648 §5, no padding), as JWS requires (RFC 7515 §2).
 * Decoding refuses non-canonical text (non-zero trailing bits), so that no two
 * QR texts decode to the same signature: every changed character must fail.
 */
import { CredentialError } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** @example b64uEncode(new Uint8Array([255])) // '_w' */
export function b64uEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/** Length of the base64url text for `n` bytes. */
export function b64uLength(n: number): number {
  return Math.ceil((n * 4) / 3);
}

/**
 * @throws CredentialError `malformed` on any character outside base64url, a
 * length that cannot occur (4k+1) or non-zero padding bits.
 * @example b64uDecode('_w') // Uint8Array [255]
 */
export function b64uDecode(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new CredentialError('malformed', 'base64url length');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) throw new CredentialError('malformed', 'not base64url');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) {
    throw new CredentialError('malformed', 'non-canonical base64url');
  }
  return out;
}
