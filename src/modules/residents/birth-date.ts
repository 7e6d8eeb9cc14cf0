/**
 * Dates of birth as people actually know them: a full date, a year and
 * month, a year only, or unknown (null). Many undocumented or displaced
 * residents have no papers giving a day, or carry a conventional 1 January.
 *
 * Age rules read partial dates in the holder's favour: a resident is
 * "certainly under" an age only when even the earliest possible birth date
 * (1 January of the year, 1st of the month) makes them younger.
 */
export type BirthDate = string | null;

export const BIRTH_DATE_PATTERN = '^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$';
/** Oldest accepted year: nobody alive was born before it. */
export const EARLIEST_BIRTH_YEAR = 1890;

interface Parts {
  year: number;
  month?: number;
  day?: number;
}

function parts(value: string): Parts | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!m) return undefined;
  const p: Parts = { year: Number(m[1]) };
  if (m[2] !== undefined) p.month = Number(m[2]);
  if (m[3] !== undefined) p.day = Number(m[3]);
  return p;
}

/** The earliest UTC day the value may stand for. */
function earliest(p: Parts): Date {
  return new Date(Date.UTC(p.year, (p.month ?? 1) - 1, p.day ?? 1));
}

/** Why a birth date is invalid at `today`, or undefined when it is valid. */
export function birthDateProblem(value: string, today: Date): string | undefined {
  const p = parts(value);
  if (!p) return 'must be YYYY-MM-DD, YYYY-MM, YYYY or null';
  if (p.year < EARLIEST_BIRTH_YEAR) return `must not be before ${EARLIEST_BIRTH_YEAR}`;
  if (p.month !== undefined && (p.month < 1 || p.month > 12)) return 'has no such month';
  if (p.day !== undefined) {
    const d = earliest(p);
    if (d.getUTCMonth() !== p.month! - 1 || d.getUTCDate() !== p.day) return 'has no such day';
  }
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  if (earliest(p).getTime() > todayUtc) return 'must not be in the future';
  return undefined;
}

/** The oldest the holder can be at `today`, in whole years (from the earliest possible birth day). */
export function maximumAge(value: string, today: Date): number {
  const b = earliest(parts(value)!);
  let age = today.getUTCFullYear() - b.getUTCFullYear();
  if (today.getUTCMonth() < b.getUTCMonth() || (today.getUTCMonth() === b.getUTCMonth() && today.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/** Whether a stored birth date and a searched one may be the same day (one may be less precise). */
export function birthDatesCompatible(stored: string, searched: string): boolean {
  return stored.startsWith(searched) || searched.startsWith(stored);
}

export function birthYear(value: string): string {
  return value.slice(0, 4);
}
