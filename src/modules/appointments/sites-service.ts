/**
 * Enrolment sites (admin) and their open capacity (public): slots per day,
 * the next free place, today's walk-in capacity, when the next day opens.
 */
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { AuditService } from '../audit/audit-service.js';
import type { AppointmentsRepository, SiteRow } from './appointments-repository.js';
import { dateRefusal, lastOpenDate, placesPerSlot, releaseOf, slotsOn, type SiteCalendar } from './site-calendar.js';
import { addDays, hhmm, isCalendarDate, isoInZone, wallTime } from './zoned-time.js';

export interface SiteInput {
  name: string;
  address: string;
  kind: 'permanent' | 'pop-up';
  from?: string;
  until?: string;
  languages?: string[];
  accessibility?: string;
  hours: Array<{ weekday: number; open: string; close: string }>;
  desks: number;
  slotMinutes: number;
  walkInShare: number;
  bookingWindowDays: number;
  releaseTime: string;
  noShowMinutes?: number;
  drawMinutes?: number;
}

export interface SiteDeps {
  db: Db;
  repo: AppointmentsRepository;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  zone: string;
}

type Actor = { type: 'admin'; id: string };

export const calendarOf = (s: SiteRow): SiteCalendar => ({
  kind: s.kind as SiteCalendar['kind'],
  from: s.fromDate,
  until: s.untilDate,
  hours: s.hours,
  desks: s.desks,
  slotMinutes: s.slotMinutes,
  walkInShare: s.walkInShare,
  bookingWindowDays: s.bookingWindowDays,
  releaseTime: s.releaseTime,
});

/** Field errors a schema cannot see: closing before opening, a pop-up without its dates, an empty slot. */
function checkSite(s: SiteCalendar): void {
  const errors: Array<{ path: string; message: string }> = [];
  s.hours.forEach((h, i) => {
    if (hhmm(h.close) <= hhmm(h.open)) errors.push({ path: `/hours/${i}/close`, message: 'must be after open' });
  });
  if (s.kind === 'pop-up' && (!s.from || !s.until)) errors.push({ path: '/from', message: 'a pop-up site needs from and until' });
  for (const k of ['from', 'until'] as const) if (s[k] && !isCalendarDate(s[k]!)) errors.push({ path: `/${k}`, message: 'must be a calendar date' });
  if (s.from && s.until && s.until < s.from) errors.push({ path: '/until', message: 'must not be before from' });
  if (errors.length) throw new AppError('validation-failed', { errors });
}

export function createSitesService({ db, repo, audit, clock, zone }: SiteDeps) {
  const view = (s: SiteRow) => ({
    id: s.id,
    name: s.name,
    address: s.address,
    kind: s.kind as SiteCalendar['kind'],
    from: s.fromDate ?? undefined,
    until: s.untilDate ?? undefined,
    languages: s.languages,
    accessibility: s.accessibility ?? undefined,
    hours: s.hours,
    desks: s.desks,
    slotMinutes: s.slotMinutes,
    walkInShare: s.walkInShare,
    bookingWindowDays: s.bookingWindowDays,
    releaseTime: s.releaseTime,
    noShowMinutes: s.noShowMinutes,
    drawMinutes: s.drawMinutes,
  });

  async function siteOr404(id: string): Promise<SiteRow> {
    const s = await repo.site(db, id);
    if (!s) throw new AppError('site-not-found');
    return s;
  }

  /** Slots of one date with the places left, taken places counted in one query. */
  async function slotsWithRemaining(site: SiteRow, date: string) {
    const slots = slotsOn(calendarOf(site), date, zone);
    if (slots.length === 0) return [];
    const taken = await repo.takenBySlot(db, site.id, slots[0]!.start, new Date(slots.at(-1)!.start.getTime() + 1));
    return slots.map((s) => ({ ...s, remaining: Math.max(0, s.places - (taken.get(s.start.getTime()) ?? 0)) }));
  }

  /** The first slot still bookable now, from today to the last released day. */
  async function nextFree(site: SiteRow, now: Date) {
    const cal = calendarOf(site);
    const last = lastOpenDate(cal, now, zone);
    for (let d = wallTime(now, zone).date; d <= last; d = addDays(d, 1)) {
      const free = (await slotsWithRemaining(site, d)).find((s) => s.start > now && s.remaining > 0);
      if (free) return { start: isoInZone(free.start, zone), remaining: free.remaining };
    }
    return null;
  }

  return {
    view,
    siteOr404,
    slotsWithRemaining,

    async create(actor: Actor, input: SiteInput) {
      const row = toRow(input);
      checkSite(calendarOf(row as SiteRow));
      return db.transaction(async (tx) => {
        const s = await repo.insertSite(tx, row);
        await audit.record(tx, { actor, action: 'enrolment_site.create', targetType: 'enrolment_site', targetId: s.id });
        return view(s);
      });
    },

    /**
     * Changes a site. Hours, desks or the walk-in share may leave booked
     * places without a slot: they are never dropped, they are listed so the
     * clerk can contact those who left a contact (or meet them anyway).
     */
    async update(actor: Actor, id: string, patch: Partial<SiteInput>) {
      return db.transaction(async (tx) => {
        const current = await repo.site(tx, id, { forUpdate: true });
        if (!current) throw new AppError('site-not-found');
        const merged = { ...view(current), ...patch } as SiteInput;
        const row = toRow(merged);
        checkSite(calendarOf({ ...current, ...row }));
        const s = (await repo.updateSite(tx, id, row))!;
        await audit.record(tx, { actor, action: 'enrolment_site.update', targetType: 'enrolment_site', targetId: id });
        const cal = calendarOf(s);
        const affected = (await repo.fromInstant(tx, id, clock()))
          .filter((a) => {
            const slot = slotsOn(cal, wallTime(a.start, zone).date, zone).find((x) => x.start.getTime() === a.start.getTime());
            return !slot || a.seat >= slot.places;
          })
          .map((a) => ({ reference: a.reference, start: isoInZone(a.start, zone), hasContact: a.contact !== null }));
        return { ...view(s), affected };
      });
    },

    /** Every site with its next free place, today's walk-in capacity and when the next day opens. */
    async list() {
      const now = clock();
      const today = wallTime(now, zone).date;
      const out = [];
      for (const s of await repo.sites(db)) {
        const cal = calendarOf(s);
        const todays = slotsOn(cal, today, zone);
        const nextDay = addDays(lastOpenDate(cal, now, zone), 1);
        out.push({
          ...view(s),
          nextFreeSlot: await nextFree(s, now),
          today: { date: today, walkInPlaces: todays.filter((x) => x.start > now).reduce((n, x) => n + x.walkIn, 0), open: todays.length > 0 },
          nextRelease: { date: nextDay, at: isoInZone(releaseOf(cal, nextDay, zone), zone) },
        });
      }
      return out;
    },

    /** Slots of a date with the places left; a date not yet released says when it opens. */
    async slots(id: string, date: string) {
      if (!isCalendarDate(date)) throw new AppError('validation-failed', { errors: [{ path: '/date', message: 'must be a calendar date' }] });
      const site = await siteOr404(id);
      const now = clock();
      const cal = calendarOf(site);
      const refusal = dateRefusal(cal, date, now, zone);
      if (refusal === 'date-in-past') throw new AppError('appointment-date-past');
      const opensAt = isoInZone(releaseOf(cal, date, zone), zone);
      if (refusal === 'date-not-released') return { date, released: false, opensAt, items: [] };
      const items = (await slotsWithRemaining(site, date)).filter((s) => s.start > now).map((s) => ({ start: isoInZone(s.start, zone), remaining: s.remaining }));
      return { date, released: true, opensAt, items };
    },

    placesOf: (site: SiteRow) => placesPerSlot(site),
    nextFree,
  };
}

function toRow(i: SiteInput) {
  return {
    name: i.name,
    address: i.address,
    kind: i.kind,
    fromDate: i.from ?? null,
    untilDate: i.until ?? null,
    languages: i.languages ?? [],
    accessibility: i.accessibility ?? null,
    hours: i.hours,
    desks: i.desks,
    slotMinutes: i.slotMinutes,
    walkInShare: i.walkInShare,
    bookingWindowDays: i.bookingWindowDays,
    releaseTime: i.releaseTime,
    noShowMinutes: i.noShowMinutes ?? 15,
    drawMinutes: i.drawMinutes ?? 15,
  };
}

export type SitesService = ReturnType<typeof createSitesService>;
