/** The only code that touches the city and signing_keys tables. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { city, signingKeys } from './city-tables.js';

export type CityRow = typeof city.$inferSelect;
export type KeyRow = typeof signingKeys.$inferSelect;

export function createCityRepository() {
  return {
    async get(db: Executor): Promise<CityRow | undefined> {
      const [row] = await db.select().from(city).limit(1);
      return row;
    },
    async insert(db: Executor, row: typeof city.$inferInsert): Promise<void> {
      await db.insert(city).values(row);
    },
    async insertKey(db: Executor, row: typeof signingKeys.$inferInsert): Promise<void> {
      await db.insert(signingKeys).values(row);
    },
    async keys(db: Executor, kind?: 'root' | 'signing'): Promise<KeyRow[]> {
      return db
        .select()
        .from(signingKeys)
        .where(kind ? eq(signingKeys.kind, kind) : undefined)
        .orderBy(asc(signingKeys.createdAt));
    },
    async activeKey(db: Executor, kind: 'root' | 'signing'): Promise<KeyRow | undefined> {
      const [row] = await db
        .select()
        .from(signingKeys)
        .where(and(eq(signingKeys.kind, kind), eq(signingKeys.status, 'active')))
        .limit(1);
      return row;
    },
    async keyByKid(db: Executor, kid: string): Promise<KeyRow | undefined> {
      const [row] = await db.select().from(signingKeys).where(eq(signingKeys.kid, kid));
      return row;
    },
    async setKeyStatus(db: Executor, kids: string[], status: 'active' | 'retired' | 'revoked', at: Date): Promise<void> {
      if (kids.length === 0) return;
      await db
        .update(signingKeys)
        .set({ status, updatedAt: at, ...(status === 'revoked' ? { revokedAt: at } : {}) })
        .where(inArray(signingKeys.kid, kids));
    },
  };
}

export type CityRepository = ReturnType<typeof createCityRepository>;
