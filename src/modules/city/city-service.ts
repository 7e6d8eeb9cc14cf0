/**
 * The city as an issuer: its record, its root key and signing keys. On an
 * empty database `bootstrap` creates all three and the first admin account,
 * once, even when several instances start together (advisory lock).
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { FieldCipher } from '../../security/field-cipher.js';
import type { AuditService } from '../audit/audit-service.js';
import type { StaffService } from '../staff/staff-service.js';
import type { CityRepository, CityRow, KeyRow } from './city-repository.js';
import { certifySigningKey, generateEd25519, unsealPrivateKey } from './key-material.js';

/** A root key lives long; a signing key signs for a year, then verifies the cards it signed until they expire. */
export const ROOT_KEY_YEARS = 20;
export const SIGNING_PERIOD_DAYS = 365;
/** Longest card validity any city rule may set; a signing key's validity covers it. */
export const MAX_CARD_VALIDITY_DAYS = 5 * 365 + 2;

const BOOTSTRAP_LOCK = 7_370_421_002;
const DAY = 86_400_000;

export interface Signer {
  kid: string;
  privateKey: KeyObject;
  notAfter: Date;
}

export interface CityServiceDeps {
  db: Db;
  repo: CityRepository;
  cipher: FieldCipher;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
}

export function createCityService(deps: CityServiceDeps) {
  const { db, repo, cipher, audit, clock } = deps;
  let signerCache: { signer: Signer; at: number } | undefined;

  async function newSigningKey(tx: Parameters<Parameters<Db['transaction']>[0]>[0], issuer: string, root: { kid: string; privateKey: KeyObject }, now: Date) {
    const key = await generateEd25519(cipher);
    const notAfter = new Date(now.getTime() + (SIGNING_PERIOD_DAYS + MAX_CARD_VALIDITY_DAYS) * DAY);
    const certificate = await certifySigningKey({ root, issuer, signing: key, notBefore: now, notAfter });
    await repo.insertKey(tx, {
      kid: key.kid,
      kind: 'signing',
      alg: 'EdDSA',
      publicJwk: key.publicJwk,
      privateKey: key.sealedPrivateKey,
      status: 'active',
      notBefore: now,
      notAfter,
      certificate,
    });
    return key;
  }

  return {
    /**
     * Creates the city, its keys and the admin account on an empty database.
     * Returns the admin's one-time password when it generated one.
     */
    async bootstrap(input: { id: string; name: string; country: string; adminPassword?: string; staff: Pick<StaffService, 'create'> }): Promise<{ created: boolean; generatedAdminPassword?: string }> {
      const existing = await repo.get(db);
      if (existing) return { created: false };
      const now = clock();
      const created = await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
        if (await repo.get(tx)) return false;
        await repo.insert(tx, { id: input.id, name: input.name, country: input.country });
        const root = await generateEd25519(cipher);
        await repo.insertKey(tx, {
          kid: root.kid,
          kind: 'root',
          alg: 'EdDSA',
          publicJwk: root.publicJwk,
          privateKey: root.sealedPrivateKey,
          status: 'active',
          notBefore: now,
          notAfter: new Date(now.getTime() + ROOT_KEY_YEARS * 365 * DAY),
        });
        const signing = await newSigningKey(tx, input.id, root, now);
        await audit.record(tx, { actor: { type: 'system' }, action: 'city.create', targetType: 'city', targetId: input.id });
        await audit.record(tx, { actor: { type: 'system' }, action: 'key.create', targetType: 'key', targetId: root.kid });
        await audit.record(tx, { actor: { type: 'system' }, action: 'key.create', targetType: 'key', targetId: signing.kid });
        return true;
      });
      if (!created) return { created: false };
      const generated = input.adminPassword ? undefined : randomBytes(18).toString('base64url');
      // A generated password was printed to a terminal: the console makes the admin replace it at first sign-in.
      await input.staff.create({ type: 'system' }, { username: 'admin', password: input.adminPassword ?? generated!, role: 'admin', mustChangePassword: generated !== undefined });
      return { created: true, generatedAdminPassword: generated };
    },

    async city(): Promise<CityRow> {
      const row = await repo.get(db);
      if (!row) throw new Error('city not bootstrapped');
      return row;
    },

    async keys(kind?: 'root' | 'signing'): Promise<KeyRow[]> {
      return repo.keys(db, kind);
    },

    /** The active signing key, unsealed; cached briefly (rotation takes effect within a minute on every instance). */
    async activeSigner(): Promise<Signer> {
      const now = Date.now();
      if (signerCache && now - signerCache.at < 60_000) return signerCache.signer;
      const row = await repo.activeKey(db, 'signing');
      if (!row) throw new Error('no active signing key');
      const signer = { kid: row.kid, privateKey: unsealPrivateKey(cipher, row), notAfter: row.notAfter };
      signerCache = { signer, at: now };
      return signer;
    },

    /** The root key, unsealed (issuer metadata, key certificates, status lists). */
    async rootSigner(): Promise<Signer> {
      const row = await repo.activeKey(db, 'root');
      if (!row) throw new Error('no active root key');
      return { kid: row.kid, privateKey: unsealPrivateKey(cipher, row), notAfter: row.notAfter };
    },

    forgetCachedSigner() {
      signerCache = undefined;
    },

    newSigningKey,
  };
}

export type CityService = ReturnType<typeof createCityService>;
