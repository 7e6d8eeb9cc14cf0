/**
 * The federation's answer to the verification module's PartnerSource: the
 * active partners as TrustedIssuers (keys certified by their pinned roots,
 * last good status list), rebuilt when the federation version changes.
 * Partners of another country are included: their cards read
 * `foreign_issuer`, and prepareTrustStore scopes recognition by country.
 */
import { decodeStatusList, type StatusListClaim, type TrustedIssuer } from '../../credential/index.js';
import type { Db } from '../../db/client.js';
import type { PartnerSource } from '../verification/trust-service.js';
import { issuerUriOfStatusListUrl } from '../cards/status-list-url.js';
import type { FederationRepository, PartnerRow } from './federation-repository.js';

export function createPartnerSource(deps: { db: Db; repo: FederationRepository }): PartnerSource {
  let cache: { version: string; issuers: Array<PartnerIssuer> } | undefined;
  const version = async () => `federation-${await deps.repo.version(deps.db)}`;
  return {
    version,
    async issuers() {
      const v = await version();
      if (cache?.version === v) return cache.issuers;
      const rows = await deps.repo.active(deps.db);
      const issuers = rows.filter((r) => r.keys.length > 0).map(toIssuer);
      cache = { version: v, issuers };
      return issuers;
    },
  };
}

/** A partner as a trusted issuer, with how it came (the verifier bundles split the world directory's from the rest). */
type PartnerIssuer = TrustedIssuer & { statusListJwt?: string; source?: string };

function toIssuer(row: PartnerRow): PartnerIssuer {
  const issuer: PartnerIssuer = {
    id: row.id,
    // The partner's cards carry its public address as `iss`; its signed metadata gives it through the status list URL.
    ...(row.statusListUrl ? { uri: issuerUriOfStatusListUrl(row.statusListUrl) } : {}),
    name: row.name,
    country: row.country,
    source: row.source,
    keys: row.keys.map((k) => ({ kid: k.kid, jwk: k.jwk, alg: k.alg, status: k.status, notBefore: k.notBefore, notAfter: k.notAfter })),
  };
  if (row.statusListJwt && row.statusListFetchedAt) {
    const jwt = row.statusListJwt;
    const fetchedAt = row.statusListFetchedAt.toISOString();
    let list: TrustedIssuer['statusList'];
    // Verified (signature, issuer, expiry) when it was fetched; here it is only unpacked, when a card of this issuer is
    // first checked (verify.ts reads it then). Unpacking all up front cost ~3 ms and ≥ 32 kB per issuer: with a world
    // directory of 35,000 cities, minutes and over a gigabyte to build bundles that carry the lists as they came.
    Object.defineProperty(issuer, 'statusList', {
      enumerable: true,
      configurable: true,
      get() {
        if (!list) {
          const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { status_list: StatusListClaim };
          list = { ...decodeStatusList(claims.status_list), fetchedAt };
        }
        return list;
      },
      set(v: TrustedIssuer['statusList']) {
        list = v;
      },
    });
    issuer.statusListJwt = jwt;
  }
  return issuer;
}
