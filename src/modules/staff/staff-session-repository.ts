/** The only code that touches staff_sessions. */
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { staffSessions } from './staff-session-tables.js';

export type StaffSessionRow = typeof staffSessions.$inferSelect;

export function createStaffSessionRepository() {
  return {
    async insert(db: Executor, row: typeof staffSessions.$inferInsert): Promise<StaffSessionRow> {
      const [created] = await db.insert(staffSessions).values(row).returning();
      return created!;
    },
    /**
     * Marks a live token as used, in one statement: of two requests that
     * present the same token at once, exactly one gets the row back.
     */
    async rotate(db: Executor, tokenHash: string, now: Date): Promise<StaffSessionRow | undefined> {
      const t = staffSessions;
      const [row] = await db
        .update(t)
        .set({ rotatedAt: now })
        .where(and(eq(t.tokenHash, tokenHash), isNull(t.rotatedAt), isNull(t.revokedAt), gt(t.idleExpiresAt, now), gt(t.familyExpiresAt, now)))
        .returning();
      return row;
    },
    async byHash(db: Executor, tokenHash: string): Promise<StaffSessionRow | undefined> {
      const [row] = await db.select().from(staffSessions).where(eq(staffSessions.tokenHash, tokenHash));
      return row;
    },
    async revokeFamily(db: Executor, familyId: string, now: Date): Promise<void> {
      await db.update(staffSessions).set({ revokedAt: now }).where(and(eq(staffSessions.familyId, familyId), isNull(staffSessions.revokedAt)));
    },
    async revokeStaff(db: Executor, staffId: string, now: Date): Promise<void> {
      await db.update(staffSessions).set({ revokedAt: now }).where(and(eq(staffSessions.staffId, staffId), isNull(staffSessions.revokedAt)));
    },
    /** Deletes every row of sessions that ended before `before` (nothing in them is needed to detect reuse any more). */
    async forgetEnded(db: Executor, before: Date): Promise<number> {
      const t = staffSessions;
      const gone = await db
        .delete(t)
        .where(or(lt(t.familyExpiresAt, before), lt(t.revokedAt, before), and(lt(t.idleExpiresAt, before), isNull(t.rotatedAt))))
        .returning({ id: t.id });
      return gone.length;
    },
    async countLive(db: Executor, staffId: string, now: Date): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(staffSessions)
        .where(and(eq(staffSessions.staffId, staffId), isNull(staffSessions.revokedAt), isNull(staffSessions.rotatedAt), gt(staffSessions.idleExpiresAt, now)));
      return row?.n ?? 0;
    },
  };
}

export type StaffSessionRepository = ReturnType<typeof createStaffSessionRepository>;
