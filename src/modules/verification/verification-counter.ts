/**
 * Counts verifications in memory and adds them to the database every few
 * seconds, in one statement: verification stays free of database writes on
 * its path (and keeps answering when the database is down — counts wait).
 */
import type { Db } from '../../db/client.js';
import type { VerificationRepository } from './verification-repository.js';

export function createVerificationCounter(deps: { db: Db; repo: VerificationRepository; clock: () => Date; flushMs?: number }) {
  let pending = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  async function flush(): Promise<void> {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const rows = [...batch].map(([key, count]) => {
      const [day, issuer, result] = key.split('\u0000') as [string, string, string];
      return { day, issuer, result, count };
    });
    try {
      await deps.repo.add(deps.db, rows);
    } catch {
      // Database away: keep the counts for the next flush.
      for (const r of rows) {
        const key = `${r.day}\u0000${r.issuer}\u0000${r.result}`;
        pending.set(key, (pending.get(key) ?? 0) + r.count);
      }
    }
  }

  return {
    count(issuer: string, result: string): void {
      const key = `${deps.clock().toISOString().slice(0, 10)}\u0000${issuer}\u0000${result}`;
      pending.set(key, (pending.get(key) ?? 0) + 1);
      timer ??= setTimeout(() => {
        timer = undefined;
        void flush();
      }, deps.flushMs ?? 5_000).unref();
    },
    flush,
    async close(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await flush();
    },
  };
}

export type VerificationCounter = ReturnType<typeof createVerificationCounter>;
