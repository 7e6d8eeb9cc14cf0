/**
 * The world directory as last verified (DESIGN.md "World directory"), and
 * each national trust list it names as last imported. The issuers those
 * lists name are partners (`federation_partners`, source `directory`).
 */
import { bigint, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { timestamps } from '../../db/columns.js';

/** One row (id 1): the last good directory JWS and its `iat` (rollback guard), with its fetch state. */
export const federationDirectory = pgTable('federation_directory', {
  id: integer('id').primaryKey(),
  /** The last good lcc-directory+jwt, verified against DIRECTORY_ANCHOR_JWK. */
  jws: text('jws'),
  /** Its `iat`: an older directory is refused (a replay could bring back a dropped coordinator). */
  iat: bigint('iat', { mode: 'number' }),
  etag: text('etag'),
  fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'date' }),
  lastSyncAt: timestamp('last_sync_at', { withTimezone: true, mode: 'date' }),
  /** Problem code of the last failed directory fetch or check; null after a good one. */
  lastError: text('last_error'),
});

/** One row per country the directory names (other than the city's own): its national trust list's state. */
export const federationNationalLists = pgTable('federation_national_lists', {
  /** ISO 3166-1 alpha-2. */
  country: text('country').primaryKey(),
  /** RFC 7638 thumbprint of the national coordinator's key, as the directory gives it. */
  coordinatorFingerprint: text('coordinator_fingerprint').notNull(),
  coordinatorJwk: jsonb('coordinator_jwk').notNull().$type<Record<string, string>>(),
  trustListUrl: text('trust_list_url').notNull(),
  /** `iat` of the last list imported for this country (rollback guard); null before the first. */
  listIat: bigint('list_iat', { mode: 'number' }),
  listEtag: text('list_etag'),
  listFetchedAt: timestamp('list_fetched_at', { withTimezone: true, mode: 'date' }),
  /** How many issuers the last good list named. */
  issuers: integer('issuers').notNull().default(0),
  lastSyncAt: timestamp('last_sync_at', { withTimezone: true, mode: 'date' }),
  lastError: text('last_error'),
  ...timestamps,
});
