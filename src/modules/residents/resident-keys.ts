/**
 * Per-resident data keys (crypto-shredding). Each resident has one random
 * 32-byte key in `resident_keys`, sealed with the master key. From it come:
 * - the key that seals the resident's fields, photo and card credentials
 *   (AES-256-GCM, format version 2: version ‖ iv ‖ tag ‖ ciphertext);
 * - the key of the resident's audit pseudonyms (HMAC-SHA256, shaped as a uuid).
 * Erasure deletes the key row: every copy of those ciphertexts — in dead
 * rows, free space in a page, a restored copy without the key — stays shut,
 * and no audit entry can be tied to the resident's id again.
 *
 * Values sealed before these keys existed (format version 1, the master key)
 * still open: `open` dispatches on the version byte. A resident without a key
 * row (a record from before) gets one the first time it is needed.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { DecryptionError, type FieldCipher } from '../../security/field-cipher.js';
import { residentKeys } from './residents-tables.js';

const VERSION = 2;

/** Seals and opens one resident's values; names things about them in the audit. */
export interface HolderCipher {
  readonly residentId: string;
  encrypt(plaintext: string | Uint8Array, aad: string): Buffer;
  /** Opens a value sealed with this resident's key, or an older one sealed with the master key. */
  decrypt(blob: Uint8Array, aad: string): Buffer;
  decryptText(blob: Uint8Array, aad: string): string;
  /** A stable, opaque uuid-shaped name for `label` (e.g. `resident`, `card:<id>`) that only this key can compute. */
  pseudonym(label: string): string;
}

const wrapAad = (residentId: string) => `resident_keys.key:${residentId}`;
const derive = (key: Buffer, purpose: string) => Buffer.from(hkdfSync('sha256', key, 'lcc/resident-key/v1', purpose, 32));

/** A uuid (version 8, RFC 9562 "custom") from 16 bytes of an HMAC, so it fits the audit's uuid and text columns. */
function uuidOf(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function holderCipher(residentId: string, dataKey: Buffer, master: FieldCipher): HolderCipher {
  const sealKey = derive(dataKey, 'fields');
  // Derived on first use: most ciphers only open a value (a verifier's photo) and name nothing.
  let auditKey: Buffer | undefined;
  const decrypt = (blob: Uint8Array, aad: string): Buffer => {
    const b = Buffer.from(blob);
    if (b[0] !== VERSION) return master.decrypt(b, aad);
    if (b.length < 29) throw new DecryptionError('not a field ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', sealKey, b.subarray(1, 13));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(b.subarray(13, 29));
    try {
      return Buffer.concat([decipher.update(b.subarray(29)), decipher.final()]);
    } catch {
      throw new DecryptionError('ciphertext failed authentication');
    }
  };
  return {
    residentId,
    encrypt(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      const ct = Buffer.concat([cipher.update(data), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ct]);
    },
    decrypt,
    decryptText: (blob, aad) => decrypt(blob, aad).toString('utf8'),
    pseudonym: (label) => uuidOf(createHmac('sha256', (auditKey ??= derive(dataKey, 'audit-pseudonym'))).update(label).digest()),
  };
}

export function createResidentKeys(master: FieldCipher) {
  const open = (residentId: string, sealed: Buffer) => holderCipher(residentId, master.decrypt(sealed, wrapAad(residentId)), master);

  async function stored(tx: Executor, ids: string[]): Promise<Map<string, HolderCipher>> {
    const out = new Map<string, HolderCipher>();
    if (ids.length === 0) return out;
    const rows = await tx.select().from(residentKeys).where(inArray(residentKeys.residentId, ids));
    for (const r of rows) out.set(r.residentId, open(r.residentId, r.key));
    return out;
  }

  const keys = {
    /** The cipher of a key row read elsewhere (e.g. beside a photo, in one statement). */
    open,
    /** A fresh key for a new record (insert it with `insert`/`insertMany` after the record's row). */
    generate(residentId: string): { cipher: HolderCipher; row: { residentId: string; key: Buffer } } {
      const dataKey = randomBytes(32);
      return { cipher: holderCipher(residentId, dataKey, master), row: { residentId, key: master.encrypt(dataKey, wrapAad(residentId)) } };
    },
    async insertMany(tx: Executor, rows: Array<{ residentId: string; key: Buffer }>): Promise<void> {
      if (rows.length) await tx.insert(residentKeys).values(rows);
    },

    /**
     * The ciphers of these residents, creating the missing keys of existing
     * records (records from before per-resident keys). Ids with no record get none.
     */
    async forMany(tx: Executor, ids: string[]): Promise<Map<string, HolderCipher>> {
      const unique = [...new Set(ids)];
      const out = await stored(tx, unique);
      const missing = unique.filter((id) => !out.has(id));
      if (missing.length === 0) return out;
      // Only for records that exist (the foreign key would refuse the others); a concurrent creator wins and is re-read.
      const fresh = missing.map((id) => keys.generate(id).row);
      await tx.execute(
        sql`insert into resident_keys (resident_id, key)
          select u.id, decode(u.k, 'hex') from unnest(${`{${fresh.map((f) => f.residentId).join(',')}}`}::uuid[], ${`{${fresh.map((f) => f.key.toString('hex')).join(',')}}`}::text[]) as u(id, k)
          where exists (select 1 from residents r where r.id = u.id)
          on conflict (resident_id) do nothing`,
      );
      for (const [id, c] of await stored(tx, missing)) out.set(id, c);
      return out;
    },

    /** One resident's cipher; undefined when there is no such record. */
    async forResident(tx: Executor, residentId: string): Promise<HolderCipher | undefined> {
      return (await keys.forMany(tx, [residentId])).get(residentId);
    },

    /**
     * Replaces a resident's key with a new one (the emergency purge): values
     * sealed with the old one no longer open once the key table is
     * rewritten (resident-shredding.ts).
     */
    async rotate(tx: Executor, residentId: string): Promise<HolderCipher> {
      const next = keys.generate(residentId);
      await tx.update(residentKeys).set({ key: next.row.key }).where(eq(residentKeys.residentId, residentId));
      return next.cipher;
    },

    /** Destroys a resident's key (erasure). The row also goes with the record (ON DELETE CASCADE). */
    async destroy(tx: Executor, residentId: string): Promise<void> {
      await tx.delete(residentKeys).where(eq(residentKeys.residentId, residentId));
    },
  };
  return keys;
}

export type ResidentKeys = ReturnType<typeof createResidentKeys>;
