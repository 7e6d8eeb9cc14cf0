/**
 * CBOR (RFC 8949). Writing goes through `cbor2`. Reading — what a verifier
 * does with hostile bytes, several times per card — goes through the strict
 * reader below: cbor2's decoder costs ~90 µs per call whatever the input
 * size (measured on Node 20 here; three calls per card), more than the
 * Ed25519 check it precedes, and the verifier must run at ≥ 0.8 of raw
 * signature speed (src/credential/README.md). The reader accepts only the
 * subset credentials use, in its strict form: definite lengths, shortest
 * arguments, no duplicate map keys, integers within ±2^53, text as valid
 * UTF-8, tags kept as cbor2 `Tag`s (never turned into Dates or URLs), false,
 * true and null; no floats, no undefined, a depth cap, no trailing bytes.
 * The tests decode every vector with cbor2 too and compare.
 */
import { Tag, encode } from 'cbor2';
import { CredentialError } from './errors.js';

export { Tag };

/** A COSE_Sign1 and a CWT nest five levels (tag → tag → array → map → map → map): 8 is ample. */
export const MAX_CBOR_DEPTH = 8;

/**
 * Encodes a value with cbor2; maps keep their insertion order (callers insert
 * keys in ascending order, which is RFC 8949 §4.2.1 order for the integer keys used).
 * @example encodeCbor(new Map([[1, 'https://id.example']])) // a1 01 72 …
 */
export function encodeCbor(value: unknown): Uint8Array {
  return encode(value).slice();
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class Reader {
  at = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
    readonly maxDepth: number,
  ) {}

  fail(why: string): never {
    throw new CredentialError('malformed', `${this.what} is not strict CBOR: ${why}`);
  }

  /** The argument of a head (RFC 8949 §3), in shortest form only. */
  argument(info: number): number {
    if (info < 24) return info;
    const b = this.bytes;
    let n: number;
    if (info === 24) {
      if (this.at + 1 > b.length) this.fail('truncated');
      n = b[this.at++]!;
      if (n < 24) this.fail('non-shortest argument');
    } else if (info === 25) {
      if (this.at + 2 > b.length) this.fail('truncated');
      n = (b[this.at]! << 8) | b[this.at + 1]!;
      this.at += 2;
      if (n < 0x100) this.fail('non-shortest argument');
    } else if (info === 26) {
      if (this.at + 4 > b.length) this.fail('truncated');
      n = ((b[this.at]! << 24) >>> 0) + ((b[this.at + 1]! << 16) | (b[this.at + 2]! << 8) | b[this.at + 3]!);
      this.at += 4;
      if (n < 0x10000) this.fail('non-shortest argument');
    } else if (info === 27) {
      if (this.at + 8 > b.length) this.fail('truncated');
      const hi = ((b[this.at]! << 24) >>> 0) + ((b[this.at + 1]! << 16) | (b[this.at + 2]! << 8) | b[this.at + 3]!);
      const lo = ((b[this.at + 4]! << 24) >>> 0) + ((b[this.at + 5]! << 16) | (b[this.at + 6]! << 8) | b[this.at + 7]!);
      this.at += 8;
      if (hi === 0) this.fail('non-shortest argument');
      if (hi > 0x1fffff) this.fail('integer beyond 2^53');
      n = hi * 0x1_0000_0000 + lo;
    } else {
      return this.fail(info === 31 ? 'indefinite length' : 'reserved additional information');
    }
    return n;
  }

  take(n: number): Uint8Array {
    if (n > this.bytes.length - this.at) this.fail('truncated');
    this.at += n;
    return this.bytes.subarray(this.at - n, this.at);
  }

  item(depth: number): unknown {
    if (depth > this.maxDepth) this.fail(`nested deeper than ${this.maxDepth}`);
    if (this.at >= this.bytes.length) this.fail('truncated');
    const head = this.bytes[this.at++]!;
    const major = head >> 5;
    const info = head & 31;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      return this.fail('float, undefined or simple value');
    }
    const n = this.argument(info);
    switch (major) {
      case 0:
        return n;
      case 1:
        return -1 - n;
      case 2:
        return this.take(n).slice();
      case 3:
        try {
          return utf8.decode(this.take(n));
        } catch (e) {
          if (e instanceof CredentialError) throw e;
          return this.fail('invalid UTF-8');
        }
      case 4: {
        if (n > this.bytes.length - this.at) this.fail('truncated');
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = this.item(depth + 1);
        return out;
      }
      case 5: {
        if (n * 2 > this.bytes.length - this.at) this.fail('truncated');
        const out = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const key = this.item(depth + 1);
          if (typeof key !== 'number' && typeof key !== 'string') this.fail('a map key that is not an integer or text');
          if (out.has(key)) this.fail('duplicate map key');
          out.set(key, this.item(depth + 1));
        }
        return out;
      }
      default:
        return new Tag(n, this.item(depth + 1));
    }
  }
}

/**
 * Decodes one CBOR item strictly (see the module comment for what is refused).
 * @throws CredentialError `malformed`
 * @example decodeCbor(Uint8Array.of(0xa1, 0x01, 0x02), 'claims') // Map { 1 => 2 }
 */
export function decodeCbor(bytes: Uint8Array, what: string, maxDepth = MAX_CBOR_DEPTH): unknown {
  const r = new Reader(bytes, what, maxDepth);
  const v = r.item(0);
  if (r.at !== bytes.length) r.fail('bytes after the item');
  return v;
}

/** Whether a decoded value is a map. */
export function isCborMap(v: unknown): v is Map<unknown, unknown> {
  return v instanceof Map;
}
