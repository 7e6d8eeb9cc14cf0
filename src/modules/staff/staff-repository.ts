/** The only code that touches staff, service_keys and login_throttle. */
import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { loginThrottle, serviceKeys, staff } from './staff-tables.js';

export type StaffRow = typeof staff.$inferSelect;
export type ServiceKeyRow = typeof serviceKeys.$inferSelect;
export type ThrottleRow = typeof loginThrottle.$inferSelect;

export function createStaffRepository() {
  return {
    async insert(db: Executor, row: typeof staff.$inferInsert): Promise<StaffRow> {
      const [created] = await db.insert(staff).values(row).returning();
      return created!;
    },
    async byUsername(db: Executor, username: string): Promise<StaffRow | undefined> {
      const [row] = await db.select().from(staff).where(eq(staff.username, username));
      return row;
    },
    async byId(db: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<StaffRow | undefined> {
      const q = db.select().from(staff).where(eq(staff.id, id));
      const [row] = opts.forUpdate ? await q.for('update') : await q;
      return row;
    },
    async list(db: Executor): Promise<StaffRow[]> {
      return db.select().from(staff).orderBy(asc(staff.username));
    },
    async update(db: Executor, id: string, patch: Partial<typeof staff.$inferInsert>): Promise<StaffRow> {
      const [row] = await db.update(staff).set(patch).where(eq(staff.id, id)).returning();
      return row!;
    },

    async insertServiceKey(db: Executor, row: typeof serviceKeys.$inferInsert): Promise<ServiceKeyRow> {
      const [created] = await db.insert(serviceKeys).values(row).returning();
      return created!;
    },
    async serviceKeyByPrefix(db: Executor, prefix: string): Promise<ServiceKeyRow | undefined> {
      const [row] = await db.select().from(serviceKeys).where(eq(serviceKeys.prefix, prefix));
      return row;
    },
    async serviceKeyById(db: Executor, id: string): Promise<ServiceKeyRow | undefined> {
      const [row] = await db.select().from(serviceKeys).where(eq(serviceKeys.id, id));
      return row;
    },
    async listServiceKeys(db: Executor): Promise<ServiceKeyRow[]> {
      return db.select().from(serviceKeys).orderBy(asc(serviceKeys.createdAt));
    },
    async revokeServiceKey(db: Executor, id: string, at: Date): Promise<void> {
      await db.update(serviceKeys).set({ revokedAt: at, updatedAt: at }).where(eq(serviceKeys.id, id));
    },

    async throttle(db: Executor, key: string): Promise<ThrottleRow | undefined> {
      const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
      return row;
    },
    /**
     * Counts one guess, in one statement, before its password is checked
     * (so concurrent guesses each see their own count). A locked key is left
     * as it is. A lock that ended less than a window ago lets exactly one more
     * guess through (count = limit), so its failure locks again, for longer.
     * `strikes` is forgotten once the key has been quiet for `quietMs`.
     */
    async admit(db: Executor, key: string, now: Date, scope: { limit: number; windowMs: number; quietMs: number }): Promise<ThrottleRow> {
      const t = loginThrottle;
      const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
      const nowTs = ts(now);
      const since = ts(new Date(now.getTime() - scope.windowMs));
      const quiet = ts(new Date(now.getTime() - scope.quietMs));
      const locked = sql`${t.lockedUntil} > ${nowTs}`;
      const [row] = await db
        .insert(t)
        .values({ key, failures: 1, windowStart: now })
        .onConflictDoUpdate({
          target: t.key,
          set: {
            failures: sql`case when ${locked} then ${t.failures}
              when ${t.lockedUntil} > ${since} then ${scope.limit}
              when ${t.windowStart} < ${since} then 1
              else ${t.failures} + 1 end`,
            strikes: sql`case when ${locked} then ${t.strikes}
              when coalesce(${t.lockedUntil}, ${t.windowStart}) < ${quiet} then 0
              else ${t.strikes} end`,
            windowStart: sql`case when ${locked} then ${t.windowStart}
              when ${t.lockedUntil} is not null or ${t.windowStart} < ${since} then ${nowTs}
              else ${t.windowStart} end`,
            lockedUntil: sql`case when ${locked} then ${t.lockedUntil} else null end`,
          },
        })
        .returning();
      return row!;
    },
    /** Locks a key that is not locked yet, for `lockMs` doubled per earlier strike, at most `maxLockMs`. */
    async lock(db: Executor, key: string, now: Date, scope: { lockMs: number; maxLockMs: number }): Promise<void> {
      const t = loginThrottle;
      const nowTs = sql`${now.toISOString()}::timestamptz`;
      await db
        .update(t)
        .set({
          lockedUntil: sql`${nowTs} + least(${scope.maxLockMs}::float8, ${scope.lockMs}::float8 * power(2, ${t.strikes})) * interval '1 millisecond'`,
          strikes: sql`${t.strikes} + 1`,
        })
        .where(and(eq(t.key, key), or(isNull(t.lockedUntil), lte(t.lockedUntil, now))));
    },
    /** Gives back one admitted guess that proved right. */
    async release(db: Executor, key: string): Promise<void> {
      await db.update(loginThrottle).set({ failures: sql`greatest(${loginThrottle.failures} - 1, 0)` }).where(eq(loginThrottle.key, key));
    },
    /** Remembers `key` (a pair that signed in) as of `at`. */
    async mark(db: Executor, key: string, at: Date): Promise<void> {
      await db.insert(loginThrottle).values({ key, failures: 0, windowStart: at }).onConflictDoUpdate({ target: loginThrottle.key, set: { windowStart: at } });
    },
    /** Deletes counters and sign-in marks untouched since `before` (nothing in them matters any more). */
    async forgetThrottles(db: Executor, before: Date): Promise<void> {
      await db.delete(loginThrottle).where(and(lt(loginThrottle.windowStart, before), or(isNull(loginThrottle.lockedUntil), lt(loginThrottle.lockedUntil, before))));
    },
    async clearThrottle(db: Executor, key: string): Promise<void> {
      await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
    },
  };
}

export type StaffRepository = ReturnType<typeof createStaffRepository>;
