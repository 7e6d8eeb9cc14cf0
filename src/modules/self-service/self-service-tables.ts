/**
 * A resident's own access to the portal: created when they claim their card
 * with the one-time code from their enrolment receipt. Holds no personal
 * data: a link to the record and a PIN hash (scrypt over an HMAC with a key
 * from MASTER_KEY, so a copied database alone cannot be used to guess PINs).
 */
import { integer, pgTable, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { text } from 'drizzle-orm/pg-core';
import { timestamps } from '../../db/columns.js';
import { residents } from '../residents/residents-tables.js';

export const residentAccounts = pgTable(
  'resident_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => residents.id, { onDelete: 'cascade' }),
    pinHash: text('pin_hash').notNull(),
    /** Bumped when the PIN changes or the account locks: older sessions end. */
    tokenVersion: integer('token_version').notNull().default(0),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [uniqueIndex('resident_accounts_resident_uq').on(t.residentId)],
);
