/**
 * Holders by age band: the one figure about people the city gets from the
 * benefits module (issue 16, "numbers without people"). A band is served
 * only when at least MIN_SERVED_COUNT holders are in it (k = 10, as for
 * verification counts); under that it is null, "fewer than 10", which is
 * also what 0 looks like. A partial birth date (a year, a year-month) counts
 * in a band only when every date it allows falls in that band; otherwise, as
 * for an unknown date, it counts as `unknown` — never guessed.
 *
 * Two further guards against reading one person out of the figures:
 * - complementary suppression: when the total is served and exactly one band
 *   is hidden, the total minus the others would give it, so the smallest
 *   other band is hidden too;
 * - one snapshot a month (as of the month's first day, in the city's time
 *   zone): two figures a day apart would show one holder's birthday or one
 *   card's expiry; a month mixes many.
 */
import { MIN_SERVED_COUNT } from '../verification/verification-counts.js';
import { ageRange } from './offer-rules.js';

/** Bands of whole years, inclusive; the last one is open. */
export const AGE_BANDS = [
  { band: '0-17', min: 0, max: 17 },
  { band: '18-24', min: 18, max: 24 },
  { band: '25-34', min: 25, max: 34 },
  { band: '35-44', min: 35, max: 44 },
  { band: '45-54', min: 45, max: 54 },
  { band: '55-64', min: 55, max: 64 },
  { band: '65+', min: 65, max: Number.POSITIVE_INFINITY },
] as const;

export type AgeBand = (typeof AGE_BANDS)[number]['band'] | 'unknown';

/**
 * The band of a printed birth date on `today` (both `YYYY[-MM[-DD]]`).
 * @example bandOf('1990-05-01', '2027-06-01') // '35-44'
 * @example bandOf('2009', '2027-06-01')       // 'unknown' (17 or 18)
 */
export function bandOf(birthDate: string | null, today: string): AgeBand {
  const { min, max } = ageRange(birthDate, today);
  return AGE_BANDS.find((b) => min >= b.min && max <= b.max)?.band ?? 'unknown';
}

export interface HolderAges {
  /** The city date the ages are computed for. */
  asOf: string;
  /** Smallest count served. */
  k: number;
  /** Null: fewer than k (possibly none). */
  total: number | null;
  bands: Array<{ band: AgeBand; count: number | null }>;
}

/** Counts per band → the figures served: every band listed, small ones null. */
export function servedAges(counts: ReadonlyMap<AgeBand, number>, asOf: string): HolderAges {
  const served = (n: number) => (n >= MIN_SERVED_COUNT ? n : null);
  const all: AgeBand[] = [...AGE_BANDS.map((b) => b.band), 'unknown'];
  const total = served([...counts.values()].reduce((a, b) => a + b, 0));
  const bands = all.map((band) => ({ band, count: served(counts.get(band) ?? 0) }));
  const hidden = bands.filter((b) => b.count === null);
  if (total !== null && hidden.length === 1) {
    const smallest = bands.filter((b) => b.count !== null).sort((a, b) => a.count! - b.count!)[0];
    if (smallest) smallest.count = null;
  }
  return { asOf, k: MIN_SERVED_COUNT, total, bands };
}
