/** The only code that touches the events tables. Every function takes the database or a transaction. */
import { and, asc, eq, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { eventEditions, eventMilestones, eventRsvps, events, eventSpaces } from './events-tables.js';

export type RsvpRow = typeof eventRsvps.$inferSelect;

export interface EventFilter {
  editionId?: string;
  category?: string;
  language?: string;
  from?: Date;
  to?: Date;
  access?: string;
  status?: string;
}

export function createEventsRepository() {
  return {
    // editions and milestones
    async insertEdition(db: Executor, row: typeof eventEditions.$inferInsert) {
      const [r] = await db.insert(eventEditions).values(row).returning();
      return r!;
    },
    async insertMilestones(db: Executor, rows: Array<typeof eventMilestones.$inferInsert>) {
      return db.insert(eventMilestones).values(rows).returning();
    },
    listEditions: (db: Executor) => db.select().from(eventEditions).orderBy(asc(eventEditions.startsOn)),
    async editionById(db: Executor, id: string) {
      const [r] = await db.select().from(eventEditions).where(eq(eventEditions.id, id));
      return r;
    },
    milestonesOf: (db: Executor, editionIds: string[]) =>
      editionIds.length === 0 ? Promise.resolve([]) : db.select().from(eventMilestones).where(inArray(eventMilestones.editionId, editionIds)),
    async updateMilestone(db: Executor, editionId: string, key: string, patch: { owner?: string | null; status?: string }, now: Date) {
      const [r] = await db
        .update(eventMilestones)
        .set({ ...patch, updatedAt: now })
        .where(and(eq(eventMilestones.editionId, editionId), eq(eventMilestones.key, key)))
        .returning();
      return r;
    },

    // spaces
    async insertSpace(db: Executor, row: typeof eventSpaces.$inferInsert) {
      const [r] = await db.insert(eventSpaces).values(row).returning();
      return r!;
    },
    async updateSpace(db: Executor, id: string, patch: Partial<typeof eventSpaces.$inferInsert>) {
      const [r] = await db.update(eventSpaces).set(patch).where(eq(eventSpaces.id, id)).returning();
      return r;
    },
    listSpaces: (db: Executor) => db.select().from(eventSpaces).orderBy(asc(eventSpaces.name)),
    spacesByIds: (db: Executor, ids: string[]) => (ids.length === 0 ? Promise.resolve([]) : db.select().from(eventSpaces).where(inArray(eventSpaces.id, ids))),

    // events
    async insertEvent(db: Executor, row: typeof events.$inferInsert) {
      const [r] = await db.insert(events).values(row).returning();
      return r!;
    },
    async updateEvent(db: Executor, id: string, patch: Partial<typeof events.$inferInsert>) {
      const [r] = await db.update(events).set(patch).where(eq(events.id, id)).returning();
      return r;
    },
    async deleteEvent(db: Executor, id: string) {
      const rows = await db.delete(events).where(eq(events.id, id)).returning({ id: events.id });
      return rows.length > 0;
    },
    async eventById(db: Executor, id: string) {
      const [r] = await db.select().from(events).where(eq(events.id, id));
      return r;
    },
    /**
     * The event's row, locked until the transaction ends: every change to its
     * line (RSVP, cancellation, draw) passes here, so they happen one at a
     * time per event and "count, then insert" cannot overbook.
     */
    async lockEvent(db: Executor, id: string) {
      const [r] = await db.select().from(events).where(eq(events.id, id)).for('update');
      return r;
    },
    listEvents(db: Executor, f: EventFilter) {
      const where = [
        f.status ? eq(events.status, f.status) : undefined,
        f.editionId ? eq(events.editionId, f.editionId) : undefined,
        f.category ? eq(events.category, f.category) : undefined,
        f.access ? eq(events.access, f.access) : undefined,
        f.language ? sql`${events.languages} @> ${JSON.stringify([f.language])}::jsonb` : undefined,
        // An event overlapping [from, to).
        f.from ? gte(events.endsAt, f.from) : undefined,
        f.to ? lt(events.startsAt, f.to) : undefined,
      ].filter((x) => x !== undefined);
      return db.select().from(events).where(and(...where)).orderBy(asc(events.startsAt), asc(events.id));
    },
    /** Events whose RSVPs may still exist (not purged, with RSVPs). */
    liveRsvpEvents: (db: Executor) => db.select().from(events).where(and(isNull(events.purgedAt), sql`${events.rsvp} <> 'none'`)),

    // RSVPs
    async rsvpOf(db: Executor, eventId: string, holder: string) {
      const [r] = await db.select().from(eventRsvps).where(and(eq(eventRsvps.eventId, eventId), eq(eventRsvps.holder, holder)));
      return r;
    },
    rsvpsOfHolders: (db: Executor, holders: string[]) => (holders.length === 0 ? Promise.resolve([]) : db.select().from(eventRsvps).where(inArray(eventRsvps.holder, holders))),
    async counts(db: Executor, eventId: string): Promise<Record<'confirmed' | 'waitlisted' | 'entered' | 'admitted' | 'maxSeq', number>> {
      const [r] = await db
        .select({
          confirmed: sql<number>`count(*) filter (where ${eventRsvps.status} = 'confirmed')::int`,
          waitlisted: sql<number>`count(*) filter (where ${eventRsvps.status} = 'waitlisted')::int`,
          entered: sql<number>`count(*) filter (where ${eventRsvps.status} = 'entered')::int`,
          admitted: sql<number>`count(*) filter (where ${eventRsvps.admittedAt} is not null)::int`,
          maxSeq: sql<number>`coalesce(max(${eventRsvps.seq}), 0)::bigint`,
        })
        .from(eventRsvps)
        .where(eq(eventRsvps.eventId, eventId));
      return { confirmed: Number(r!.confirmed), waitlisted: Number(r!.waitlisted), entered: Number(r!.entered), admitted: Number(r!.admitted), maxSeq: Number(r!.maxSeq) };
    },
    async insertRsvp(db: Executor, row: typeof eventRsvps.$inferInsert) {
      const [r] = await db.insert(eventRsvps).values(row).returning();
      return r!;
    },
    async deleteRsvp(db: Executor, id: string) {
      await db.delete(eventRsvps).where(eq(eventRsvps.id, id));
    },
    /** Position in the waiting list (1 = next), counted among those ahead. */
    async positionOf(db: Executor, eventId: string, seq: number) {
      const [r] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(eventRsvps)
        .where(and(eq(eventRsvps.eventId, eventId), eq(eventRsvps.status, 'waitlisted'), lte(eventRsvps.seq, seq)));
      return Number(r!.n);
    },
    async firstInLine(db: Executor, eventId: string) {
      const [r] = await db
        .select()
        .from(eventRsvps)
        .where(and(eq(eventRsvps.eventId, eventId), eq(eventRsvps.status, 'waitlisted')))
        .orderBy(asc(eventRsvps.seq))
        .limit(1);
      return r;
    },
    async setLine(db: Executor, id: string, status: string, seq: number) {
      await db.update(eventRsvps).set({ status, seq }).where(eq(eventRsvps.id, id));
    },
    entries: (db: Executor, eventId: string) => db.select().from(eventRsvps).where(eq(eventRsvps.eventId, eventId)),
    /** Admits a confirmed ticket once: one statement, so of two simultaneous scans exactly one updates the row. */
    async admit(db: Executor, eventId: string, ticketId: string, now: Date) {
      const [r] = await db
        .update(eventRsvps)
        .set({ admittedAt: now })
        .where(and(eq(eventRsvps.eventId, eventId), eq(eventRsvps.ticketId, ticketId), eq(eventRsvps.status, 'confirmed'), isNull(eventRsvps.admittedAt)))
        .returning({ id: eventRsvps.id });
      return r !== undefined;
    },
    async ticket(db: Executor, eventId: string, ticketId: string) {
      const [r] = await db.select().from(eventRsvps).where(and(eq(eventRsvps.eventId, eventId), eq(eventRsvps.ticketId, ticketId)));
      return r;
    },
    async countAdmitted(db: Executor, eventId: string, n = 1) {
      await db.update(events).set({ admittedCount: sql`${events.admittedCount} + ${n}` }).where(eq(events.id, eventId));
    },
    async eventByDoorCode(db: Executor, hash: string) {
      const [r] = await db.select().from(events).where(eq(events.doorCodeHash, hash));
      return r;
    },
    confirmedTickets: (db: Executor, eventId: string) =>
      db.select({ ticketId: eventRsvps.ticketId, admittedAt: eventRsvps.admittedAt }).from(eventRsvps).where(and(eq(eventRsvps.eventId, eventId), eq(eventRsvps.status, 'confirmed'))),
    /** Events ended before `before` whose RSVPs are still there. */
    purgeable: (db: Executor, before: Date) => db.select().from(events).where(and(lt(events.endsAt, before), isNull(events.purgedAt))),
    async deleteRsvpsOf(db: Executor, eventId: string) {
      await db.delete(eventRsvps).where(eq(eventRsvps.eventId, eventId));
    },
  };
}

export type EventsRepository = ReturnType<typeof createEventsRepository>;
