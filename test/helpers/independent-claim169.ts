/**
 * A second reader of Claim 169 QR texts, written for the tests and sharing
 * nothing with src/credential: its own Base45 and CBOR decoders (RFC 9285,
 * RFC 8949, by hand), node:zlib for inflation, @noble/curves for Ed25519.
 * It reads every card the suites issue (test/helpers/cards.ts), so the
 * product's codec cannot drift from the standard unnoticed.
 */
import { inflateSync } from 'node:zlib';
import { ed25519 } from '@noble/curves/ed25519.js';

const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export function base45(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 3) {
    const v = [...text.slice(i, i + 3)].map((c) => {
      const n = B45.indexOf(c);
      if (n < 0) throw new Error(`not Base45: ${c}`);
      return n;
    });
    if (v.length === 3) {
      const x = v[0]! + v[1]! * 45 + v[2]! * 2025;
      out.push(x >> 8, x & 0xff);
    } else if (v.length === 2) out.push(v[0]! + v[1]! * 45);
    else throw new Error('Base45 length');
  }
  return Uint8Array.from(out);
}

export class Tagged {
  constructor(
    readonly tag: number,
    readonly value: unknown,
  ) {}
}

/** A minimal CBOR decoder: integers, byte and text strings, arrays, maps, tags, simple values. */
export function cbor(bytes: Uint8Array): unknown {
  let at = 0;
  const arg = (ai: number): number => {
    if (ai < 24) return ai;
    const n = ai === 24 ? 1 : ai === 25 ? 2 : ai === 26 ? 4 : ai === 27 ? 8 : -1;
    if (n < 0) throw new Error('indefinite length');
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + bytes[at++]!;
    return v;
  };
  const item = (): unknown => {
    if (at >= bytes.length) throw new Error('truncated');
    const b = bytes[at++]!;
    const major = b >> 5;
    const n = arg(b & 31);
    switch (major) {
      case 0:
        return n;
      case 1:
        return -1 - n;
      case 2:
        at += n;
        return bytes.slice(at - n, at);
      case 3:
        at += n;
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes.slice(at - n, at));
      case 4:
        return Array.from({ length: n }, item);
      case 5: {
        const m = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) m.set(item(), item());
        return m;
      }
      case 6:
        return new Tagged(n, item());
      default:
        if ((b & 31) === 20) return false;
        if ((b & 31) === 21) return true;
        if ((b & 31) === 22) return null;
        throw new Error('unsupported simple value');
    }
  };
  const v = item();
  if (at !== bytes.length) throw new Error('trailing bytes');
  return v;
}

function encodeHead(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 256) return [(major << 5) | 24, n];
  if (n < 65536) return [(major << 5) | 25, n >> 8, n & 0xff];
  return [(major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** The Sig_structure, encoded by hand: ["Signature1", protected, h'', payload]. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return Uint8Array.from([
    0x84,
    ...encodeHead(3, 10),
    ...new TextEncoder().encode('Signature1'),
    ...encodeHead(2, protectedBytes.length),
    ...protectedBytes,
    0x40,
    ...encodeHead(2, payload.length),
    ...payload,
  ]);
}

export interface IndependentReading {
  /** Protected header (alg -8, kid bytes). */
  protectedHeader: Map<unknown, unknown>;
  /** CWT claims by integer key; 169 is the identity map. */
  claims: Map<unknown, unknown>;
  identity: Map<unknown, unknown>;
  /** Ed25519 verifies with `publicKey` (when given). */
  signatureValid?: boolean;
}

/**
 * Reads a Claim 169 QR text: Base45 → zlib → COSE_Sign1 (tags 61/18
 * optional) → CWT → claim 169, and checks the Ed25519 signature with
 * `publicKey` (32 raw bytes) when given.
 * @example readClaim169(qr, Buffer.from(jwk.x, 'base64url')).identity.get(4) // the printed name
 */
export function readClaim169(text: string, publicKey?: Uint8Array): IndependentReading {
  const compressed = base45(text);
  if (compressed[0] !== 0x78) throw new Error('not zlib');
  let cose = cbor(new Uint8Array(inflateSync(compressed)));
  if (cose instanceof Tagged && cose.tag === 61) cose = cose.value;
  if (cose instanceof Tagged && cose.tag === 18) cose = cose.value;
  if (!Array.isArray(cose) || cose.length !== 4) throw new Error('not a COSE_Sign1');
  const [p, , payload, signature] = cose as [Uint8Array, unknown, Uint8Array, Uint8Array];
  const protectedHeader = cbor(p) as Map<unknown, unknown>;
  const claims = cbor(payload) as Map<unknown, unknown>;
  let identity = claims.get(169);
  if (identity instanceof Uint8Array) identity = cbor(identity);
  if (!(identity instanceof Map)) throw new Error('no claim 169');
  const out: IndependentReading = { protectedHeader, claims, identity };
  if (publicKey) out.signatureValid = protectedHeader.get(1) === -8 && ed25519.verify(signature, sigStructure(p, payload), publicKey);
  return out;
}

/** A minimal CBOR encoder (integers, text, bytes, arrays, Maps, Tagged), by hand: the writer side of this independent implementation. */
export function encode(v: unknown): Uint8Array {
  const out: number[] = [];
  const put = (x: unknown): void => {
    if (typeof x === 'number') out.push(...(x >= 0 ? encodeHead(0, x) : encodeHead(1, -1 - x)));
    else if (typeof x === 'string') {
      const b = new TextEncoder().encode(x);
      out.push(...encodeHead(3, b.length), ...b);
    } else if (x instanceof Uint8Array) out.push(...encodeHead(2, x.length), ...x);
    else if (Array.isArray(x)) {
      out.push(...encodeHead(4, x.length));
      x.forEach(put);
    } else if (x instanceof Map) {
      out.push(...encodeHead(5, x.size));
      for (const [k, val] of x) {
        put(k);
        put(val);
      }
    } else if (x instanceof Tagged) {
      out.push(...encodeHead(6, x.tag));
      put(x.value);
    } else throw new Error(`cannot encode ${String(x)}`);
  };
  put(v);
  return Uint8Array.from(out);
}

export function base45Encode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      const x = bytes[i]! * 256 + bytes[i + 1]!;
      s += B45[x % 45]! + B45[Math.floor(x / 45) % 45]! + B45[Math.floor(x / 2025)]!;
    } else s += B45[bytes[i]! % 45]! + B45[Math.floor(bytes[i]! / 45)]!;
  }
  return s;
}
