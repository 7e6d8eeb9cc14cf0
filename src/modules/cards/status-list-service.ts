/**
 * The published status list (IETF Token Status List, DESIGN.md "Revocation").
 * Every transition bumps a version in its own transaction; the list for a
 * version is built and signed once per instance and served from memory, so
 * serving it under load costs one indexed read. `iat` is the time of the
 * last change (strictly increasing: cards-repository bumpStatusList), `exp`
 * the hour it is signed plus its lifetime, so the token is deterministic for
 * a version, a key and an hour (Ed25519 signatures are deterministic) and
 * instances behind a load balancer serve the same bytes and the same ETag.
 * `sub` is the list's URL: exactly the `status.status_list.uri` cards carry.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { encodeStatusList, signStatusList } from '../../credential/index.js';
import type { Db } from '../../db/client.js';
import type { CityService } from '../city/city-service.js';
import { STATUS_VALUE, type CardState } from './card-states.js';
import type { CardsRepository } from './cards-repository.js';

/** Verifiers may cache a copy this long (the `ttl` claim and Cache-Control max-age). */
export const STATUS_LIST_TTL_SECONDS = 300;
/** A copy stays usable this long (`exp`): verifiers offline for a day still work, then say it is old. */
export const STATUS_LIST_LIFETIME_SECONDS = 2 * 86_400;

export interface PublishedStatusList {
  jwt: string;
  /** The token gzipped (served when the client accepts gzip). */
  gzip: Buffer;
  /** Weak (`W/"…"`): the gzipped and plain bodies are the same list. */
  etag: string;
  version: number;
  size: number;
  iat: number;
}

export function createStatusListService(deps: { db: Db; repo: CardsRepository; city: CityService; clock: () => Date; statusListUrl: string; minSlots: number }) {
  const { db, repo, city, clock } = deps;
  let cached: { key: string; list: PublishedStatusList } | undefined;
  let building: { key: string; promise: Promise<PublishedStatusList> } | undefined;

  /** The statuses by slot, as the database holds them now. */
  async function statuses(): Promise<{ values: Uint8Array; version: number; size: number }> {
    const state = (await repo.statusListState(db)) ?? { version: 0, size: deps.minSlots };
    const values = new Uint8Array(state.size);
    for (const { statusIndex, state: s } of await repo.nonValid(db)) values[statusIndex] = STATUS_VALUE[s as CardState];
    return { values, version: state.version, size: state.size };
  }

  async function build(version: number, iat: number, hour: number): Promise<PublishedStatusList> {
    const [{ values, size }, signer, row] = await Promise.all([statuses(), city.activeSigner(), city.city()]);
    const claim = encodeStatusList(values, 2, size);
    const exp = Math.max(hour, iat) + STATUS_LIST_LIFETIME_SECONDS;
    const jwt = await signStatusList(claim, { id: row.id, statusListUrl: deps.statusListUrl }, { kid: signer.kid, privateKey: signer.privateKey, alg: 'EdDSA' }, iat, STATUS_LIST_TTL_SECONDS, exp);
    const etag = `W/"${createHash('sha256').update(jwt).digest('base64url').slice(0, 27)}"`;
    return { jwt, gzip: gzipSync(jwt, { level: 9 }), etag, version, size, iat };
  }

  return {
    statuses,

    async current(): Promise<PublishedStatusList> {
      const state = await repo.statusListState(db);
      const version = state?.version ?? 0;
      const hour = Math.floor(clock().getTime() / 3_600_000) * 3600;
      // The last change; before any change, the city's first list is dated by the hour it is first served.
      const iat = state ? Math.floor(state.changedAt.getTime() / 1000) : hour;
      const signer = await city.activeSigner();
      const key = `${version}:${iat}:${hour}:${signer.kid}`;
      if (cached?.key === key) return cached.list;
      if (building?.key !== key) building = { key, promise: build(version, iat, hour) };
      const list = await building.promise;
      cached = { key, list };
      return list;
    },
  };
}

export type StatusListService = ReturnType<typeof createStatusListService>;
