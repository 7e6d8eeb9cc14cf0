/**
 * The lottery draw, written so anyone can redo it from what is published:
 * the seed (revealed after the draw; its SHA-256 was published before the
 * entries closed) and the entry ids.
 *
 * 1. Sort the entry ids by their UTF-16 code units (they are lowercase hex).
 * 2. A byte stream: block k (k = 0, 1, …) is HMAC-SHA256(key = seed bytes,
 *    message = "lcc-draw/v1/" + decimal k); read it as big-endian uint32s.
 * 3. Fisher–Yates: for i from n−1 down to 1, j = uniform(i + 1), swap i and j;
 *    uniform(m) takes the next uint32 u, rejects it while
 *    u ≥ floor(2^32 / m) · m (no modulo bias), and returns u mod m.
 * 4. The first `places` of the result have a place; the rest form the
 *    waiting list in that order.
 */
import { createHash, createHmac } from 'node:crypto';

function uint32Stream(seed: Buffer): () => number {
  let block = Buffer.alloc(0);
  let k = 0;
  let offset = 0;
  return () => {
    if (offset + 4 > block.length) {
      block = createHmac('sha256', seed).update(`lcc-draw/v1/${k++}`).digest();
      offset = 0;
    }
    const u = block.readUInt32BE(offset);
    offset += 4;
    return u;
  };
}

/** The drawn order of the entries (see the module comment for the algorithm). */
export function drawOrder(seed: Buffer, entryIds: readonly string[]): string[] {
  const order = [...entryIds].sort();
  const next = uint32Stream(seed);
  const uniform = (m: number) => {
    const limit = Math.floor(2 ** 32 / m) * m;
    for (;;) {
      const u = next();
      if (u < limit) return u % m;
    }
  };
  for (let i = order.length - 1; i > 0; i--) {
    const j = uniform(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** What is published before the draw: SHA-256 of the seed, hex. */
export function seedCommitment(seed: Buffer): string {
  return createHash('sha256').update(seed).digest('hex');
}
