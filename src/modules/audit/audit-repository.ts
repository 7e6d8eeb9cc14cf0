/** The only code that touches audit_log and audit_head. */
import { and, asc, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditHead, auditLog } from './audit-tables.js';
import { GENESIS_HASH } from './audit-chain.js';

export type AuditRow = typeof auditLog.$inferSelect;

export function createAuditRepository() {
  return {
    /** Locks the chain head for this transaction (creating it on first use) and returns it. */
    async lockHead(tx: Executor): Promise<{ lastSeq: number; lastHash: string }> {
      await tx.insert(auditHead).values({ id: 1, lastSeq: 0, lastHash: GENESIS_HASH }).onConflictDoNothing();
      const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
      return { lastSeq: head!.lastSeq, lastHash: head!.lastHash };
    },

    async append(tx: Executor, row: AuditRow): Promise<void> {
      await tx.insert(auditLog).values(row);
      await tx.update(auditHead).set({ lastSeq: row.seq, lastHash: row.hash }).where(eq(auditHead.id, 1));
    },

    async head(db: Executor): Promise<{ lastSeq: number; lastHash: string } | undefined> {
      const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
      return head ? { lastSeq: head.lastSeq, lastHash: head.lastHash } : undefined;
    },

    /** Entries after `afterSeq`, oldest first, for chain verification. */
    async batchAfter(db: Executor, afterSeq: number, limit: number): Promise<AuditRow[]> {
      return db.select().from(auditLog).where(gt(auditLog.seq, afterSeq)).orderBy(asc(auditLog.seq)).limit(limit);
    },

    async list(
      db: Executor,
      filter: { actorId?: string; action?: string; from?: Date; to?: Date; beforeSeq?: number; limit: number },
    ): Promise<AuditRow[]> {
      const conds: SQL[] = [];
      if (filter.actorId) conds.push(eq(auditLog.actorId, filter.actorId));
      if (filter.action) conds.push(filter.action.endsWith('.*') ? sql`${auditLog.action} like ${filter.action.slice(0, -1) + '%'}` : eq(auditLog.action, filter.action));
      if (filter.from) conds.push(gte(auditLog.at, filter.from));
      if (filter.to) conds.push(lte(auditLog.at, filter.to));
      if (filter.beforeSeq !== undefined) conds.push(lt(auditLog.seq, filter.beforeSeq));
      return db
        .select()
        .from(auditLog)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(auditLog.seq))
        .limit(filter.limit);
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
