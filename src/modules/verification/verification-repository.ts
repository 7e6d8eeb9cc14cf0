/** The only code that touches verification_weekly_counts. */
import { and, asc, gte, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { verificationWeeklyCounts } from './verification-tables.js';

export type Outcome = 'valid' | 'not_valid';

export interface CountRow {
  weekStart: string;
  issuer: string;
  outcome: Outcome;
  count: number;
}

export function createVerificationRepository() {
  return {
    async add(db: Executor, rows: CountRow[]): Promise<void> {
      if (rows.length === 0) return;
      const t = verificationWeeklyCounts;
      await db
        .insert(t)
        .values(rows)
        .onConflictDoUpdate({ target: [t.weekStart, t.issuer, t.outcome], set: { count: sql`${t.count} + excluded.count` } });
    },
    /** Rows of the weeks starting in [from, before). */
    async weeks(db: Executor, from: string, before: string): Promise<CountRow[]> {
      const t = verificationWeeklyCounts;
      const rows = await db
        .select()
        .from(t)
        .where(and(gte(t.weekStart, from), lt(t.weekStart, before)))
        .orderBy(asc(t.weekStart), asc(t.issuer), asc(t.outcome));
      return rows as CountRow[];
    },
  };
}

export type VerificationRepository = ReturnType<typeof createVerificationRepository>;
