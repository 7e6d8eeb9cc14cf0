/**
 * Verification counts: how many checks of which issuer's cards were valid
 * or not, per ISO week — nothing else. No card number, name, caller, day or
 * time of day is kept, and no finer result than valid / not valid, so no
 * check can be traced to a holder or linked to another (docs/privacy.md
 * "Verification counts"). Cells under a threshold are never served.
 */
import { date, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export const verificationWeeklyCounts = pgTable(
  'verification_weekly_counts',
  {
    /** Monday (UTC) that starts the ISO 8601 week. */
    weekStart: date('week_start', { mode: 'string' }).notNull(),
    /** Issuer id as read from the credential, or `unknown` when none could be read. */
    issuer: text('issuer').notNull(),
    /** `valid` or `not_valid` (any other result: suspended, revoked, expired, forged, unreadable…). */
    outcome: text('outcome').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ name: 'verification_weekly_counts_pk', columns: [t.weekStart, t.issuer, t.outcome] })],
);
