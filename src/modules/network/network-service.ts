/**
 * The map of the network (GET /v1/network, /v1/network.geojson): this city
 * and every city it knows — partners registered by hand, its national trust
 * list, the world directory — with the public fields each publishes in its
 * signed issuer metadata. A partner whose metadata has not been verified yet
 * is listed with its name and country only (`verified: false`). Nothing
 * here is about a resident.
 */
import type { Db } from '../../db/client.js';
import type { FederationRepository } from '../federation/federation-repository.js';
import { cleanProfile, type PublicProfile } from './public-profile.js';

export interface NetworkCity extends PublicProfile {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** How this city knows it: itself, a partner confirmed by hand, the national trust list, or the world directory. */
  source: 'self' | 'manual' | 'trust_list' | 'directory';
  /** Its cards are recognised here (same country); others read foreign_issuer, genuine or not. */
  recognised: boolean;
  /** Its signed metadata was verified against its pinned root (the public fields come from it). */
  verified: boolean;
  /** When this city first registered it (ISO instant); absent for itself. */
  knownSince?: string;
}

export interface NetworkPage {
  city: string;
  /** This city's name (the page says who knows these cities). */
  name: string;
  country: string;
  /** Cities, by country then id. */
  items: NetworkCity[];
  next?: string;
}

/** RFC 7946 FeatureCollection of the cities with coordinates. */
export interface NetworkGeoJson {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; id: string; geometry: { type: 'Point'; coordinates: [number, number] }; properties: Omit<NetworkCity, 'coordinates'> }>;
}

function publicOf(metadataJws: string | null): PublicProfile {
  if (!metadataJws) return {};
  try {
    // Verified when it was stored (signature by the pinned root); only read here, and each field checked again.
    const p = JSON.parse(Buffer.from(metadataJws.split('.')[1]!, 'base64url').toString('utf8')) as { public?: unknown };
    return cleanProfile(p.public);
  } catch {
    return {};
  }
}

export function createNetworkService(deps: {
  db: Db;
  repo: Pick<FederationRepository, 'networkRows' | 'version'>;
  own: { id: string; name: string; country: string };
  profile: () => Promise<PublicProfile>;
  clock: () => Date;
}) {
  let cache: { key: string; cities: NetworkCity[] } | undefined;

  async function all(): Promise<NetworkCity[]> {
    // Rebuilt when a partner changes, and each minute for this city's live figures (offers, Welcoming Week).
    const key = `${await deps.repo.version(deps.db)}|${Math.floor(deps.clock().getTime() / 60_000)}`;
    if (cache?.key === key) return cache.cities;
    const [rows, profile] = await Promise.all([deps.repo.networkRows(deps.db), deps.profile()]);
    const self: NetworkCity = { id: deps.own.id, name: deps.own.name, country: deps.own.country, source: 'self', recognised: true, verified: true, ...profile };
    const others = rows
      .filter((r) => r.id !== deps.own.id)
      .map((r): NetworkCity => ({
        id: r.id,
        name: r.name,
        country: r.country,
        source: r.source as NetworkCity['source'],
        recognised: r.country === deps.own.country,
        verified: r.state === 'active' && r.metadataJws !== null,
        knownSince: r.createdAt.toISOString(),
        ...(r.state === 'active' ? publicOf(r.metadataJws) : {}),
      }));
    const cities = [self, ...others].sort((a, b) => (a.country === b.country ? (a.id < b.id ? -1 : 1) : a.country < b.country ? -1 : 1));
    cache = { key, cities };
    return cities;
  }

  const sortKey = (c: NetworkCity) => `${c.country}/${c.id}`;

  return {
    /** One page of cities (keyset by `country/id`), optionally of one country. */
    async list(q: { limit: number; after?: string; country?: string }): Promise<NetworkPage> {
      const cities = (await all()).filter((c) => (!q.country || c.country === q.country) && (!q.after || sortKey(c) > q.after));
      const items = cities.slice(0, q.limit);
      return { city: deps.own.id, name: deps.own.name, country: deps.own.country, items, ...(cities.length > q.limit ? { next: sortKey(items[items.length - 1]!) } : {}) };
    },

    /** Every city with coordinates, as GeoJSON points (RFC 7946: longitude first). */
    async geojson(q: { country?: string }): Promise<NetworkGeoJson> {
      const features = (await all())
        .filter((c) => c.coordinates && (!q.country || c.country === q.country))
        .map(({ coordinates, ...properties }) => ({ type: 'Feature' as const, id: properties.id, geometry: { type: 'Point' as const, coordinates: [coordinates!.lon, coordinates!.lat] as [number, number] }, properties }));
      return { type: 'FeatureCollection', features };
    },
  };
}

export type NetworkService = ReturnType<typeof createNetworkService>;
