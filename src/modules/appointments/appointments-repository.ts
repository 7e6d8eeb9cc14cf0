/** The only code that touches enrolment_sites, appointments, booking rights and walk-in counters. */
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { appointmentRequests, appointments, bookingRights, enrolmentSites, walkInCounters } from './appointments-tables.js';

export type SiteRow = typeof enrolmentSites.$inferSelect;
export type AppointmentRow = typeof appointments.$inferSelect;
export type RequestRow = typeof appointmentRequests.$inferSelect;

export function createAppointmentsRepository() {
  return {
    async insertSite(db: Executor, row: typeof enrolmentSites.$inferInsert): Promise<SiteRow> {
      const [r] = await db.insert(enrolmentSites).values(row).returning();
      return r!;
    },
    async updateSite(db: Executor, id: string, patch: Partial<typeof enrolmentSites.$inferInsert>): Promise<SiteRow | undefined> {
      const [r] = await db.update(enrolmentSites).set({ ...patch, updatedAt: new Date() }).where(eq(enrolmentSites.id, id)).returning();
      return r;
    },
    async site(db: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<SiteRow | undefined> {
      const q = db.select().from(enrolmentSites).where(eq(enrolmentSites.id, id));
      const [r] = opts.forUpdate ? await q.for('update') : await q;
      return r;
    },
    async sites(db: Executor): Promise<SiteRow[]> {
      return db.select().from(enrolmentSites).orderBy(asc(enrolmentSites.name));
    },

    /** Places taken per slot start of a site in [from, to). */
    async takenBySlot(db: Executor, siteId: string, from: Date, to: Date): Promise<Map<number, number>> {
      const rows = await db
        .select({ start: appointments.start, n: sql<number>`count(*)::int` })
        .from(appointments)
        .where(and(eq(appointments.siteId, siteId), gte(appointments.start, from), lt(appointments.start, to)))
        .groupBy(appointments.start);
      return new Map(rows.map((r) => [r.start.getTime(), Number(r.n)]));
    },

    /**
     * Takes the lowest free seat of a slot, or none. The seat is chosen and
     * inserted in ONE statement; two requests that pick the same seat meet at
     * the unique index: the second waits for the first, then inserts nothing
     * (ON CONFLICT DO NOTHING) and the caller tries again on a fresh snapshot.
     * No check-then-insert: the index decides.
     */
    async takeSeat(db: Executor, row: Omit<typeof appointments.$inferInsert, 'seat'>, places: number): Promise<{ outcome: 'taken'; row: AppointmentRow } | { outcome: 'full' | 'raced' }> {
      const free = await db.execute(sql`
        select s.seat from generate_series(0, ${places - 1}::int) as s(seat)
        where not exists (select 1 from ${appointments} a where a.site_id = ${row.siteId} and a.start = ${row.start} and a.seat = s.seat)
        order by s.seat limit 1`);
      const seat = (free as unknown as { rows: Array<{ seat: number }> }).rows[0]?.seat;
      if (seat === undefined) return { outcome: 'full' };
      const [r] = await db.insert(appointments).values({ ...row, seat: Number(seat) }).onConflictDoNothing({ target: [appointments.siteId, appointments.start, appointments.seat] }).returning();
      return r ? { outcome: 'taken', row: r } : { outcome: 'raced' };
    },

    async byReference(db: Executor, reference: string, opts: { forUpdate?: boolean } = {}): Promise<AppointmentRow | undefined> {
      const q = db.select().from(appointments).where(eq(appointments.reference, reference));
      const [r] = opts.forUpdate ? await q.for('update') : await q;
      return r;
    },
    async updateAppointment(db: Executor, id: string, patch: Partial<typeof appointments.$inferInsert>): Promise<void> {
      await db.update(appointments).set(patch).where(eq(appointments.id, id));
    },
    async deleteAppointment(db: Executor, id: string): Promise<void> {
      await db.delete(appointments).where(eq(appointments.id, id));
    },
    async dayOf(db: Executor, siteId: string, from: Date, to: Date): Promise<AppointmentRow[]> {
      return db
        .select()
        .from(appointments)
        .where(and(eq(appointments.siteId, siteId), gte(appointments.start, from), lt(appointments.start, to)))
        .orderBy(asc(appointments.start), asc(appointments.seat));
    },
    /** Booked places of a site from an instant on (to list those a change of hours affects). */
    async fromInstant(db: Executor, siteId: string, from: Date): Promise<AppointmentRow[]> {
      return db.select().from(appointments).where(and(eq(appointments.siteId, siteId), gte(appointments.start, from))).orderBy(asc(appointments.start));
    },
    /** Deletes every appointment that started before the instant; returns how many. */
    async purgeBefore(db: Executor, before: Date): Promise<number> {
      const rows = await db.delete(appointments).where(lt(appointments.start, before)).returning({ id: appointments.id });
      return rows.length;
    },
    async dueReminders(db: Executor, from: Date, to: Date): Promise<AppointmentRow[]> {
      return db
        .select()
        .from(appointments)
        .where(and(gte(appointments.start, from), lt(appointments.start, to), sql`${appointments.contact} is not null`, sql`${appointments.reminderSentAt} is null`))
        .for('update', { skipLocked: true });
    },

    async insertRequest(db: Executor, row: typeof appointmentRequests.$inferInsert): Promise<RequestRow> {
      const [r] = await db.insert(appointmentRequests).values(row).returning();
      return r!;
    },
    async requestByReference(db: Executor, reference: string, opts: { forUpdate?: boolean } = {}): Promise<RequestRow | undefined> {
      const q = db.select().from(appointmentRequests).where(eq(appointmentRequests.reference, reference));
      const [r] = opts.forUpdate ? await q.for('update') : await q;
      return r;
    },
    async updateRequest(db: Executor, id: string, patch: Partial<typeof appointmentRequests.$inferInsert>): Promise<void> {
      await db.update(appointmentRequests).set(patch).where(eq(appointmentRequests.id, id));
    },
    async deleteRequest(db: Executor, id: string): Promise<void> {
      await db.delete(appointmentRequests).where(eq(appointmentRequests.id, id));
    },
    /** The draw's order: the random key, never the arrival. */
    async pendingRequests(db: Executor, siteId: string, date: string): Promise<RequestRow[]> {
      return db
        .select()
        .from(appointmentRequests)
        .where(and(eq(appointmentRequests.siteId, siteId), eq(appointmentRequests.date, date), eq(appointmentRequests.status, 'pending')))
        .orderBy(asc(appointmentRequests.drawKey));
    },
    async hasPending(db: Executor, siteId: string, date: string): Promise<boolean> {
      const [r] = await db
        .select({ id: appointmentRequests.id })
        .from(appointmentRequests)
        .where(and(eq(appointmentRequests.siteId, siteId), eq(appointmentRequests.date, date), eq(appointmentRequests.status, 'pending')))
        .limit(1);
      return r !== undefined;
    },
    /** Sites and dates whose draw is still to run (for the timer). */
    async pendingDraws(db: Executor): Promise<Array<{ siteId: string; date: string }>> {
      return db
        .selectDistinct({ siteId: appointmentRequests.siteId, date: appointmentRequests.date })
        .from(appointmentRequests)
        .where(eq(appointmentRequests.status, 'pending'));
    },
    async purgeRequestsBefore(db: Executor, date: string): Promise<number> {
      const rows = await db.delete(appointmentRequests).where(lt(appointmentRequests.date, date)).returning({ id: appointmentRequests.id });
      return rows.length;
    },

    async bookingRight(db: Executor, staffId: string): Promise<number | undefined> {
      const [r] = await db.select().from(bookingRights).where(eq(bookingRights.staffId, staffId));
      return r?.maxPlaces;
    },
    async setBookingRight(db: Executor, staffId: string, maxPlaces: number): Promise<void> {
      await db
        .insert(bookingRights)
        .values({ staffId, maxPlaces })
        .onConflictDoUpdate({ target: bookingRights.staffId, set: { maxPlaces, updatedAt: new Date() } });
    },
    async deleteBookingRight(db: Executor, staffId: string): Promise<boolean> {
      const rows = await db.delete(bookingRights).where(eq(bookingRights.staffId, staffId)).returning();
      return rows.length > 0;
    },

    /** The next walk-in number of a site's day, atomically (one upsert, no read-then-write). */
    async nextWalkIn(db: Executor, siteId: string, date: string): Promise<number> {
      const [r] = await db
        .insert(walkInCounters)
        .values({ siteId, date, last: 1 })
        .onConflictDoUpdate({ target: [walkInCounters.siteId, walkInCounters.date], set: { last: sql`${walkInCounters.last} + 1` } })
        .returning({ last: walkInCounters.last });
      return r!.last;
    },
    async purgeWalkInsBefore(db: Executor, date: string): Promise<void> {
      await db.delete(walkInCounters).where(lt(walkInCounters.date, date));
    },
  };
}

export type AppointmentsRepository = ReturnType<typeof createAppointmentsRepository>;
