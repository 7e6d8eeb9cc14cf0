/**
 * The verifier bundle (GET /v1/verifier-bundle): every issuer this city
 * trusts — itself and its partners — with their keys and signed status lists,
 * in one JWS signed by this city's root key. The verifier page caches it and
 * verifies cards offline; past `graceUntil` it refuses to call a card valid.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { CompactSign } from 'jose';
import type { Db } from '../../db/client.js';
import type { CityRepository } from '../city/city-repository.js';
import type { CityService } from '../city/city-service.js';
import type { StatusListService } from '../cards/status-list-service.js';
import type { PartnerSource } from './trust-service.js';

export const BUNDLE_TYP = 'lcc-verifier-bundle+jwt';
/** The world directory's issuers (other countries), a bundle of its own that a verifier page loads only when asked (issue 19). */
export const DIRECTORY_BUNDLE_TYP = 'lcc-directory-bundle+jwt';
/** Verifiers fetch a new bundle after this (when online). */
export const BUNDLE_REFRESH_SECONDS = 6 * 3600;
/** Past this age a verifier says its bundle is out of date and calls no card valid. */
export const BUNDLE_GRACE_SECONDS = 48 * 3600;

const gzip = promisify(gzipCallback);

export interface BundleIssuer {
  id: string;
  /** Issuer URI: its cards' CWT `iss`. */
  uri?: string;
  name: string;
  country: string;
  keys: Array<{ kid: string; jwk: Record<string, unknown>; alg: string; status: string; notBefore?: string; notAfter?: string }>;
  /** The issuer's own signed status list (statuslist+jwt), verified by the page with the keys above. */
  statusList?: string;
}

export interface BundlePayload {
  iss: string;
  /** ISO 3166-1 alpha-2: only issuers of this country are recognised. */
  country: string;
  issuedAt: string;
  nextUpdate: string;
  graceUntil: string;
  issuers: BundleIssuer[];
}

export function createBundleService(deps: {
  db: Db;
  cityRepo: CityRepository;
  city: CityService;
  statusList: StatusListService;
  partners: () => PartnerSource;
  clock: () => Date;
  /** This city's issuer URI (its public address). */
  issuerUri: string;
}) {
  let cached: { key: string; value: { jws: string; etag: string; payload: BundlePayload } } | undefined;

  async function build(iat: Date): Promise<{ jws: string; etag: string; payload: BundlePayload }> {
    const [row, keys, list, partners, root] = await Promise.all([
      deps.city.city(),
      deps.cityRepo.keys(deps.db, 'signing'),
      deps.statusList.current(),
      deps.partners().issuers(),
      deps.city.rootSigner(),
    ]);
    const own: BundleIssuer = {
      id: row.id,
      uri: deps.issuerUri,
      name: row.name,
      country: row.country,
      keys: keys.map((k) => ({ kid: k.kid, jwk: k.publicJwk, alg: k.alg, status: k.status, notBefore: k.notBefore.toISOString(), notAfter: k.notAfter.toISOString() })),
      statusList: list.jwt,
    };
    const payload: BundlePayload = {
      iss: row.id,
      country: row.country,
      issuedAt: iat.toISOString(),
      nextUpdate: new Date(iat.getTime() + BUNDLE_REFRESH_SECONDS * 1000).toISOString(),
      graceUntil: new Date(iat.getTime() + BUNDLE_GRACE_SECONDS * 1000).toISOString(),
      issuers: [
        own,
        ...partners
          // The world directory's cities travel in their own bundle (directory()), loaded only by the pages that ask.
          .filter((p) => p.id !== row.id && p.uri !== deps.issuerUri && p.source !== 'directory')
          .map((p) => ({
            id: p.id,
            ...(p.uri ? { uri: p.uri } : {}),
            name: p.name,
            country: p.country,
            keys: p.keys.map((k) => ({ kid: k.kid, jwk: k.jwk as Record<string, unknown>, alg: k.alg, status: k.status, ...(k.notBefore ? { notBefore: k.notBefore } : {}), ...(k.notAfter ? { notAfter: k.notAfter } : {}) })),
            ...(p.statusListJwt ? { statusList: p.statusListJwt } : {}),
          })),
      ],
    };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid: root.kid, typ: BUNDLE_TYP }).sign(root.privateKey);
    return { jws, etag: `"${createHash('sha256').update(jws).digest('base64url').slice(0, 27)}"`, payload };
  }

  type DirectoryBundle = { jws: string; gzip: Buffer; etag: string; issuers: number };
  let cachedDirectory: { key: string; value: DirectoryBundle } | undefined;
  let buildingDirectory: { key: string; promise: Promise<DirectoryBundle> } | undefined;

  /** The world directory's issuers: keys and signed status lists, in one JWS signed by this city's root key, and its gzip. */
  async function buildDirectory(iat: Date): Promise<DirectoryBundle> {
    const [row, partners, root] = await Promise.all([deps.city.city(), deps.partners().issuers(), deps.city.rootSigner()]);
    const issuers: BundleIssuer[] = partners
      .filter((p) => p.source === 'directory' && p.keys.length > 0)
      .map((p) => ({
        id: p.id,
        ...(p.uri ? { uri: p.uri } : {}),
        name: p.name,
        country: p.country,
        keys: p.keys.map((k) => ({ kid: k.kid, jwk: k.jwk as Record<string, unknown>, alg: k.alg, status: k.status, ...(k.notBefore ? { notBefore: k.notBefore } : {}), ...(k.notAfter ? { notAfter: k.notAfter } : {}) })),
        ...(p.statusListJwt ? { statusList: p.statusListJwt } : {}),
      }));
    const payload = {
      iss: row.id,
      country: row.country,
      issuedAt: iat.toISOString(),
      nextUpdate: new Date(iat.getTime() + BUNDLE_REFRESH_SECONDS * 1000).toISOString(),
      graceUntil: new Date(iat.getTime() + BUNDLE_GRACE_SECONDS * 1000).toISOString(),
      issuers,
    };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid: root.kid, typ: DIRECTORY_BUNDLE_TYP }).sign(root.privateKey);
    // Off the event loop (libuv's pool): tens of megabytes for a world directory. Weak ETag: the gzipped and plain bodies are the same bundle.
    return { jws, gzip: await gzip(jws, { level: 6 }), etag: `W/"${createHash('sha256').update(jws).digest('base64url').slice(0, 27)}"`, issuers: issuers.length };
  }

  return {
    /** The directory bundle (GET /v1/verifier-directory): rebuilt when partners change, and at least hourly. */
    async directory(): Promise<DirectoryBundle> {
      const now = deps.clock();
      const key = `${Math.floor(now.getTime() / 3_600_000)}|${await deps.partners().version()}`;
      if (cachedDirectory?.key === key) return cachedDirectory.value;
      // One build at a time: with 35,000 issuers a build takes seconds, and the callers meanwhile wait for it rather than start their own.
      if (buildingDirectory?.key !== key) {
        const promise = buildDirectory(now).finally(() => {
          if (buildingDirectory?.promise === promise) buildingDirectory = undefined;
        });
        buildingDirectory = { key, promise };
      }
      const value = await buildingDirectory.promise;
      cachedDirectory = { key, value };
      return value;
    },

    /** The current bundle: rebuilt when keys, statuses or partners change, and at least hourly. */
    async current(): Promise<{ jws: string; etag: string; payload: BundlePayload }> {
      const now = deps.clock();
      const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
      const [keys, list, partnerVersion] = await Promise.all([deps.cityRepo.keys(deps.db, 'signing'), deps.statusList.current(), deps.partners().version()]);
      const key = `${hour.getTime()}|${keys.map((k) => `${k.kid}:${k.status}`).join(',')}|${list.etag}|${partnerVersion}`;
      if (cached?.key === key) return cached.value;
      const value = await build(now);
      cached = { key, value };
      return value;
    },
  };
}

export type BundleService = ReturnType<typeof createBundleService>;
