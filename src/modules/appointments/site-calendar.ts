/**
 * A site's calendar, as pure functions: which days are open for booking
 * (the rolling release), which slots a day has and how many places each
 * offers. Everything is read in the city's zone (zoned-time.ts).
 */
import { addDays, hhmm, isoWeekday, wallTime, zonedInstant } from './zoned-time.js';

export interface OpeningHours {
  weekday: number;
  open: string;
  close: string;
}

export interface SiteCalendar {
  kind: 'permanent' | 'pop-up';
  from: string | null;
  until: string | null;
  hours: OpeningHours[];
  desks: number;
  slotMinutes: number;
  walkInShare: number;
  bookingWindowDays: number;
  releaseTime: string;
}

export interface Slot {
  start: Date;
  /** Places that can be booked (desks less the walk-in share). */
  places: number;
  /** Desks kept for walk-ins in this slot. */
  walkIn: number;
}

/**
 * Places per slot: the walk-in share is kept out of every slot, rounded in
 * favour of walk-ins, so people who cannot book always find a desk.
 */
export function placesPerSlot(site: Pick<SiteCalendar, 'desks' | 'walkInShare'>): number {
  return Math.floor(site.desks * (1 - site.walkInShare) + 1e-9);
}

/** Whether the site receives people on that date (weekday hours, pop-up range). */
export function isOpenOn(site: SiteCalendar, date: string): boolean {
  if (site.from && date < site.from) return false;
  if (site.until && date > site.until) return false;
  return site.hours.some((h) => h.weekday === isoWeekday(date));
}

/** The slots of a date: each opening interval cut into slotMinutes, a slot ending after closing dropped. */
export function slotsOn(site: SiteCalendar, date: string, zone: string): Slot[] {
  if (!isOpenOn(site, date)) return [];
  const places = placesPerSlot(site);
  const out: Slot[] = [];
  for (const h of site.hours.filter((x) => x.weekday === isoWeekday(date)).sort((a, b) => hhmm(a.open) - hhmm(b.open))) {
    for (let m = hhmm(h.open); m + site.slotMinutes <= hhmm(h.close); m += site.slotMinutes) {
      // A local time skipped by a daylight-saving change names no instant: no slot.
      const start = zonedInstant(date, m, zone);
      if (start) out.push({ start, places, walkIn: site.desks - places });
    }
  }
  return out;
}

/**
 * The rolling release: at releaseTime each day, the day bookingWindowDays
 * ahead opens. So date D opens at releaseTime on D − bookingWindowDays.
 * A release time skipped by a spring-forward change happens an hour later.
 */
export function releaseOf(site: SiteCalendar, date: string, zone: string): Date {
  const day = addDays(date, -site.bookingWindowDays);
  const m = hhmm(site.releaseTime);
  return zonedInstant(day, m, zone) ?? zonedInstant(day, m + 60, zone)!;
}

/** The last date open for booking at an instant. */
export function lastOpenDate(site: SiteCalendar, now: Date, zone: string): string {
  const today = wallTime(now, zone).date;
  const candidate = addDays(today, site.bookingWindowDays);
  return now >= releaseOf(site, candidate, zone) ? candidate : addDays(candidate, -1);
}

export type DateRefusal = 'date-in-past' | 'date-not-released' | 'site-closed';

/** Why a date cannot be booked at an instant, or undefined when it can. */
export function dateRefusal(site: SiteCalendar, date: string, now: Date, zone: string): DateRefusal | undefined {
  if (date < wallTime(now, zone).date) return 'date-in-past';
  if (date > lastOpenDate(site, now, zone)) return 'date-not-released';
  if (!isOpenOn(site, date)) return 'site-closed';
  return undefined;
}
