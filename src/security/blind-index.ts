/**
 * Keyed blind indexes: HMAC-SHA256 of a normalised value under a key derived
 * from MASTER_KEY, truncated to 16 bytes. Equal values give equal indexes, so
 * look-ups work, yet a copy of the database without the key reveals nothing
 * (and a dictionary attack needs the key). One domain label per field keeps
 * a name's index from matching a birth date's.
 */
import { createHmac } from 'node:crypto';
import { deriveKey } from './derive.js';

export type BlindIndex = (domain: string, value: string) => string;

/** Case-, accent- and spacing-insensitive form of a name, for matching. */
export function normaliseForIndex(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('und')
    .replace(/[\s\p{P}]+/gu, ' ')
    .trim();
}

export function createBlindIndex(master: Buffer): BlindIndex {
  const key = deriveKey(master, 'blind-index');
  return (domain, value) =>
    createHmac('sha256', key).update(`${domain}\u0000${value}`).digest().subarray(0, 16).toString('hex');
}
