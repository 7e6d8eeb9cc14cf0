import { describe, expect, it } from 'vitest';
import {
  CARD_ALPHABET,
  checkCharacter,
  formatCardNumber,
  generateCardNumber,
  isValidCardNumber,
  normalizeCardNumber,
} from '../../../src/credential/index.js';

/** Deterministic pseudo-random bytes (xorshift32), so the sample is reproducible. */
function seeded(seed: number): (n: number) => Uint8Array {
  let s = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      out[i] = s & 0xff;
    }
    return out;
  };
}

describe('card numbers', () => {
  const random = seeded(20260615);
  const sample = Array.from({ length: 300 }, () => generateCardNumber(random));

  it('are 10 Crockford base32 characters with a valid check character', () => {
    for (const n of sample) {
      expect(n).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{10}$/);
      expect(isValidCardNumber(n)).toBe(true);
      expect(n.slice(9)).toBe(checkCharacter(n.slice(0, 9)));
    }
  });

  it('catch every single-character substitution (exhaustive over the sample)', () => {
    let tried = 0;
    for (const n of sample) {
      for (let i = 0; i < n.length; i++) {
        for (const c of CARD_ALPHABET) {
          if (c === n[i]) continue;
          const typo = n.slice(0, i) + c + n.slice(i + 1);
          expect(isValidCardNumber(typo), `${n} → ${typo}`).toBe(false);
          tried++;
        }
      }
    }
    expect(tried).toBe(sample.length * 10 * 31);
  });

  it('catch every swap of two different adjacent characters, check character included', () => {
    let tried = 0;
    for (const n of sample) {
      for (let i = 0; i + 1 < n.length; i++) {
        if (n[i] === n[i + 1]) continue;
        const swapped = n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2);
        expect(isValidCardNumber(swapped), `${n} → ${swapped}`).toBe(false);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(sample.length * 8);
  });

  it('catch every adjacent swap for every pair of symbols at every position', () => {
    // Independent of the sample: all 32×31 ordered pairs, at each of the 9 positions.
    const base = generateCardNumber(seeded(7));
    for (let i = 0; i + 1 < 10; i++) {
      for (const a of CARD_ALPHABET) {
        for (const b of CARD_ALPHABET) {
          if (a === b) continue;
          const head = base.slice(0, i) + a + b + base.slice(i + 2, 9);
          const valid = i + 1 < 9 ? head.slice(0, 9) + checkCharacter(head.slice(0, 9)) : base.slice(0, i) + a + b;
          if (!isValidCardNumber(valid)) continue; // (i = 8: b is the check character, only one b works)
          const swapped = valid.slice(0, i) + valid[i + 1] + valid[i] + valid.slice(i + 2);
          expect(isValidCardNumber(swapped)).toBe(false);
        }
      }
    }
  });

  it('normalize what people type: lowercase, spaces, hyphens, O/I/L', () => {
    const n = sample[0]!;
    const f = formatCardNumber(n);
    expect(f).toMatch(/^.{4}-.{4}-.{2}$/);
    expect(normalizeCardNumber(f)).toBe(n);
    expect(normalizeCardNumber(` ${f.toLowerCase().replace(/-/g, ' ')} `)).toBe(n);
    expect(normalizeCardNumber('0000-1111-00'.replace(/0/g, 'o').replace(/1/g, 'l'))).toBe('0000111100');
    expect(normalizeCardNumber('iIlL')).toBeNull();
    for (const bad of ['', '123', '7KQ4M2XD9RR', '7KQ4M2XD9U', '7KQ4M2XD9*', 'é'.repeat(10)]) {
      expect(normalizeCardNumber(bad)).toBeNull();
      expect(isValidCardNumber(bad)).toBe(false);
    }
  });

  it('take their randomness from the injected source', () => {
    expect(generateCardNumber(seeded(1))).toBe(generateCardNumber(seeded(1)));
    expect(generateCardNumber(() => new Uint8Array(9))).toBe('0000000000');
    expect(() => generateCardNumber(() => new Uint8Array(3))).toThrow();
  });
});
