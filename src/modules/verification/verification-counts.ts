/**
 * The verification figures an administrator may read: per completed ISO
 * week and issuer, how many checks were valid and how many not — and no
 * figure under MIN_SERVED_COUNT. A small cell, joined with what else one
 * knows ("only one card of ours is suspended"), would say whose card was
 * checked; under the threshold the answer is null, "fewer than 10", which
 * is also what 0 looks like. The week in progress is never served, so a
 * figure cannot be read twice a few minutes apart to time a single check.
 */
import type { Db } from '../../db/client.js';
import type { VerificationRepository } from './verification-repository.js';
import { isoWeekLabel, weekStartOf } from './verification-weeks.js';

/** Smallest count ever served (k-anonymity threshold, k = 10). */
export const MIN_SERVED_COUNT = 10;

export interface WeekFigures {
  /** ISO 8601 week, `2026-W10`. */
  week: string;
  weekStart: string;
  issuer: string;
  /** Null: fewer than MIN_SERVED_COUNT (possibly none). */
  valid: number | null;
  notValid: number | null;
}

const WEEK_MS = 7 * 86_400_000;

export function createVerificationCounts(deps: { db: Db; repo: VerificationRepository; clock: () => Date }) {
  const served = (n: number | undefined) => (n !== undefined && n >= MIN_SERVED_COUNT ? n : null);
  return {
    /** The last `weeks` completed weeks, oldest first; a week and issuer with no figure to show is left out. */
    async completedWeeks(weeks: number): Promise<WeekFigures[]> {
      const current = weekStartOf(deps.clock());
      const from = weekStartOf(new Date(Date.parse(`${current}T00:00:00Z`) - weeks * WEEK_MS));
      const cells = new Map<string, { weekStart: string; issuer: string; valid?: number; not_valid?: number }>();
      for (const r of await deps.repo.weeks(deps.db, from, current)) {
        const key = `${r.weekStart}\u0000${r.issuer}`;
        const cell = cells.get(key) ?? { weekStart: r.weekStart, issuer: r.issuer };
        cell[r.outcome] = r.count;
        cells.set(key, cell);
      }
      return [...cells.values()]
        .map((c) => ({ week: isoWeekLabel(c.weekStart), weekStart: c.weekStart, issuer: c.issuer, valid: served(c.valid), notValid: served(c.not_valid) }))
        .filter((f) => f.valid !== null || f.notValid !== null);
    },
  };
}

export type VerificationCounts = ReturnType<typeof createVerificationCounts>;
