/**
 * Verification counts: how many checks gave which result for which issuer on
 * which day — nothing else. No card number, name, caller or time of day is
 * kept, so no check can be traced to a holder or linked to another.
 */
import { date, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export const verificationCounts = pgTable(
  'verification_counts',
  {
    day: date('day', { mode: 'string' }).notNull(),
    /** Issuer id as read from the credential, or `unknown` when none could be read. */
    issuer: text('issuer').notNull(),
    result: text('result').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ name: 'verification_counts_pk', columns: [t.day, t.issuer, t.result] })],
);
