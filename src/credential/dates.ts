/**
 * Calendar dates as the credential carries them. Dates are calendar days with
 * no time zone (as printed on the card); epoch days count from 1970-01-01.
 */
const DAY_MS = 86_400_000;

const FULL = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^(\d{4})$/;

function realDate(y: number, m: number, d: number): boolean {
  if (y < 1000 || m < 1 || m > 12 || d < 1) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** `YYYY-MM-DD` → days since 1970-01-01, or null if not a real date on/after 1970. */
export function isoDateToEpochDay(iso: string): number | null {
  const m = FULL.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!realDate(y, mo, d)) return null;
  const day = Date.UTC(y, mo - 1, d) / DAY_MS;
  return day >= 0 ? day : null;
}

/** Days since 1970-01-01 → `YYYY-MM-DD`. */
export function epochDayToIsoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC calendar day (epoch days) of an instant. */
export function epochDayOf(instant: Date): number {
  return Math.floor(instant.getTime() / DAY_MS);
}

/**
 * A birth date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`; DESIGN.md "The resident
 * record") → the integer carried on the wire: YYYYMMDD, YYYYMM or YYYY, so the
 * number of digits tells the precision. Null if not such a date.
 */
export function birthDateToWire(s: string): number | null {
  const m = FULL.exec(s) ?? YEAR_MONTH.exec(s) ?? YEAR.exec(s);
  if (!m) return null;
  const [y, mo, d] = [m[1]!, m[2] ?? '', m[3] ?? ''];
  return realDate(Number(y), Number(mo || 1), Number(d || 1)) ? Number(y + mo + d) : null;
}

/** Inverse of {@link birthDateToWire}; null if the integer is no such date. */
export function birthDateFromWire(n: number): string | null {
  const s = String(n);
  let iso: string;
  if (s.length === 4) iso = s;
  else if (s.length === 6) iso = `${s.slice(0, 4)}-${s.slice(4)}`;
  else if (s.length === 8) iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`;
  else return null;
  return birthDateToWire(iso) === n ? iso : null;
}
