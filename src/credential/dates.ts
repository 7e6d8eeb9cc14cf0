/**
 * Calendar dates as the credential carries them. Dates are calendar days with
 * no time zone (as printed on the card); epoch days count from 1970-01-01.
 */
const DAY_MS = 86_400_000;

const FULL = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^(\d{4})$/;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function realDate(y: number, m: number, d: number): boolean {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!);
}

// Integer calendar arithmetic (H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms"): a verifier converts two dates per card, and Date objects
// cost more than the arithmetic.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** `YYYY-MM-DD` → days since 1970-01-01, or null if not a real date on/after 1970. */
export function isoDateToEpochDay(iso: string): number | null {
  const m = FULL.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!realDate(y, mo, d)) return null;
  const day = daysFromCivil(y, mo, d);
  return day >= 0 ? day : null;
}

/** Days since 1970-01-01 → `YYYY-MM-DD`. */
export function epochDayToIsoDate(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
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
