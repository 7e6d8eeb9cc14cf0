/**
 * Holders by age band for the city (admin): counted from the residents
 * module's birth dates of holders of a card in force, as of the first day of
 * the city's current month, computed once per month and instance and kept
 * in memory as counts only (holder-ages.ts says why monthly).
 */
import type { Db } from '../../db/client.js';
import type { HolderBirthDates } from '../residents/holder-birth-dates.js';
import { bandOf, servedAges, type AgeBand, type HolderAges } from './holder-ages.js';
import { localDate } from './offer-rules.js';

export function createHolderAgesService(deps: { db: Db; birthDates: HolderBirthDates; clock: () => Date; timeZone: string }) {
  let cached: Promise<HolderAges> | undefined;
  let cachedFor = '';

  async function compute(asOf: string): Promise<HolderAges> {
    const counts = new Map<AgeBand, number>();
    for await (const batch of deps.birthDates(deps.db, asOf)) {
      for (const date of batch) {
        const band = bandOf(date, asOf);
        counts.set(band, (counts.get(band) ?? 0) + 1);
      }
    }
    return servedAges(counts, asOf);
  }

  return {
    /** The month's figures; the first call of a month counts, later ones read the counts. */
    ages(): Promise<HolderAges> {
      const asOf = `${localDate(deps.clock(), deps.timeZone).slice(0, 7)}-01`;
      if (!cached || cachedFor !== asOf) {
        cachedFor = asOf;
        cached = compute(asOf).catch((err: unknown) => {
          cached = undefined;
          throw err;
        });
      }
      return cached;
    },
  };
}

export type HolderAgesService = ReturnType<typeof createHolderAgesService>;
