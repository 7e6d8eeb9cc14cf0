/**
 * Cards. A row holds no personal data in clear: the signed credential (which
 * carries the printed name and birth date) is encrypted like the resident
 * record; the number, dates, state and status-list slot are not personal on
 * their own. A card outlives its holder's record only as a revoked slot.
 */
import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../../db/bytea.js';
import { timestamps } from '../../db/columns.js';

export const cards = pgTable(
  'cards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Canonical card number (10 characters, check character last). */
    number: text('number').notNull(),
    /** The holder; null once the record is erased (the card stays, revoked). */
    residentId: uuid('resident_id'),
    /** `active` | `suspended` | `revoked` | `superseded` (src/modules/cards/card-states.ts). */
    state: text('state').notNull(),
    /** Why the card was revoked or superseded: a reason code, never free text. */
    reason: text('reason'),
    /** Random slot in the status list: a fetch of the list says nothing about which card is checked. */
    statusIndex: integer('status_index').notNull(),
    /** Thumbprint of the signing key. */
    kid: text('kid').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Valid through this whole day. */
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    /** The QR text (`LCC1:…`), encrypted (AAD `cards.credential:<id>`). */
    credential: bytea('credential').notNull(),
    /** The card this one renewed or replaced. */
    previousId: uuid('previous_id'),
    /** Keyed blind index (HMAC) of the one-time claim code printed on the enrolment receipt; null once used. */
    claimCodeHash: text('claim_code_hash'),
    claimCodeExpiresAt: timestamp('claim_code_expires_at', { withTimezone: true, mode: 'date' }),
    /** Bumped on every transition (concurrent transitions: one wins, the other sees the new state). */
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('cards_number_uq').on(t.number),
    uniqueIndex('cards_status_index_uq').on(t.statusIndex),
    index('cards_resident_idx').on(t.residentId),
    /** At most one live card per resident, enforced by the database even against concurrent issuance. */
    uniqueIndex('cards_one_live_per_resident_uq').on(t.residentId).where(sql`state in ('active', 'suspended')`),
    uniqueIndex('cards_claim_code_uq').on(t.claimCodeHash),
    index('cards_state_idx').on(t.state),
  ],
);

/**
 * One row: the status list's version (bumped in every transition's
 * transaction) and its size. Instances sign the list for a version once and
 * serve it from memory until the version moves.
 */
export const statusListState = pgTable('status_list_state', {
  id: integer('id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
  /** Number of slots (≥ 131,072); doubles when half full. */
  size: integer('size').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true, mode: 'date' }).notNull(),
});
