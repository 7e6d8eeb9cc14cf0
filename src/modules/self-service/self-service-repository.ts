/** The only code that touches resident_accounts. */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { residentAccounts } from './self-service-tables.js';

export type AccountRow = typeof residentAccounts.$inferSelect;

export function createSelfServiceRepository() {
  return {
    async byResident(db: Executor, residentId: string, opts: { forUpdate?: boolean } = {}): Promise<AccountRow | undefined> {
      const q = db.select().from(residentAccounts).where(eq(residentAccounts.residentId, residentId));
      const [row] = opts.forUpdate ? await q.for('update') : await q;
      return row;
    },
    async byId(db: Executor, id: string): Promise<AccountRow | undefined> {
      const [row] = await db.select().from(residentAccounts).where(eq(residentAccounts.id, id));
      return row;
    },
    async upsert(db: Executor, residentId: string, pinHash: string, now: Date): Promise<AccountRow> {
      const [row] = await db
        .insert(residentAccounts)
        .values({ residentId, pinHash, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: residentAccounts.residentId,
          set: { pinHash, failedAttempts: 0, lockedUntil: null, updatedAt: now, tokenVersion: sql`${residentAccounts.tokenVersion} + 1` },
        })
        .returning();
      return row!;
    },
    async update(db: Executor, id: string, patch: Partial<typeof residentAccounts.$inferInsert>): Promise<AccountRow> {
      const [row] = await db.update(residentAccounts).set(patch).where(eq(residentAccounts.id, id)).returning();
      return row!;
    },
  };
}

export type SelfServiceRepository = ReturnType<typeof createSelfServiceRepository>;
