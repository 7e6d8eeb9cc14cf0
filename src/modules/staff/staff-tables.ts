/** Staff accounts, partner service keys and the login throttle. */
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from '../../db/columns.js';
import { benefitPartners } from '../benefits/benefits-tables.js';

export const staff = pgTable(
  'staff',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Login name of a city employee (not a resident). */
    username: text('username').notNull(),
    /** `admin` | `clerk` | `official` | `partner_service`. */
    role: text('role').notNull(),
    /** For `partner_service` accounts: the disclosure profile their verifications use. */
    profile: text('profile'),
    /** For `partner_service` accounts: the partner organisation they act for (src/modules/benefits). */
    partnerId: uuid('partner_id').references(() => benefitPartners.id, { onDelete: 'set null' }),
    /**
     * scrypt hash, parameters inside (src/security/password.ts). Prefixed
     * `otp:` while it is a one-time password (generated at first start, or
     * an administrator's reset marked so) that its holder must replace.
     */
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    /** Bumped on disable, role change and password reset: older tokens stop working. */
    tokenVersion: integer('token_version').notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex('staff_username_uq').on(t.username)],
);

/**
 * Keys for partner services' scanners (a clinic, a library). The secret is
 * shown once; only its SHA-256 is kept (it is 256 random bits, so a fast
 * hash is enough). `prefix` is the public first part, for look-up and display.
 */
export const serviceKeys = pgTable(
  'service_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Disclosure profile: what a verification through this key may see. */
    profile: text('profile').notNull(),
    /** The partner organisation the key acts for (its offers, its redemptions); null for a plain verifier. */
    partnerId: uuid('partner_id').references(() => benefitPartners.id, { onDelete: 'set null' }),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdBy: uuid('created_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [uniqueIndex('service_keys_prefix_uq').on(t.prefix)],
);

/**
 * Sign-in counters shared by all instances: per (account, address), per
 * address, per account, and the (account, address) pairs that signed in
 * (src/modules/staff/login-throttle.ts). The key is an HMAC (never a raw IP
 * address or username).
 */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    key: text('key').primaryKey(),
    /** Guesses admitted (counted before the password is checked) in the current window. */
    failures: integer('failures').notNull().default(0),
    windowStart: timestamp('window_start', { withTimezone: true, mode: 'date' }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    /** Locks so far in this run of failures: each next lock lasts twice as long (backoff). */
    strikes: integer('strikes').notNull().default(0),
  },
  (t) => [index('login_throttle_window_idx').on(t.windowStart)],
);
