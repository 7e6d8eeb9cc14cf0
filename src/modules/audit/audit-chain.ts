/**
 * The hash of one audit entry: SHA-256 over a canonical JSON array of its
 * fields in a fixed order, the previous entry's hash included, so an edit, a
 * deletion or a reordering breaks every later link.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: number;
  at: Date;
  actorId: string | null;
  actorType: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  prevHash: string;
  /** Events summed up by this entry; null (one event) leaves the hash as it was before the column existed. */
  count?: number | null;
}

export function entryHash(e: ChainedFields): string {
  const canonical = JSON.stringify([
    e.seq,
    e.at.toISOString(),
    e.actorId,
    e.actorType,
    e.action,
    e.targetType,
    e.targetId,
    e.outcome,
    e.prevHash,
    // Appended only when set: entries written before `count` existed keep their hashes.
    ...(e.count != null ? [e.count] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
