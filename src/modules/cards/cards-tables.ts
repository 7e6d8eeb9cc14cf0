/**
 * Cards. A row holds nothing that identifies a card or a person in clear:
 * the signed credential (number, printed name, birth date) is encrypted like
 * the resident record, and the card number is kept only as a keyed blind
 * index for look-ups — so a seized database cannot be matched against a card
 * seen in someone's hand. Dates, state and status-list slot say nothing on
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
    /** Keyed blind index (HMAC, src/security/blind-index.ts) of the canonical card number; the number itself is inside the sealed credential. */
    numberIndex: text('number_index').notNull(),
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
    /**
     * The QR text, sealed with the holder's data key (AAD `cards.credential:<id>`).
     * Null once the holder is erased: the row then keeps only its revoked slot
     * and the number's blind index (so the number answers 410 and is never drawn again).
     */
    credential: bytea('credential'),
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
    uniqueIndex('cards_number_index_uq').on(t.numberIndex),
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
