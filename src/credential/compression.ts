/**
 * The compression layer of a Claim 169 QR code: zlib (RFC 1950) on write;
 * on read zlib, or Brotli when the first byte is not zlib's (spec v1.2.2:
 * "no zlib magic number means Brotli"). Every read is capped: a 2 kB input
 * cannot make more than `max` bytes of output (zlib bomb), bytes after the
 * zlib stream are refused, and the Adler-32 checksum is checked.
 *
 * Brotli has no decoder in browsers' JavaScript (DecompressionStream has no
 * "br") and none in fflate, so it is pluggable: the server and the CLI pass
 * `node:zlib`'s (src/modules/verification/node-brotli.ts); without one a
 * Brotli text reads `malformed`.
 */
import { unzlibSync, zlibSync } from 'fflate';
import { CredentialError } from './errors.js';

/** Largest compressed input read: a version-40 QR holds 4,296 Base45 characters, 2,864 bytes. */
export const MAX_COMPRESSED_BYTES = 2_900;

/** `(data, max) => bytes`: inflates Brotli, returning at most `max + 1` bytes (more means too large). */
export type BrotliDecompress = (data: Uint8Array, max: number) => Uint8Array;

function bad(why: string): never {
  throw new CredentialError('malformed', why);
}

/**
 * zlib at level 9.
 * @example zlibCompress(cose) // 78 da …
 */
export function zlibCompress(bytes: Uint8Array): Uint8Array {
  return zlibSync(bytes, { level: 9 });
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib header (RFC 1950 §2.2): deflate, window ≤ 32 KiB, check bits, no preset dictionary. */
export function isZlibHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  const cmf = bytes[0]!;
  const flg = bytes[1]!;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0 && (flg & 0x20) === 0;
}

let scratchBuffer = new Uint8Array(0);
/** A reused buffer for the inflate whose output is thrown away. */
function scratch(n: number): Uint8Array {
  if (scratchBuffer.length < n) scratchBuffer = new Uint8Array(n);
  return scratchBuffer.subarray(0, n);
}

function inflateZlib(data: Uint8Array, max: number): Uint8Array {
  if (data.length < 7) bad('zlib stream too short');
  let out: Uint8Array;
  try {
    // A fixed output buffer: fflate writes no further than max + 1 bytes.
    out = unzlibSync(data, { out: new Uint8Array(max + 1) });
  } catch {
    return bad('zlib stream does not inflate');
  }
  if (out.length > max) bad('inflated payload too large');
  // fflate's one-shot inflate stops at the final block and ignores what
  // follows (before the 4 Adler-32 bytes); the stream one byte shorter must
  // then fail, or there were bytes after it. That failure is the normal case,
  // so its Error is made without a stack trace (the trace is most of its cost).
  const limit = Error.stackTraceLimit;
  let truncatedInflates = true;
  try {
    Error.stackTraceLimit = 0;
    unzlibSync(data.subarray(0, data.length - 1), { out: scratch(max + 1) });
  } catch {
    truncatedInflates = false;
  } finally {
    Error.stackTraceLimit = limit;
  }
  if (truncatedInflates) bad('bytes after the zlib stream');
  const n = data.length;
  const stored = ((data[n - 4]! << 24) | (data[n - 3]! << 16) | (data[n - 2]! << 8) | data[n - 1]!) >>> 0;
  if (stored !== adler32(out)) bad('zlib checksum');
  return out;
}

/**
 * Decompresses a QR code's bytes: zlib when they start with a zlib header,
 * else Brotli through `brotli` (malformed without one).
 * @throws CredentialError `malformed`
 * @example decompress(base45Decode(text), 1024)
 */
export function decompress(data: Uint8Array, max: number, brotli?: BrotliDecompress): Uint8Array {
  if (data.length > MAX_COMPRESSED_BYTES) bad('compressed payload too long');
  if (isZlibHeader(data)) return inflateZlib(data, max);
  if (!brotli) bad('not zlib, and no Brotli decoder here');
  let out: Uint8Array;
  try {
    out = brotli(data, max);
  } catch {
    return bad('neither zlib nor Brotli');
  }
  if (out.length > max) bad('inflated payload too large');
  return out;
}
