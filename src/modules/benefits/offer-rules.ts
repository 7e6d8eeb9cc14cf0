/**
 * The pure rules of an offer at the counter: which period a redemption
 * falls in, when it is available again, and whether a holder is eligible.
 * Dates are the city's local dates (TIME_ZONE), as `YYYY-MM-DD` strings.
 */
import type { Limit } from './benefits-schemas.js';
import type { Eligibility } from './counter-hook.js';

/** The local date in `zone` of an instant. @example localDate(new Date('2027-12-31T23:30:00Z'), 'Europe/Paris') // '2028-01-01' */
export function localDate(now: Date, zone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The period key a redemption on `today` counts against: `once`, `YYYY` or `YYYY-MM`; null for an offer without a limit. */
export function periodOf(limit: Limit, today: string): string | null {
  if (limit === 'none') return null;
  if (limit === 'once') return 'once';
  return limit === 'year' ? today.slice(0, 4) : today.slice(0, 7);
}

/** The first local date of the next period (YYYY-MM-DD); null when there is none (once) or no limit. */
export function availableAgain(limit: Limit, today: string): string | null {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  if (limit === 'year') return `${String(y + 1).padStart(4, '0')}-01-01`;
  if (limit === 'month') return m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`;
  return null;
}

/** Whole years from `born` (YYYY-MM-DD) to `today`. */
function yearsBetween(born: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(born.slice(0, 4));
  return today.slice(5) < born.slice(5) ? years - 1 : years;
}

function lastDayOfMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * The ages a printed birth date allows on `today`: one for a full date, a
 * range for a year-month or a year, anything for an unknown one.
 * @example ageRange('1990', '2027-06-01') // { min: 36, max: 37 }
 */
export function ageRange(birthDate: string | null, today: string): { min: number; max: number } {
  if (birthDate === null) return { min: 0, max: Number.POSITIVE_INFINITY };
  const y = Number(birthDate.slice(0, 4));
  let earliest: string;
  let latest: string;
  if (birthDate.length === 10) earliest = latest = birthDate;
  else if (birthDate.length === 7) {
    const m = Number(birthDate.slice(5, 7));
    earliest = `${birthDate}-01`;
    latest = `${birthDate}-${String(lastDayOfMonth(y, m)).padStart(2, '0')}`;
  } else {
    earliest = `${birthDate}-01-01`;
    latest = `${birthDate}-12-31`;
  }
  // Born latest → youngest.
  return { min: Math.max(0, yearsBetween(latest, today)), max: Math.max(0, yearsBetween(earliest, today)) };
}

/**
 * Whether a holder is eligible for an offer.
 * - Not this city's card and the offer is for this city's holders only: false.
 * - No age rule: true, whatever the birth date says or does not say.
 * - An age rule that every date the card's printed birth date allows
 *   satisfies: true; that none satisfies: false; otherwise (a year, a
 *   year-month or an unknown date that could go either way):
 *   `check-by-hand` — the counter looks at another document or asks; the
 *   service never excludes a holder because their date is partial.
 */
export function eligibility(offer: { ageMin: number | null; ageMax: number | null; partnerCityHolders: boolean }, holder: { birthDate: string | null; ownCity: boolean }, today: string): Eligibility {
  if (!holder.ownCity && !offer.partnerCityHolders) return false;
  if (offer.ageMin === null && offer.ageMax === null) return true;
  const lo = offer.ageMin ?? 0;
  const hi = offer.ageMax ?? Number.POSITIVE_INFINITY;
  const { min, max } = ageRange(holder.birthDate, today);
  if (min >= lo && max <= hi) return true;
  if (max < lo || min > hi) return false;
  return 'check-by-hand';
}
