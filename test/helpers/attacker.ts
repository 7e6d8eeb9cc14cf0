/**
 * Someone who holds MASTER_KEY and a copy of the database (or its pages)
 * and wants a person back after their erasure: every key that can be
 * derived from the master key (every HKDF purpose, the master itself), every
 * resident data key still unwrappable, and every AES-256-GCM layout the
 * service has used, tried on every binary value with every AAD the row
 * could have been sealed under.
 */
import { createDecipheriv, hkdfSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { deriveKey, type KeyPurpose } from '../../src/security/derive.js';
import { createFieldCipher } from '../../src/security/field-cipher.js';
import { tablesOf } from './dump.js';

const PURPOSES: KeyPurpose[] = ['field-encryption', 'blind-index', 'staff-jwt', 'private-key-wrap', 'throttle-index', 'pin-pepper'];

/** A binary value found in the database, and the AADs it may have been sealed under. */
export interface Found {
  where: string;
  blob: Buffer;
  aads: string[];
}

export async function rowsOf(database: Database, table: string): Promise<Array<Record<string, unknown>>> {
  const [s, n] = table.split('.') as [string, string];
  return ((await database.db.execute(sql.raw(`select * from "${s}"."${n}"`))) as unknown as { rows: Array<Record<string, unknown>> }).rows;
}

/** Every bytea of every row of every table, with AAD guesses built from the row's own values. */
export async function everyBlob(database: Database): Promise<Found[]> {
  const out: Found[] = [];
  for (const table of await tablesOf(database)) {
    const name = table.split('.')[1]!;
    for (const row of await rowsOf(database, table)) {
      const values = Object.values(row).filter((v): v is string => typeof v === 'string');
      for (const [column, v] of Object.entries(row)) {
        if (!(v instanceof Uint8Array)) continue;
        out.push({ where: `${name}.${column}`, blob: Buffer.from(v), aads: aadGuesses(name, column, values) });
      }
    }
  }
  return out;
}

export function aadGuesses(table: string, column: string, values: string[]): string[] {
  return ['', ...values.flatMap((v) => [`${table}.${column}:${v}`, `${table}:${v}`, v])];
}

/** Raw 32-byte keys: everything derivable from the master key, plus the resident data keys (and their sealing keys). */
export async function keysFrom(master: Buffer, database: Database, extraResidentKeys: Buffer[] = []): Promise<Buffer[]> {
  const keys = [master];
  for (const p of PURPOSES) for (const v of [1, 2]) keys.push(deriveKey(master, p, v));
  const cipher = createFieldCipher(master);
  const residentKeys = [...extraResidentKeys];
  for (const row of await rowsOf(database, 'public.resident_keys')) {
    residentKeys.push(cipher.decrypt(Buffer.from(row.key as Uint8Array), `resident_keys.key:${row.resident_id as string}`));
  }
  for (const k of residentKeys) {
    keys.push(k);
    for (const purpose of ['fields', 'audit-pseudonym']) keys.push(Buffer.from(hkdfSync('sha256', k, 'lcc/resident-key/v1', purpose, 32)));
  }
  return keys;
}

/** iv, tag and ciphertext offsets of every layout: field cipher v1 (master key), v2 (resident key), and a bare iv‖tag‖ct. */
const LAYOUTS = [
  { iv: 5, tag: 17, ct: 33 },
  { iv: 1, tag: 13, ct: 29 },
  { iv: 0, tag: 12, ct: 28 },
];

/** The plaintext, if any key opens the value under any layout and AAD guess. */
export function tryOpen(blob: Buffer, aads: string[], keys: Buffer[]): Buffer | undefined {
  for (const l of LAYOUTS) {
    if (blob.length < l.ct) continue;
    for (const key of keys) {
      for (const aad of aads) {
        try {
          const d = createDecipheriv('aes-256-gcm', key, blob.subarray(l.iv, l.iv + 12));
          d.setAAD(Buffer.from(aad, 'utf8'));
          d.setAuthTag(blob.subarray(l.tag, l.tag + 16));
          return Buffer.concat([d.update(blob.subarray(l.ct)), d.final()]);
        } catch {
          // Not this key, layout or AAD.
        }
      }
    }
  }
  return undefined;
}
