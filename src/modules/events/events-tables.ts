/**
 * Welcoming Week: editions and their planning milestones, the spaces events
 * use, the events, and the RSVPs. Only `event_rsvps` touches a resident, and
 * only through a per-event keyed pseudonym; its rows are deleted seven days
 * after the event ends (the counts on `events` stay).
 */
import { bigint, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../../db/bytea.js';
import { timestamps } from '../../db/columns.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const eventEditions = pgTable('event_editions', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** The week itself, as calendar dates in the city's time zone. */
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  ...timestamps,
});

/** One step of an edition's planning timeline (computed from its dates at creation; owner and status are edited). */
export const eventMilestones = pgTable(
  'event_milestones',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: uuid('edition_id').notNull().references(() => eventEditions.id, { onDelete: 'cascade' }),
    /** `call-for-partners` | `spaces-booked` | … (events-timeline.ts). */
    key: text('key').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    /** Who answers for it: a team or a staff member's name, as the organisers write it (staff, never a resident). */
    owner: text('owner'),
    /** `todo` | `in-progress` | `done`. */
    status: text('status').notNull().default('todo'),
    ...timestamps,
  },
  (t) => [uniqueIndex('event_milestones_edition_key_uq').on(t.editionId, t.key)],
);

/** Public and solidarity spaces, reused across events. */
export const eventSpaces = pgTable('event_spaces', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** `public` | `solidarity`. */
  kind: text('kind').notNull(),
  address: text('address').notNull(),
  capacity: integer('capacity'),
  accessibility: jsonb('accessibility').$type<string[]>().notNull().default([]),
  languages: jsonb('languages').$type<string[]>().notNull().default([]),
  /** The space's own contact (a desk phone, an address): an organisation's, not a person's private one. */
  contact: text('contact'),
  ...timestamps,
});

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    editionId: uuid('edition_id').references(() => eventEditions.id, { onDelete: 'set null' }),
    spaceId: uuid('space_id').references(() => eventSpaces.id, { onDelete: 'restrict' }),
    /** `proposed` (by a partner organisation) | `published`. */
    status: text('status').notNull(),
    title: jsonb('title').$type<Record<string, string>>().notNull(),
    description: jsonb('description').$type<Record<string, string>>(),
    category: text('category').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    /** IANA zone the event's local times are given in (TIME_ZONE unless said otherwise). */
    timeZone: text('time_zone').notNull(),
    /** A place given inline when no space is used. */
    place: jsonb('place').$type<{ name: string; address: string }>(),
    languages: jsonb('languages').$type<string[]>().notNull().default([]),
    accessibility: jsonb('accessibility').$type<string[]>().notNull().default([]),
    capacity: integer('capacity'),
    /** `open` | `card-holders`. */
    access: text('access').notNull(),
    /** `none` | `first-come` | `lottery`. */
    rsvp: text('rsvp').notNull(),
    drawAt: ts('draw_at'),
    /** Lottery: SHA-256 of the seed, published from creation so the seed cannot be chosen after the entries are known. */
    seedHash: text('seed_hash'),
    /** Lottery: the seed, sealed with the field cipher until the draw, then revealed as `seed`. */
    sealedSeed: bytea('sealed_seed'),
    seed: text('seed'),
    drawnAt: ts('drawn_at'),
    /** Lottery: the entry ids as they stood at the draw (sorted), published with the seed so anyone can redo the draw; cleared at the purge. */
    drawEntries: jsonb('draw_entries').$type<string[]>(),
    /** Counts that outlive the RSVPs (set at the purge; `admitted` also counted live). */
    entriesCount: integer('entries_count'),
    placesCount: integer('places_count'),
    admittedCount: integer('admitted_count').notNull().default(0),
    /** When the RSVPs and tickets were deleted. */
    purgedAt: ts('purged_at'),
    /**
     * The per-event door code the organiser prints for volunteers without an
     * account: only HMAC(ticket key, "door-code:" + code) is kept, so a copy
     * of the database cannot open the door. Null when none is set.
     */
    doorCodeHash: text('door_code_hash'),
    /** Staff account that created it (not a resident). */
    createdBy: uuid('created_by'),
    ...timestamps,
  },
  (t) => [index('events_starts_at_idx').on(t.startsAt), index('events_edition_idx').on(t.editionId), uniqueIndex('events_door_code_uq').on(t.doorCodeHash)],
);

/**
 * One holder's place, entry or waiting-list spot at one event. `holder` is
 * HMAC(key from MASTER_KEY, event id + resident id): the service can find a
 * signed-in holder's row, a copy of the database cannot tell who it is, and
 * two events' rows of the same person do not match. Deleted, not hidden,
 * seven days after the event.
 */
export const eventRsvps = pgTable(
  'event_rsvps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
    holder: text('holder').notNull(),
    /** `confirmed` | `waitlisted` | `entered` (lottery, before the draw). */
    status: text('status').notNull(),
    /** Order in line: arrival (first come) or the draw's order (lottery). */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** Public random id of a lottery entry: the published entry list names entries only by it. */
    entryId: text('entry_id').notNull(),
    /** Secret random id the ticket QR carries; the door's offline list holds only its SHA-256. */
    ticketId: text('ticket_id').notNull(),
    admittedAt: ts('admitted_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('event_rsvps_holder_uq').on(t.eventId, t.holder),
    uniqueIndex('event_rsvps_ticket_uq').on(t.ticketId),
    uniqueIndex('event_rsvps_entry_uq').on(t.eventId, t.entryId),
    index('event_rsvps_line_idx').on(t.eventId, t.status, t.seq),
  ],
);
