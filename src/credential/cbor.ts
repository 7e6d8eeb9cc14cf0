/**
 * The smallest CBOR (RFC 8949) this package needs: one map from small unsigned
 * integer labels to unsigned integers, text or byte strings, in the core
 * deterministic encoding of RFC 8949 §4.2.1 (shortest arguments, definite
 * lengths, keys in ascending order). The decoder accepts exactly that encoding
 * and nothing else, so a payload has one and only one byte form.
 *
 * Why CBOR and not JSON: see README.md "Why the payload is CBOR" — a JSON
 * claim set cannot fit QR version 10-M beside an Ed25519 signature.
 */
import { CredentialError } from './errors.js';

export type CborValue = number | string | Uint8Array;
/** Label → value; labels 0…23 (one byte each). */
export type CborMap = Map<number, CborValue>;

const MAX_UINT = 0xffffffff;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function head(major: number, n: number, out: number[]): void {
  const m = major << 5;
  if (n < 24) out.push(m | n);
  else if (n < 0x100) out.push(m | 24, n);
  else if (n < 0x10000) out.push(m | 25, n >> 8, n & 0xff);
  else out.push(m | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

/**
 * Encodes a label map deterministically.
 * @example encodeCborMap(new Map([[1, 'x']])) // Uint8Array [0xa1, 0x01, 0x61, 0x78]
 */
export function encodeCborMap(map: CborMap): Uint8Array {
  const labels = [...map.keys()].sort((a, b) => a - b);
  if (labels.length > 23) throw new RangeError('too many labels');
  const out: number[] = [];
  head(5, labels.length, out);
  for (const label of labels) {
    if (!Number.isInteger(label) || label < 0 || label > 23) throw new RangeError(`bad label ${label}`);
    head(0, label, out);
    const v = map.get(label)!;
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 0 || v > MAX_UINT) throw new RangeError(`label ${label}: not a uint32`);
      head(0, v, out);
    } else if (typeof v === 'string') {
      const b = utf8.encode(v);
      head(3, b.length, out);
      for (const x of b) out.push(x);
    } else {
      head(2, v.length, out);
      for (const x of v) out.push(x);
    }
  }
  return Uint8Array.from(out);
}

/**
 * Decodes a map written by {@link encodeCborMap}; refuses every other byte form.
 * @throws CredentialError `malformed`
 * @example decodeCborMap(Uint8Array.of(0xa1, 0x01, 0x02)).get(1) // 2
 */
export function decodeCborMap(bytes: Uint8Array): CborMap {
  let p = 0;
  const bad = (why: string): never => {
    throw new CredentialError('malformed', `payload: ${why}`);
  };
  const readHead = (): { major: number; n: number } => {
    if (p >= bytes.length) bad('truncated');
    const b = bytes[p++]!;
    const major = b >> 5;
    const info = b & 31;
    let n: number;
    if (info < 24) n = info;
    else if (info === 24) {
      if (p + 1 > bytes.length) bad('truncated');
      n = bytes[p++]!;
      if (n < 24) bad('non-shortest integer');
    } else if (info === 25) {
      if (p + 2 > bytes.length) bad('truncated');
      n = (bytes[p]! << 8) | bytes[p + 1]!;
      p += 2;
      if (n < 0x100) bad('non-shortest integer');
    } else if (info === 26) {
      if (p + 4 > bytes.length) bad('truncated');
      n = bytes[p]! * 0x1000000 + ((bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!);
      p += 4;
      if (n < 0x10000) bad('non-shortest integer');
    } else return bad('unsupported length');
    return { major, n };
  };
  const top = readHead();
  if (top.major !== 5) bad('not a map');
  const map: CborMap = new Map();
  let last = -1;
  for (let i = 0; i < top.n; i++) {
    const k = readHead();
    if (k.major !== 0 || k.n > 23) bad('bad label');
    if (k.n <= last) bad('labels not in ascending order');
    last = k.n;
    const v = readHead();
    if (v.major === 0) map.set(k.n, v.n);
    else if (v.major === 2 || v.major === 3) {
      if (p + v.n > bytes.length) bad('truncated');
      const slice = bytes.subarray(p, p + v.n);
      p += v.n;
      if (v.major === 2) map.set(k.n, slice.slice());
      else {
        try {
          map.set(k.n, strictUtf8.decode(slice));
        } catch {
          bad('invalid UTF-8');
        }
      }
    } else bad('unsupported value type');
  }
  if (p !== bytes.length) bad('trailing bytes');
  return map;
}
