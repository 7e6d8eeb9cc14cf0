/**
 * The append-only, hash-chained audit log. Each entry holds the hash of the
 * previous one; `audit_head` is the single row every writer locks (FOR UPDATE)
 * inside its transaction, so concurrent instances append one at a time and
 * the chain never forks. Never a resident's personal data: targets are ids.
 */
import { bigint, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Staff or service-key id; null for the system or an anonymous caller. */
    actorId: uuid('actor_id'),
    /** `admin` | `clerk` | … | `service_key` | `resident` | `system` | `anonymous`. */
    actorType: text('actor_type').notNull(),
    /** Dotted verb, e.g. `staff.create`, `card.revoke`, `auth.login_failed`. */
    action: text('action').notNull(),
    targetType: text('target_type'),
    /** An opaque id (uuid, card number's id) — never a name. */
    targetId: text('target_id'),
    /** `success` | `failure` | `denied`. */
    outcome: text('outcome').notNull(),
    /**
     * How many events this entry stands for when it sums up several (refused
     * calls, at most one entry per caller and route a minute:
     * src/modules/audit/denial-log.ts); null for one event.
     */
    count: integer('count'),
    /** Hex SHA-256 of the previous entry (64 zeros for the first). */
    prevHash: text('prev_hash').notNull(),
    /** Hex SHA-256 over this entry's canonical form, prev_hash included. */
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_actor_idx').on(t.actorId, t.seq), index('audit_log_action_idx').on(t.action, t.seq), index('audit_log_at_idx').on(t.at)],
);

export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
});
