/**
 * The city's key ring as others see it: JWKS, signed issuer metadata, and the
 * administrator's rotation and revocation of signing keys.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import type { CityRepository, KeyRow } from '../city/city-repository.js';
import type { CityService } from '../city/city-service.js';
import { METADATA_LIFETIME_SECONDS, signIssuerMetadata, type IssuerMetadata } from './issuer-metadata.js';
import type { PublicProfile } from '../network/public-profile.js';

export interface KeyView {
  kid: string;
  kind: 'root' | 'signing';
  status: 'active' | 'retired' | 'revoked';
  notBefore: string;
  notAfter: string;
}

const toView = (k: KeyRow): KeyView => ({
  kid: k.kid,
  kind: k.kind as KeyView['kind'],
  status: k.status as KeyView['status'],
  notBefore: k.notBefore.toISOString(),
  notAfter: k.notAfter.toISOString(),
});

export interface KeysServiceDeps {
  db: Db;
  repo: CityRepository;
  city: CityService;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  publicUrl: string;
  /** Called after any key change, inside its transaction's aftermath (status list, caches). */
  onChange?: () => void;
  /** The city's public profile for the map of the network, published in the metadata (src/modules/network). */
  profile?: () => Promise<PublicProfile>;
}

export function createKeysService(deps: KeysServiceDeps) {
  const { db, repo, city, audit, clock } = deps;

  /** Signing keys that still verify something: active, or retired and not past their validity. */
  function liveSigningKeys(keys: KeyRow[], now: Date): KeyRow[] {
    return keys.filter((k) => k.kind === 'signing' && (k.status === 'active' || k.status === 'retired') && k.notAfter > now);
  }

  return {
    async list(): Promise<KeyView[]> {
      return (await repo.keys(db)).map(toView);
    },

    /** RFC 7517 JWK Set of the signing keys that still verify cards. */
    async jwks(): Promise<{ keys: Array<Record<string, string>> }> {
      const keys = liveSigningKeys(await repo.keys(db, 'signing'), clock());
      return { keys: keys.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })) };
    },

    async metadata(): Promise<{ jws: string; payload: IssuerMetadata; etag: string }> {
      const now = clock();
      const [row, keys, profile] = await Promise.all([city.city(), repo.keys(db), deps.profile?.()]);
      const root = keys.find((k) => k.kind === 'root' && k.status === 'active');
      if (!root) throw new Error('no active root key');
      // iat on the hour: Ed25519 is deterministic, so the same keys give the same bytes (and ETag) all hour, on every instance.
      const iat = Math.floor(now.getTime() / 3_600_000) * 3600;
      const payload: IssuerMetadata = {
        iss: row.id,
        name: row.name,
        country: row.country,
        root: root.publicJwk,
        keys: liveSigningKeys(keys, now).map((k) => ({ kid: k.kid, status: k.status as 'active' | 'retired', cert: k.certificate! })),
        revoked: keys.filter((k) => k.kind === 'signing' && k.status === 'revoked').map((k) => k.kid),
        status_list_url: `${deps.publicUrl}/v1/status-list`,
        jwks_url: `${deps.publicUrl}/.well-known/jwks.json`,
        iat,
        exp: iat + METADATA_LIFETIME_SECONDS,
        ...(profile && Object.keys(profile).length > 0 ? { public: profile } : {}),
      };
      const jws = await signIssuerMetadata(payload, await city.rootSigner());
      return { jws, payload, etag: `"${createHash('sha256').update(jws).digest('base64url').slice(0, 27)}"` };
    },

    /** Starts a new signing key; the previous one retires and keeps verifying the cards it signed. */
    async rotate(actor: Actor): Promise<KeyView> {
      const now = clock();
      const root = await city.rootSigner();
      const created = await db.transaction(async (tx) => {
        const active = (await repo.keys(tx, 'signing')).filter((k) => k.status === 'active');
        await repo.setKeyStatus(tx, active.map((k) => k.kid), 'retired', now);
        const key = await city.newSigningKey(tx, (await repo.get(tx))!.id, root, now);
        for (const k of active) await audit.record(tx, { actor, action: 'key.retire', targetType: 'key', targetId: k.kid });
        await audit.record(tx, { actor, action: 'key.rotate', targetType: 'key', targetId: key.kid });
        return (await repo.keyByKid(tx, key.kid))!;
      });
      city.forgetCachedSigner();
      deps.onChange?.();
      return toView(created);
    },

    /**
     * Marks a compromised signing key revoked: every card it signed reports
     * `key_revoked`. When it was the active key, a new one takes over at once.
     */
    async revoke(actor: Actor, kid: string): Promise<KeyView> {
      const now = clock();
      const root = await city.rootSigner();
      const row = await db.transaction(async (tx) => {
        const key = await repo.keyByKid(tx, kid);
        if (!key || key.kind !== 'signing') throw new AppError('key-not-found');
        if (key.status === 'revoked') throw new AppError('key-already-revoked');
        await repo.setKeyStatus(tx, [kid], 'revoked', now);
        await audit.record(tx, { actor, action: 'key.revoke', targetType: 'key', targetId: kid });
        if (key.status === 'active') {
          const next = await city.newSigningKey(tx, (await repo.get(tx))!.id, root, now);
          await audit.record(tx, { actor, action: 'key.rotate', targetType: 'key', targetId: next.kid });
        }
        return (await repo.keyByKid(tx, kid))!;
      });
      city.forgetCachedSigner();
      deps.onChange?.();
      return toView(row);
    },
  };
}

export type KeysService = ReturnType<typeof createKeysService>;
