/**
 * At the desk: the clerk's day view, check-in by reference, walk-in queue
 * numbers. A booked person not checked in noShowMinutes after the start is a
 * no-show: their desk counts as free for walk-ins from then on.
 */
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { AppointmentsRepository } from './appointments-repository.js';
import { slotsOn } from './site-calendar.js';
import { calendarOf, type SitesService } from './sites-service.js';
import { addDays, isCalendarDate, isoInZone, wallTime, zonedInstant } from './zoned-time.js';

export interface DeskDeps {
  db: Db;
  repo: AppointmentsRepository;
  sites: SitesService;
  clock: () => Date;
  zone: string;
}

export function createDeskService({ db, repo, sites, clock, zone }: DeskDeps) {
  return {
    async day(siteId: string, date: string) {
      if (!isCalendarDate(date)) throw new AppError('validation-failed', { errors: [{ path: '/date', message: 'must be a calendar date' }] });
      const site = await sites.siteOr404(siteId);
      const now = clock();
      const from = zonedInstant(date, 0, zone) ?? new Date(`${date}T00:00:00Z`);
      const to = zonedInstant(addDays(date, 1), 0, zone) ?? new Date(`${addDays(date, 1)}T00:00:00Z`);
      const rows = await repo.dayOf(db, site.id, from, to);
      const noShowMs = site.noShowMinutes * 60_000;
      const items = rows.map((r) => ({
        start: isoInZone(r.start, zone),
        reference: r.reference,
        checkedIn: r.checkedInAt !== null,
        noShow: r.checkedInAt === null && now.getTime() > r.start.getTime() + noShowMs,
        reminder: r.contact !== null,
      }));
      const slots = slotsOn(calendarOf(site), date, zone).map((s) => {
        const booked = rows.filter((r) => r.start.getTime() === s.start.getTime());
        const noShows = booked.filter((r) => r.checkedInAt === null && now.getTime() > r.start.getTime() + noShowMs).length;
        return { start: isoInZone(s.start, zone), places: s.places, booked: booked.length, walkInDesks: s.walkIn + noShows };
      });
      return { date, site: { id: site.id, name: site.name }, items, slots };
    },

    async checkIn(reference: string) {
      return db.transaction(async (tx) => {
        const row = await repo.byReference(tx, reference, { forUpdate: true });
        if (!row) throw new AppError('appointment-not-found');
        const now = clock();
        if (wallTime(row.start, zone).date !== wallTime(now, zone).date) throw new AppError('appointment-not-today');
        if (row.checkedInAt) throw new AppError('appointment-already-checked-in');
        await repo.updateAppointment(tx, row.id, { checkedInAt: now });
        return { reference: row.reference, start: isoInZone(row.start, zone), checkedIn: true };
      });
    },

    /** The next queue number of the site's day; numbers start at 1 each day. */
    async walkIn(siteId: string) {
      const site = await sites.siteOr404(siteId);
      const date = wallTime(clock(), zone).date;
      return { date, number: await repo.nextWalkIn(db, site.id, date) };
    },
  };
}

export type DeskService = ReturnType<typeof createDeskService>;
