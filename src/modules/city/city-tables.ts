/** The city this instance serves, and its signing keys. */
import { bytea } from '../../db/bytea.js';
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { timestamps } from '../../db/columns.js';

/** One row: the issuer this instance is. Not personal data. */
export const city = pgTable('city', {
  /** Issuer id, from CITY_ID, e.g. `fr-strasbourg`; stable for the city's life. */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** ISO 3166-1 alpha-2. */
  country: text('country').notNull(),
  ...timestamps,
});

/**
 * The city's keys: one long-lived `root` key that certifies short-lived
 * `signing` keys (the cards' keys). Private keys are wrapped with a key
 * derived from MASTER_KEY; the public half is a JWK.
 */
export const signingKeys = pgTable(
  'signing_keys',
  {
    /** RFC 7638 JWK thumbprint (base64url SHA-256). */
    kid: text('kid').primaryKey(),
    /** `root` | `signing`. */
    kind: text('kind').notNull(),
    /** `EdDSA` for our own keys. */
    alg: text('alg').notNull(),
    publicJwk: jsonb('public_jwk').notNull().$type<Record<string, string>>(),
    /** PKCS#8 private key, AES-256-GCM encrypted (src/security/field-cipher.ts). */
    privateKey: bytea('private_key').notNull(),
    /** `active` (signs new cards) | `retired` (verifies only) | `revoked` (verifies nothing). */
    status: text('status').notNull(),
    notBefore: timestamp('not_before', { withTimezone: true, mode: 'date' }).notNull(),
    notAfter: timestamp('not_after', { withTimezone: true, mode: 'date' }).notNull(),
    /** For signing keys: the root key's JWS certifying this key (federation). */
    certificate: text('certificate'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [index('signing_keys_kind_status_idx').on(t.kind, t.status)],
);
