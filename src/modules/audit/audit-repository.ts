/** The only code that touches audit_log and audit_head. */
import { and, asc, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditHead, auditLog } from './audit-tables.js';
import { GENESIS_HASH } from './audit-chain.js';

export type AuditRow = typeof auditLog.$inferSelect;

export function createAuditRepository() {
  return {
    /**
     * Takes `n` consecutive sequence numbers, locking the chain head until
     * the transaction ends (the UPDATE's row lock): concurrent writers, on
     * any instance, append one batch at a time. Returns the first number and
     * the previous entry's hash (RETURNING sees last_hash before the append).
     */
    async reserveMany(tx: Executor, n: number): Promise<{ first: number; prevHash: string }> {
      for (;;) {
        const [row] = await tx
          .update(auditHead)
          .set({ lastSeq: sql`${auditHead.lastSeq} + ${n}` })
          .where(eq(auditHead.id, 1))
          .returning({ last: auditHead.lastSeq, prevHash: auditHead.lastHash });
        if (row) return { first: row.last - n + 1, prevHash: row.prevHash };
        await tx.insert(auditHead).values({ id: 1, lastSeq: 0, lastHash: GENESIS_HASH }).onConflictDoNothing();
      }
    },

    /** Writes many chained entries and moves the head's hash to the last one. */
    async appendMany(tx: Executor, rows: AuditRow[]): Promise<void> {
      if (rows.length === 0) return;
      const col = <K extends keyof AuditRow>(k: K, f: (v: AuditRow[K]) => string | null = (v) => (v === null ? null : String(v))) =>
        `{${rows.map((r) => { const v = f(r[k]); return v === null ? 'NULL' : `"${v.replace(/["\\]/g, '\\$&')}"`; }).join(',')}}`;
      await tx.execute(sql`
        with head as (update audit_head set last_hash = ${rows[rows.length - 1]!.hash} where id = 1)
        insert into audit_log (seq, at, actor_id, actor_type, action, target_type, target_id, outcome, prev_hash, hash, count)
        select * from unnest(${col('seq')}::bigint[], ${col('at', (v) => (v as Date).toISOString())}::timestamptz[], ${col('actorId')}::uuid[], ${col('actorType')}::text[],
          ${col('action')}::text[], ${col('targetType')}::text[], ${col('targetId')}::text[], ${col('outcome')}::text[], ${col('prevHash')}::text[], ${col('hash')}::text[], ${col('count')}::integer[])`);
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
      filter: { actorId?: string; targetId?: string; action?: string; from?: Date; to?: Date; beforeSeq?: number; limit: number },
    ): Promise<AuditRow[]> {
      const conds: SQL[] = [];
      if (filter.actorId) conds.push(eq(auditLog.actorId, filter.actorId));
      if (filter.targetId) conds.push(eq(auditLog.targetId, filter.targetId));
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
