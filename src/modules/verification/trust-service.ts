/**
 * The server's trust store: this city's keys and live status, plus partner
 * cities (federation), prepared once (keys imported) and refreshed at most
 * every few seconds. When the database is unreachable the last good copy
 * keeps answering, and reports how old its status lists are.
 *
 * A card changed on this instance reads at once in its new state here
 * (issue 13, finding 11): the cards service reports each status-list version
 * it writes (`statusChanged`), and until the store holds that version every
 * verification refreshes first. It is told inside the transaction, so the
 * version may not be committed yet when a refresh reads: the store keeps
 * refreshing until it sees it (or, for a transaction that rolled back, for
 * REFRESH_MS at most). Other instances still see the change within REFRESH_MS.
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
  issuers(): Promise<Array<TrustedIssuer & { statusListJwt?: string; source?: string }>>;
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
  /** The newest status-list version written on this instance, and until when to insist on reading it. */
  let wanted = { version: -1, until: 0 };
  const behind = () => state !== undefined && state.statusVersion < wanted.version && Date.now() < wanted.until;

  /** One refresh at a time: a caller arriving during one waits for it, then starts its own if still behind. */
  async function refreshOnce(): Promise<void> {
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    await refreshing;
  }

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

  /** Bumped by invalidate(): a refresh that read before it must not count as fresh. */
  let generation = 0;

  async function refresh(): Promise<void> {
    const read = generation;
    await refreshFrom();
    if (read !== generation && state) {
      state.checkedAt = 0;
      state.keysKey = '';
    }
  }

  async function refreshFrom(): Promise<void> {
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
      // A refresh already running may have read before this instance's last change: a few rounds, then the copy in hand.
      for (let round = 0; round < 3 && (!state || Date.now() - state.checkedAt > REFRESH_MS || behind()); round++) {
        try {
          await refreshOnce();
        } catch (e) {
          if (!state) throw e;
          state.checkedAt = Date.now() - REFRESH_MS / 2;
          break;
        }
      }
      return state!.store;
    },
    /** This instance wrote status-list version `version` (a card changed): verifications here wait until the store holds it. */
    statusChanged(version: number): void {
      if (version > wanted.version) wanted = { version, until: Date.now() + REFRESH_MS };
    },
    /** Forget the cached store (after a key or partner change on this instance). */
    invalidate(): void {
      generation++;
      if (state) state.checkedAt = 0;
      state = state && { ...state, keysKey: '' };
    },
  };
}

export type TrustService = ReturnType<typeof createTrustService>;
