/**
 * The server's trust store: this city's keys and live status, plus partner
 * cities (federation), prepared once (keys imported) and refreshed at most
 * every few seconds. When the database is unreachable the last good copy
 * keeps answering, and reports how old its status lists are.
 */
import { prepareTrustStore, type PreparedTrustStore, type StatusBits, type TrustedIssuer, type TrustedKey } from '../../credential/index.js';
import { packStatuses } from '../../credential/status-list.js';
import { nodeSignatureCheck } from './node-signature-check.js';
import type { Db } from '../../db/client.js';
import type { CityRepository } from '../city/city-repository.js';
import type { StatusListService } from '../cards/status-list-service.js';

/** Partner issuers as the federation module holds them (keys certified by their roots, last verified status lists). */
export interface PartnerSource {
  /** Changes whenever the partners' keys or status lists do. */
  version(): Promise<string>;
  /** Each partner issuer, with the signed status list it was decoded from (for the verifier bundle). */
  issuers(): Promise<Array<TrustedIssuer & { statusListJwt?: string }>>;
}

export const noPartners: PartnerSource = { version: async () => 'none', issuers: async () => [] };

const REFRESH_MS = 2_000;

export function createTrustService(deps: {
  db: Db;
  cityRepo: CityRepository;
  statusList: StatusListService;
  clock: () => Date;
  country: string;
  /** This city's issuer URI (its public address): what its cards carry as `iss`. */
  issuerUri: string;
  partners: () => PartnerSource;
}) {
  const { db, cityRepo, statusList, clock } = deps;
  let state:
    | { store: PreparedTrustStore; own: TrustedIssuer; keysKey: string; statusVersion: number; checkedAt: number }
    | undefined;
  let refreshing: Promise<void> | undefined;

  async function ownIssuer(): Promise<{ issuer: TrustedIssuer; keysKey: string; statusVersion: number }> {
    const [city, keys, status] = await Promise.all([cityRepo.get(db), cityRepo.keys(db, 'signing'), statusList.statuses()]);
    if (!city) throw new Error('city not bootstrapped');
    const trusted: TrustedKey[] = keys.map((k) => ({
      kid: k.kid,
      jwk: k.publicJwk,
      alg: 'EdDSA',
      status: k.status as TrustedKey['status'],
      notBefore: k.notBefore.toISOString(),
      notAfter: k.notAfter.toISOString(),
    }));
    return {
      issuer: {
        id: city.id,
        uri: deps.issuerUri,
        name: city.name,
        country: city.country,
        keys: trusted,
        statusList: { ...packStatuses(status.values, 2 as StatusBits, status.size), fetchedAt: clock().toISOString() },
      },
      keysKey: keys.map((k) => `${k.kid}:${k.status}`).join(','),
      statusVersion: status.version,
    };
  }

  async function refresh(): Promise<void> {
    const partners = deps.partners();
    const [own, partnerVersion] = await Promise.all([ownIssuer(), partners.version()]);
    const keysKey = `${own.keysKey}|${partnerVersion}`;
    if (state && state.keysKey === keysKey) {
      // Same keys: swap the status list in place (verifyCredential reads it at each call).
      state.own.statusList = own.issuer.statusList;
      state.statusVersion = own.statusVersion;
      state.checkedAt = Date.now();
      return;
    }
    const issuers = [own.issuer, ...(await partners.issuers()).filter((p) => p.id !== own.issuer.id && p.uri !== own.issuer.uri)];
    const store = await prepareTrustStore({ ownCountry: deps.country, issuers }, { check: nodeSignatureCheck });
    state = { store, own: own.issuer, keysKey, statusVersion: own.statusVersion, checkedAt: Date.now() };
  }

  return {
    /** The prepared store, refreshed when older than a couple of seconds; the last good copy when the database is away. */
    async store(): Promise<PreparedTrustStore> {
      if (!state || Date.now() - state.checkedAt > REFRESH_MS) {
        refreshing ??= refresh().finally(() => {
          refreshing = undefined;
        });
        try {
          await refreshing;
        } catch (e) {
          if (!state) throw e;
          state.checkedAt = Date.now() - REFRESH_MS / 2;
        }
      }
      return state!.store;
    },
    /** Forget the cached store (after a key or partner change on this instance). */
    invalidate(): void {
      if (state) state.checkedAt = 0;
      state = state && { ...state, keysKey: '' };
    },
  };
}

export type TrustService = ReturnType<typeof createTrustService>;
