/**
 * A booking's reference and PIN. The reference is 40 random bits in
 * Crockford base32 (no I, L, O, U: read aloud over a phone without doubt);
 * the PIN is 6 digits, kept only as an HMAC under a key derived from
 * MASTER_KEY, so a stolen database alone cannot test the million PINs.
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_PATTERN = '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$';
export const PIN_PATTERN = '^[0-9]{6}$';

export function newReference(): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = ALPHABET[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

export const newPin = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export function pinHasher(pepper: Buffer) {
  const hash = (reference: string, pin: string) => createHmac('sha256', pepper).update(`${reference}\n${pin}`).digest('base64url');
  return {
    hash,
    matches: (reference: string, pin: string, stored: string) => {
      const a = Buffer.from(hash(reference, pin));
      const b = Buffer.from(stored);
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}
