/** The only code that touches verification_counts. */
import { asc, gte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { verificationCounts } from './verification-tables.js';

export interface CountRow {
  day: string;
  issuer: string;
  result: string;
  count: number;
}

export function createVerificationRepository() {
  return {
    async add(db: Executor, rows: CountRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insert(verificationCounts)
        .values(rows)
        .onConflictDoUpdate({
          target: [verificationCounts.day, verificationCounts.issuer, verificationCounts.result],
          set: { count: sql`${verificationCounts.count} + excluded.count` },
        });
    },
    async since(db: Executor, day: string): Promise<CountRow[]> {
      return db.select().from(verificationCounts).where(gte(verificationCounts.day, day)).orderBy(asc(verificationCounts.day), asc(verificationCounts.issuer), asc(verificationCounts.result));
    },
  };
}

export type VerificationRepository = ReturnType<typeof createVerificationRepository>;
