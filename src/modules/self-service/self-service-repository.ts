/** The only code that touches resident_accounts. */
import { and, eq, gte, isNull, lte, or, sql } from 'drizzle-orm';
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
    /**
     * Counts a sign-in guess before its PIN is checked, in one statement, so
     * simultaneous guesses each get their own count. A lock that has ended
     * starts the count afresh.
     */
    async countGuess(db: Executor, id: string, now: Date): Promise<AccountRow | undefined> {
      const t = residentAccounts;
      const ended = sql`${t.lockedUntil} <= ${now.toISOString()}::timestamptz`;
      const [row] = await db
        .update(t)
        .set({
          failedAttempts: sql`case when ${ended} then 1 else ${t.failedAttempts} + 1 end`,
          lockedUntil: sql`case when ${ended} then null else ${t.lockedUntil} end`,
        })
        .where(eq(t.id, id))
        .returning();
      return row;
    },
    /** Locks the account (and ends its sessions) if its count reached `maxFailures` and no lock holds yet. */
    async lockIfReached(db: Executor, id: string, now: Date, policy: { maxFailures: number; lockMs: number }): Promise<void> {
      const t = residentAccounts;
      await db
        .update(t)
        .set({ lockedUntil: new Date(now.getTime() + policy.lockMs), tokenVersion: sql`${t.tokenVersion} + 1`, updatedAt: now })
        .where(and(eq(t.id, id), gte(t.failedAttempts, policy.maxFailures), or(isNull(t.lockedUntil), lte(t.lockedUntil, now))));
    },
    /** A right PIN: the count starts afresh. Returns the row as it now is (its token version may have moved). */
    async clearGuesses(db: Executor, id: string): Promise<AccountRow | undefined> {
      const [row] = await db.update(residentAccounts).set({ failedAttempts: 0, lockedUntil: null }).where(eq(residentAccounts.id, id)).returning();
      return row;
    },
    async update(db: Executor, id: string, patch: Partial<typeof residentAccounts.$inferInsert>): Promise<AccountRow> {
      const [row] = await db.update(residentAccounts).set(patch).where(eq(residentAccounts.id, id)).returning();
      return row!;
    },
  };
}

export type SelfServiceRepository = ReturnType<typeof createSelfServiceRepository>;
