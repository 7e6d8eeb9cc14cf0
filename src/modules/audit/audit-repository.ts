/** The only code that touches audit_log and audit_head. */
import { and, asc, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditHead, auditLog } from './audit-tables.js';
import { GENESIS_HASH } from './audit-chain.js';

export type AuditRow = typeof auditLog.$inferSelect;

export function createAuditRepository() {
  return {
    /**
     * Takes the next sequence number, locking the chain head until the
     * transaction ends (the UPDATE's row lock): concurrent writers, on any
     * instance, append one at a time. Returns the new seq and the previous
     * entry's hash (RETURNING sees last_hash before this entry sets it).
     */
    async reserve(tx: Executor): Promise<{ seq: number; prevHash: string }> {
      for (;;) {
        const [row] = await tx
          .update(auditHead)
          .set({ lastSeq: sql`${auditHead.lastSeq} + 1` })
          .where(eq(auditHead.id, 1))
          .returning({ seq: auditHead.lastSeq, prevHash: auditHead.lastHash });
        if (row) return row;
        // First entry ever: create the head, then take it.
        await tx.insert(auditHead).values({ id: 1, lastSeq: 0, lastHash: GENESIS_HASH }).onConflictDoNothing();
      }
    },

    /** Writes the entry and moves the head's hash to it, in one statement. */
    async append(tx: Executor, row: AuditRow): Promise<void> {
      await tx.execute(sql`
        with head as (update audit_head set last_hash = ${row.hash} where id = 1)
        insert into audit_log (seq, at, actor_id, actor_type, action, target_type, target_id, outcome, prev_hash, hash)
        values (${row.seq}, ${row.at.toISOString()}::timestamptz, ${row.actorId}::uuid, ${row.actorType}, ${row.action}, ${row.targetType}, ${row.targetId}, ${row.outcome}, ${row.prevHash}, ${row.hash})`);
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
