/**
 * Staff sign-in sessions (issue 15, item 6): one row per refresh token. A
 * token is 256 random bits handed out once in an HttpOnly cookie; only its
 * SHA-256 is kept. Tokens of one sign-in share a `familyId`: each use
 * rotates the token (the used row gets `rotatedAt`, a new row follows), and
 * a rotated token presented again revokes the whole family (it was copied).
 */
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const staffSessions = pgTable(
  'staff_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** One sign-in: every token rotated from it carries the same family id. */
    familyId: uuid('family_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    /** SHA-256 (hex) of the refresh token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    /** The account's token version when the family began: a disable, role change or password reset ends it. */
    tokenVersion: integer('token_version').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Idle limit: unused until then, the token (and so the session) is dead. */
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Absolute limit of the family, set at sign-in (a working day): then the clerk signs in again. */
    familyExpiresAt: timestamp('family_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Set when the token was exchanged for its successor; presenting it again is reuse. */
    rotatedAt: timestamp('rotated_at', { withTimezone: true, mode: 'date' }),
    /** Set on sign-out, reuse, disable: the family is over. */
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('staff_sessions_token_uq').on(t.tokenHash),
    index('staff_sessions_family_idx').on(t.familyId),
    index('staff_sessions_staff_idx').on(t.staffId),
    index('staff_sessions_expiry_idx').on(t.familyExpiresAt),
  ],
);
