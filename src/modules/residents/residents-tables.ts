/**
 * Residents: everything personal is AES-256-GCM ciphertext (field cipher,
 * AAD = `<table>.<column>:<resident id>`), so a copy of the database alone
 * names no one. What stays in clear says nothing about a person: ids,
 * versions, timestamps, the rules version, the photo's pixel size.
 * Look-ups go through keyed blind indexes (resident_lookup).
 * Since resident_keys, each record's fields, photo and card credentials are
 * sealed with the resident's own data key (crypto-shredding: erasure deletes
 * the key, so no copy of those ciphertexts — a dead row, a page, a backup
 * restored without it — opens again). Rows sealed before keep the master-key
 * sealing (format version 1) and still open.
 */
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../../db/bytea.js';
import { timestamps } from '../../db/columns.js';

export const residents = pgTable(
  'residents',
  {
    id: uuid('id').primaryKey(),
    /** Bumped on every change; the ETag of the record (optimistic concurrency). */
    version: integer('version').notNull().default(1),
    /** Encrypted JSON `{ printed, legal?, original?, transliteration? }`. */
    names: bytea('names').notNull(),
    /** Encrypted JSON string or null (unknown) — always present, so the column does not tell which. */
    birthDate: bytea('birth_date').notNull(),
    /** Encrypted JSON: the address or `{ noFixedAddress, careOf? }`, or null; with the `confidential` flag (survivors of violence). */
    address: bytea('address').notNull(),
    /**
     * Encrypted JSON of the rest of the person: gender (self-described,
     * pronouns, marker, printMarker), preferred and spoken languages,
     * guardian flag. A language or a pronoun can single a person out too.
     */
    details: bytea('details').notNull(),
    /**
     * Encrypted JSON `[{ type, seenBy, seenAt }]`: which document types a
     * clerk saw. Encrypted because "consular-id" alone hints at a status.
     */
    evidence: bytea('evidence').notNull(),
    /** The evidence rules version the record was checked against. */
    evidenceRulesVersion: text('evidence_rules_version').notNull(),
    /** Staff id of the enrolling clerk. */
    createdBy: uuid('created_by'),
    /**
     * Expiry of this resident's latest card; set by the cards module on
     * issue, renewal and replacement. Null: no card issued yet. Retention
     * (purge:expired) counts from it, or from `updated_at` while it is null.
     */
    lastCardExpiresAt: timestamp('last_card_expires_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [index('residents_retention_idx').on(t.lastCardExpiresAt, t.updatedAt)],
);

/**
 * Keyed blind indexes (HMAC-SHA256 under a key derived from MASTER_KEY,
 * truncated to 128 bits) of a resident's normalised names, for search and
 * duplicate detection. `kind`:
 * - `token`: one name token (any of the four names), for `?q=` search;
 * - `name_birth`: a whole name with the birth date as recorded (or "unknown"), for duplicates;
 * - `birth_year`: the birth year, to narrow a search.
 * Equal values give equal indexes, so token frequencies are visible to
 * whoever holds the database; the values themselves need the key.
 */
export const residentLookup = pgTable(
  'resident_lookup',
  {
    residentId: uuid('resident_id')
      .notNull()
      .references(() => residents.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** Hex blind index. */
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ name: 'resident_lookup_pk', columns: [t.residentId, t.kind, t.value] }), index('resident_lookup_value_idx').on(t.kind, t.value)],
);

/** The card photo, apart from the record so reads of the record do not carry it. */
export const residentPhotos = pgTable('resident_photos', {
  residentId: uuid('resident_id')
    .primaryKey()
    .references(() => residents.id, { onDelete: 'cascade' }),
  /** Encrypted JPEG, re-encoded without metadata at the card's size. */
  photo: bytea('photo').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  ...timestamps,
});

/**
 * One random 32-byte data key per resident, in its own row, sealed with the
 * master key (field cipher, AAD `resident_keys.key:<id>`). It seals the
 * resident's fields, photo and card credentials and keys the resident's audit
 * pseudonyms (src/modules/residents/resident-keys.ts). Erasure deletes the row
 * and rewrites the table (resident-shredding.ts), so the key is gone from the
 * table files too; nothing else is needed to make every copy of those values
 * unreadable. No planner statistics are kept on the key (a migration sets them off):
 * ANALYZE would otherwise copy sample keys into pg_statistic.
 */
export const residentKeys = pgTable('resident_keys', {
  residentId: uuid('resident_id')
    .primaryKey()
    .references(() => residents.id, { onDelete: 'cascade' }),
  key: bytea('key').notNull(),
});
