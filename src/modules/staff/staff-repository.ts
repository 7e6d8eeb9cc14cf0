/** The only code that touches staff, service_keys and login_throttle. */
import { asc, eq, sql } from 'drizzle-orm';
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
    /** Counts one failure in the current window (a new window once `windowStart` is older than `since`). */
    async countFailure(db: Executor, key: string, now: Date, since: Date): Promise<ThrottleRow> {
      const sinceTs = sql`${since.toISOString()}::timestamptz`;
      const nowTs = sql`${now.toISOString()}::timestamptz`;
      const [row] = await db
        .insert(loginThrottle)
        .values({ key, failures: 1, windowStart: now })
        .onConflictDoUpdate({
          target: loginThrottle.key,
          set: {
            failures: sql`case when ${loginThrottle.windowStart} < ${sinceTs} then 1 else ${loginThrottle.failures} + 1 end`,
            windowStart: sql`case when ${loginThrottle.windowStart} < ${sinceTs} then ${nowTs} else ${loginThrottle.windowStart} end`,
          },
        })
        .returning();
      return row!;
    },
    async lock(db: Executor, key: string, until: Date): Promise<void> {
      await db.update(loginThrottle).set({ lockedUntil: until }).where(eq(loginThrottle.key, key));
    },
    async clearThrottle(db: Executor, key: string): Promise<void> {
      await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
    },
  };
}

export type StaffRepository = ReturnType<typeof createStaffRepository>;
