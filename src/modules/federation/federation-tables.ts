/** Partner cities (federation): their pinned roots, certified keys and last good signed documents. */
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { timestamps } from '../../db/columns.js';

/** A partner's signing key as last verified from its metadata (certificate checked against the pinned root). */
export interface PartnerKey {
  /** RFC 7638 thumbprint of `jwk`. */
  kid: string;
  /** Public JWK only. */
  jwk: Record<string, string>;
  alg: 'EdDSA' | 'ES256';
  /** `revoked` is sticky: a later metadata never brings a revoked key back. */
  status: 'active' | 'retired' | 'revoked';
  /** The certificate's `nbf` / `exp`, ISO instants: the period the key may have signed cards in. */
  notBefore: string;
  notAfter: string;
}

/**
 * One row per partner issuer: registered by an administrator (`manual`) or
 * listed by the national trust list (`trust_list`). The primary key is the
 * issuer id, so a look-up by id is one index probe whatever the count.
 */
export const federationPartners = pgTable(
  'federation_partners',
  {
    /** The partner's issuer id (`iss` of its metadata and cards), e.g. `fr-lyon`. */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** ISO 3166-1 alpha-2. Only partners of the city's own country are recognised. */
    country: text('country').notNull(),
    /** `manual` (admin confirmed the fingerprint) | `trust_list` (the coordinator's list vouched for it). */
    source: text('source').notNull(),
    /** `pending` (listed, metadata not fetched or verified yet) | `active` (keys verified). */
    state: text('state').notNull(),
    /** RFC 7638 thumbprint of the root key, pinned at registration: every metadata must be signed by this key. */
    rootFingerprint: text('root_fingerprint').notNull(),
    /** The root public JWK, once a metadata signed by it was verified. */
    rootJwk: jsonb('root_jwk').$type<Record<string, string>>(),
    /** Where the metadata is refreshed from; null when it was uploaded and has no URL. */
    metadataUrl: text('metadata_url'),
    keys: jsonb('keys').notNull().$type<PartnerKey[]>().default([]),
    /** Thumbprints the partner lists as compromised. */
    revoked: jsonb('revoked').notNull().$type<string[]>().default([]),
    /** The last good metadata JWS (lcc-issuer+jwt), its `iat` (rollback guard), ETag and fetch time. */
    metadataJws: text('metadata_jws'),
    metadataIat: bigint('metadata_iat', { mode: 'number' }),
    metadataEtag: text('metadata_etag'),
    metadataFetchedAt: timestamp('metadata_fetched_at', { withTimezone: true, mode: 'date' }),
    statusListUrl: text('status_list_url'),
    /** The last good status list JWT (verified with the partner's keys), its ETag and fetch time. */
    statusListJwt: text('status_list_jwt'),
    statusListEtag: text('status_list_etag'),
    statusListFetchedAt: timestamp('status_list_fetched_at', { withTimezone: true, mode: 'date' }),
    lastSyncAt: timestamp('last_sync_at', { withTimezone: true, mode: 'date' }),
    /** Problem code of the last failed sync step; null after a fully good sync. */
    lastError: text('last_error'),
    ...timestamps,
  },
  (t) => [index('federation_partners_country_idx').on(t.country), index('federation_partners_source_idx').on(t.source)],
);

/**
 * One row (id 1): a version bumped by every change to partners (so every
 * instance rebuilds its trust store), the newest trust list imported
 * (rollback guard) and the sync lease (one instance syncs at a time).
 */
export const federationState = pgTable('federation_state', {
  id: integer('id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
  trustListIat: bigint('trust_list_iat', { mode: 'number' }),
  trustListImportedAt: timestamp('trust_list_imported_at', { withTimezone: true, mode: 'date' }),
  syncLeaseUntil: timestamp('sync_lease_until', { withTimezone: true, mode: 'date' }),
});
