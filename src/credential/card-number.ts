/**
 * Card numbers: 10 characters of Crockford base32 (no I, L, O, U), 9 random
 * (45 bits) and 1 check character, shown as `7KQ4-M2XD-9R`.
 *
 * Check character (Damm's construction over a field): with the interim value
 * c starting at 0, each symbol x gives c ← a·c ⊕ x in GF(32) (polynomial
 * x⁵+x²+1, a = 2); the check symbol makes the final c zero. Since a ≠ 0 each
 * step is a bijection, so any single substitution changes the result; since
 * a ≠ 1, (c∘x)∘y = (c∘y)∘x only if x = y, so any swap of two different
 * adjacent characters is caught (the check character included). The tests
 * prove both exhaustively over a sample.
 */

/** Crockford's base32 alphabet. */
export const CARD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CARD_NUMBER_LENGTH = 10;

const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < CARD_ALPHABET.length; i++) VALUE[CARD_ALPHABET.charCodeAt(i)] = i;
// Crockford decoding: the letters that look like digits read as those digits.
VALUE['O'.charCodeAt(0)] = 0;
VALUE['I'.charCodeAt(0)] = 1;
VALUE['L'.charCodeAt(0)] = 1;

/** Multiplication by a = 2 in GF(2⁵) modulo x⁵ + x² + 1. */
function times2(c: number): number {
  const d = c << 1;
  return d & 32 ? d ^ 0b100101 : d;
}

function interim(values: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < values.length; i++) c = times2(c) ^ values[i]!;
  return c;
}

/** The check character for 9 data characters (canonical alphabet). */
export function checkCharacter(data: string): string {
  const values = [...data].map((ch) => VALUE[ch.charCodeAt(0)] ?? -1);
  if (values.some((v) => v < 0)) throw new RangeError('not Crockford base32');
  // Final step: times2(c) ^ check = 0  ⇒  check = times2(c).
  return CARD_ALPHABET[times2(interim(values))]!;
}

/**
 * A new card number from an injected random source (e.g. `crypto.getRandomValues`).
 * @example generateCardNumber((n) => crypto.getRandomValues(new Uint8Array(n))) // '7KQ4M2XD9R'
 */
export function generateCardNumber(random: (n: number) => Uint8Array): string {
  const bytes = random(CARD_NUMBER_LENGTH - 1);
  if (bytes.length !== CARD_NUMBER_LENGTH - 1) throw new RangeError('random source returned the wrong length');
  // 256 is a multiple of 32: the low 5 bits of a uniform byte are uniform.
  let data = '';
  for (const b of bytes) data += CARD_ALPHABET[b & 31];
  return data + checkCharacter(data);
}

/**
 * The canonical form (10 uppercase characters, no separators) of what a person
 * typed, or null when it cannot be a card number. Accepts lowercase, spaces,
 * hyphens, and O/I/L for 0/1/1. Does not check the check character.
 * @example normalizeCardNumber('7kq4 m2xd-9r') // '7KQ4M2XD9R'
 */
export function normalizeCardNumber(input: string): string | null {
  if (typeof input !== 'string' || input.length > 40) return null;
  const stripped = input.toUpperCase().replace(/[\s-]+/g, '');
  if (stripped.length !== CARD_NUMBER_LENGTH) return null;
  let out = '';
  for (let i = 0; i < stripped.length; i++) {
    const c = stripped.charCodeAt(i);
    const v = c < 128 ? VALUE[c]! : -1;
    if (v < 0) return null;
    out += CARD_ALPHABET[v];
  }
  return out;
}

/**
 * True when the input normalizes to a card number with a correct check character.
 * @example isValidCardNumber('7KQ4-M2XD-9R')
 */
export function isValidCardNumber(input: string): boolean {
  const n = normalizeCardNumber(input);
  if (n === null) return false;
  return interim([...n].map((ch) => VALUE[ch.charCodeAt(0)]!)) === 0;
}

/**
 * Display form in groups of 4-4-2.
 * @example formatCardNumber('7KQ4M2XD9R') // '7KQ4-M2XD-9R'
 */
export function formatCardNumber(input: string): string {
  const n = normalizeCardNumber(input);
  if (n === null) throw new RangeError('not a card number');
  return `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`;
}
