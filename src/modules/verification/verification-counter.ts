/**
 * Counts verifications in memory and adds them to the database every few
 * seconds, in one statement: verification stays free of database writes on
 * its path (and keeps answering when the database is down — counts wait).
 *
 * What is counted is already coarse: the ISO week, the issuer and valid /
 * not valid. A "day D, suspended, 1" would name the holder of the one card
 * suspended that day; "week W, not valid" mixes them with every expired,
 * revoked, forged or unreadable card of the week.
 */
import type { Db } from '../../db/client.js';
import type { CountRow, Outcome, VerificationRepository } from './verification-repository.js';
import { weekStartOf } from './verification-weeks.js';

/** A verification result (card or resident proof) → what is kept of it. */
export function outcomeOf(result: string): Outcome {
  return result === 'valid' || result === 'proof_valid' ? 'valid' : 'not_valid';
}

export function createVerificationCounter(deps: { db: Db; repo: VerificationRepository; clock: () => Date; flushMs?: number }) {
  let pending = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  const keyOf = (r: Omit<CountRow, 'count'>) => `${r.weekStart}\u0000${r.issuer}\u0000${r.outcome}`;

  async function flush(): Promise<void> {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const rows = [...batch].map(([key, count]): CountRow => {
      const [weekStart, issuer, outcome] = key.split('\u0000') as [string, string, Outcome];
      return { weekStart, issuer, outcome, count };
    });
    try {
      await deps.repo.add(deps.db, rows);
    } catch {
      // Database away: keep the counts for the next flush.
      for (const r of rows) pending.set(keyOf(r), (pending.get(keyOf(r)) ?? 0) + r.count);
    }
  }

  return {
    count(issuer: string, result: string): void {
      const key = keyOf({ weekStart: weekStartOf(deps.clock()), issuer, outcome: outcomeOf(result) });
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
