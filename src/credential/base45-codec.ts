/**
 * Base45 (RFC 9285), the text a Claim 169 QR code carries in alphanumeric
 * mode. Encoding uses the `base45` package. Decoding is done here because
 * that package's decoder neither refuses characters outside the alphabet
 * nor values above 65535 (it silently returns wrong bytes) and returns a Node
 * `Buffer`, which the browser verifier does not have.
 */
import { encode } from 'base45';
import { CredentialError } from './errors.js';

export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE45_ALPHABET.length; i++) VALUE[BASE45_ALPHABET.charCodeAt(i)] = i;

/**
 * Bytes → Base45 text.
 * @example base45Encode(new TextEncoder().encode('AB')) // 'BB8'
 */
export function base45Encode(bytes: Uint8Array): string {
  return encode(bytes);
}

function bad(why: string): never {
  throw new CredentialError('malformed', `Base45: ${why}`);
}

/**
 * Base45 text → bytes, refusing any character outside the 45-character
 * alphabet, a length of 3n+1, and any triple above 65535 or pair above 255
 * (RFC 9285 §4.2), so that one text decodes to one byte string.
 * @throws CredentialError `malformed`
 * @example base45Decode('BB8') // Uint8Array [65, 66]
 */
export function base45Decode(text: string): Uint8Array {
  const n = text.length;
  if (n % 3 === 1) bad('length');
  const out = new Uint8Array(Math.floor(n / 3) * 2 + (n % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    const x = value(text, i) + value(text, i + 1) * 45 + value(text, i + 2) * 2025;
    if (x > 0xffff) bad('triple above 65535');
    out[o++] = x >> 8;
    out[o++] = x & 0xff;
  }
  if (i < n) {
    const x = value(text, i) + value(text, i + 1) * 45;
    if (x > 0xff) bad('pair above 255');
    out[o] = x;
  }
  return out;
}

function value(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const v = c < 128 ? VALUE[c]! : -1;
  return v < 0 ? bad(`character ${JSON.stringify(text[i])} at ${i}`) : v;
}
