/**
 * Wall-clock time in the city's zone ⇄ instants, through Intl only (the
 * runtime's tz database decides every offset and daylight-saving change).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

export interface WallTime {
  date: string; // YYYY-MM-DD
  minutes: number; // minutes after local midnight
}

function parts(instant: Date, zone: string) {
  const p = Object.fromEntries(formatter(zone).formatToParts(instant).map((x) => [x.type, x.value]));
  return { y: Number(p.year), mo: Number(p.month), d: Number(p.day), h: Number(p.hour), mi: Number(p.minute), s: Number(p.second) };
}

/** Offset of the zone from UTC at an instant, in minutes (Paris in summer: 120). */
export function offsetMinutes(instant: Date, zone: string): number {
  const p = parts(instant, zone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The local date and time of an instant in the zone. */
export function wallTime(instant: Date, zone: string): WallTime {
  const p = parts(instant, zone);
  return { date: `${p.y}-${pad(p.mo)}-${pad(p.d)}`, minutes: p.h * 60 + p.mi };
}

/**
 * The instant a local date and time names in the zone, or undefined when
 * that time does not exist (skipped by a spring-forward change). In an
 * autumn fold (the hour that happens twice) the earlier instant is taken.
 */
export function zonedInstant(date: string, minutes: number, zone: string): Date | undefined {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, mo - 1, d, Math.floor(minutes / 60), minutes % 60);
  // Two candidates from the offsets around the naive instant; keep those that read back as asked.
  const candidates = [...new Set([offsetMinutes(new Date(naive - 12 * 3_600_000), zone), offsetMinutes(new Date(naive + 12 * 3_600_000), zone)])]
    .map((off) => new Date(naive - off * 60_000))
    .filter((t) => {
      const w = wallTime(t, zone);
      return w.date === date && w.minutes === minutes;
    })
    .sort((a, b) => a.getTime() - b.getTime());
  return candidates[0];
}

/** ISO 8601 with the zone's offset at that instant: 2026-03-29T09:00:00+02:00. */
export function isoInZone(instant: Date, zone: string): string {
  const off = offsetMinutes(instant, zone);
  const w = wallTime(instant, zone);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${w.date}T${pad(Math.floor(w.minutes / 60))}:${pad(w.minutes % 60)}:00${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** ISO weekday of a calendar date (Monday = 1 … Sunday = 7). */
export function isoWeekday(date: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** A calendar date plus n days. */
export function addDays(date: string, n: number): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d + n)).toISOString().slice(0, 10);
}

/** Whether YYYY-MM-DD is a real calendar date. */
export function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && addDays(date, 0) === date;
}

export const hhmm = (s: string): number => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const pad = (n: number) => String(n).padStart(2, '0');
