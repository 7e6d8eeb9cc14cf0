/** The only code that touches the federation tables. */
import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { federationPartners, federationState } from './federation-tables.js';

export type PartnerRow = typeof federationPartners.$inferSelect;
export type NewPartnerRow = typeof federationPartners.$inferInsert;
export type PartnerPatch = Partial<Omit<NewPartnerRow, 'id' | 'createdAt'>>;
export type PartnerPin = Pick<PartnerRow, 'id' | 'name' | 'country' | 'source' | 'rootFingerprint' | 'metadataUrl'>;

/** Ids per batched statement. */
const BATCH = 5_000;

export function createFederationRepository() {
  async function ensureState(db: Executor): Promise<void> {
    await db.insert(federationState).values({ id: 1 }).onConflictDoNothing();
  }

  return {
    async get(db: Executor, id: string): Promise<PartnerRow | undefined> {
      const [row] = await db.select().from(federationPartners).where(eq(federationPartners.id, id));
      return row;
    },

    /** Keyset pagination by issuer id. */
    async list(db: Executor, q: { after?: string; limit: number; country?: string; state?: string }): Promise<PartnerRow[]> {
      return db
        .select()
        .from(federationPartners)
        .where(
          and(
            q.after ? gt(federationPartners.id, q.after) : undefined,
            q.country ? eq(federationPartners.country, q.country) : undefined,
            q.state ? eq(federationPartners.state, q.state) : undefined,
          ),
        )
        .orderBy(asc(federationPartners.id))
        .limit(q.limit);
    },

    /** Partners whose keys were verified: what the trust store and the bundle hold. */
    async active(db: Executor): Promise<PartnerRow[]> {
      return db.select().from(federationPartners).where(eq(federationPartners.state, 'active')).orderBy(asc(federationPartners.id));
    },

    /** Every partner as the map of the network shows it (its last good metadata holds its public fields). */
    async networkRows(db: Executor): Promise<Array<Pick<PartnerRow, 'id' | 'name' | 'country' | 'source' | 'state' | 'metadataJws' | 'createdAt'>>> {
      return db
        .select({ id: federationPartners.id, name: federationPartners.name, country: federationPartners.country, source: federationPartners.source, state: federationPartners.state, metadataJws: federationPartners.metadataJws, createdAt: federationPartners.createdAt })
        .from(federationPartners)
        .orderBy(asc(federationPartners.id));
    },

    async ids(db: Executor): Promise<string[]> {
      return (await db.select({ id: federationPartners.id }).from(federationPartners).orderBy(asc(federationPartners.id))).map((r) => r.id);
    },

    async pins(db: Executor): Promise<PartnerPin[]> {
      return db
        .select({
          id: federationPartners.id,
          name: federationPartners.name,
          country: federationPartners.country,
          source: federationPartners.source,
          rootFingerprint: federationPartners.rootFingerprint,
          metadataUrl: federationPartners.metadataUrl,
        })
        .from(federationPartners);
    },

    async insert(db: Executor, row: NewPartnerRow): Promise<void> {
      await db.insert(federationPartners).values(row);
    },

    /**
     * Pending trust-list entries, many at once: one INSERT … SELECT FROM unnest()
     * per batch of arrays (a multi-row VALUES of 35,000 rows costs drizzle's
     * builder seconds; seven array parameters cost nothing).
     */
    async insertPending(db: Executor, rows: Array<Pick<NewPartnerRow, 'id' | 'name' | 'country' | 'rootFingerprint' | 'metadataUrl'>>, source: string, at: Date): Promise<void> {
      for (let i = 0; i < rows.length; i += BATCH) {
        const part = rows.slice(i, i + BATCH);
        const col = (f: (r: (typeof part)[number]) => string | null | undefined) => sql.param(part.map((r) => f(r) ?? null));
        await db.execute(sql`
          insert into ${federationPartners} (id, name, country, source, state, root_fingerprint, metadata_url, created_at, updated_at)
          select id, name, country, ${source}, 'pending', fp, url, ${at}, ${at}
          from unnest(${col((r) => r.id)}::text[], ${col((r) => r.name)}::text[], ${col((r) => r.country)}::text[], ${col((r) => r.rootFingerprint)}::text[], ${col((r) => r.metadataUrl)}::text[])
            as t(id, name, country, fp, url)`);
      }
    },

    async update(db: Executor, id: string, patch: PartnerPatch, at: Date): Promise<void> {
      await db.update(federationPartners).set({ ...patch, updatedAt: at }).where(eq(federationPartners.id, id));
    },

    async delete(db: Executor, id: string): Promise<boolean> {
      return (await db.delete(federationPartners).where(eq(federationPartners.id, id)).returning({ id: federationPartners.id })).length > 0;
    },

    async deleteMany(db: Executor, ids: string[]): Promise<void> {
      for (let i = 0; i < ids.length; i += BATCH) await db.delete(federationPartners).where(sql`${federationPartners.id} = any(${sql.param(ids.slice(i, i + BATCH))}::text[])`);
    },

    /** Changes with every write to partners; every instance compares it to rebuild its trust store. */
    async version(db: Executor): Promise<number> {
      const [row] = await db.select({ version: federationState.version }).from(federationState).where(eq(federationState.id, 1));
      return row?.version ?? 0;
    },

    async bumpVersion(db: Executor): Promise<void> {
      await ensureState(db);
      await db.update(federationState).set({ version: sql`${federationState.version} + 1` }).where(eq(federationState.id, 1));
    },

    /** The newest trust list's `iat`, the row locked until the transaction ends (imports run one at a time). */
    async lockTrustListIat(db: Executor): Promise<number | null> {
      await ensureState(db);
      const [row] = await db.select({ iat: federationState.trustListIat }).from(federationState).where(eq(federationState.id, 1)).for('update');
      return row?.iat ?? null;
    },

    async setTrustList(db: Executor, iat: number, at: Date): Promise<void> {
      await db.update(federationState).set({ trustListIat: iat, trustListImportedAt: at }).where(eq(federationState.id, 1));
    },

    /** Takes the sync lease when free or lapsed: one instance of the city syncs partners at a time. */
    async takeSyncLease(db: Executor, now: Date, until: Date): Promise<boolean> {
      await ensureState(db);
      const rows = await db
        .update(federationState)
        .set({ syncLeaseUntil: until })
        .where(and(eq(federationState.id, 1), or(isNull(federationState.syncLeaseUntil), lt(federationState.syncLeaseUntil, now))))
        .returning({ id: federationState.id });
      return rows.length > 0;
    },

    async releaseSyncLease(db: Executor): Promise<void> {
      await db.update(federationState).set({ syncLeaseUntil: null }).where(eq(federationState.id, 1));
    },
  };
}

export type FederationRepository = ReturnType<typeof createFederationRepository>;
