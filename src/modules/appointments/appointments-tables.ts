/**
 * Enrolment sites and appointments (issue 18). An appointment holds no name
 * and no link to the enrolment record that may follow; its only personal
 * datum is the optional reminder contact, encrypted, and the whole row is
 * deleted APPOINTMENT_RETENTION_DAYS after its date.
 */
import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from '../../db/columns.js';
import { bytea } from '../../db/bytea.js';

export const enrolmentSites = pgTable('enrolment_sites', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  /** `permanent` | `pop-up` (a pop-up has a date range). */
  kind: text('kind').notNull(),
  /** Pop-up range, local dates YYYY-MM-DD, inclusive. */
  fromDate: text('from_date'),
  untilDate: text('until_date'),
  /** Languages spoken at the desk (en, fr, …). */
  languages: jsonb('languages').$type<string[]>().notNull().default([]),
  /** Free text: step-free access, hearing loop… */
  accessibility: text('accessibility'),
  /** [{ weekday 1–7, open HH:MM, close HH:MM }], local time; a weekday absent is closed. */
  hours: jsonb('hours').$type<Array<{ weekday: number; open: string; close: string }>>().notNull(),
  desks: integer('desks').notNull(),
  slotMinutes: integer('slot_minutes').notNull(),
  /** Share of each slot's desks kept for walk-ins, 0–1. */
  walkInShare: doublePrecision('walk_in_share').notNull(),
  bookingWindowDays: integer('booking_window_days').notNull(),
  /** Local time at which one more day opens, HH:MM. */
  releaseTime: text('release_time').notNull(),
  /** Minutes after a slot's start when a booked person who has not come frees the desk for walk-ins. */
  noShowMinutes: integer('no_show_minutes').notNull().default(15),
  /**
   * Minutes after a day's release during which requests for that day are
   * collected and then placed in random order (the opening draw); 0 = first come.
   */
  drawMinutes: integer('draw_minutes').notNull().default(15),
  ...timestamps,
});

/**
 * One place taken. `seat` is the place's number in its slot (0 … places−1):
 * the unique index on (site, start, seat) is what makes overbooking
 * impossible, whatever the number of simultaneous requests.
 */
export const appointments = pgTable(
  'appointments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short public reference, e.g. K7QM-4XTD (Crockford base32). */
    reference: text('reference').notNull(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => enrolmentSites.id),
    start: timestamp('start', { withTimezone: true, mode: 'date' }).notNull(),
    seat: integer('seat').notNull(),
    /** HMAC-SHA256 of the PIN under a key derived from MASTER_KEY: a copy of the database alone cannot test PINs. */
    pinHash: text('pin_hash').notNull(),
    failedPins: integer('failed_pins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    /** Language of the documents list and the reminder. */
    language: text('language').notNull(),
    /** Optional reminder contact, AES-256-GCM (field cipher, AAD = row id). */
    contact: bytea('contact'),
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true, mode: 'date' }),
    /** The community organisation's account that booked it, if any (a staff id, never a person). */
    bookedBy: uuid('booked_by'),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('appointments_reference_uq').on(t.reference),
    uniqueIndex('appointments_seat_uq').on(t.siteId, t.start, t.seat),
    index('appointments_start_idx').on(t.start),
  ],
);

/** Community organisations' booking right: a partner_service account may book up to maxPlaces at once. */
export const bookingRights = pgTable('appointment_booking_rights', {
  staffId: uuid('staff_id').primaryKey(),
  maxPlaces: integer('max_places').notNull(),
  ...timestamps,
});

/** Walk-in queue numbers, one counter per site and local date. */
export const walkInCounters = pgTable(
  'appointment_walk_in_counters',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => enrolmentSites.id),
    date: text('date').notNull(),
    last: integer('last').notNull().default(0),
  },
  (t) => [uniqueIndex('appointment_walk_in_counters_pk').on(t.siteId, t.date)],
);

/**
 * Requests made during a day's opening draw: they hold a reference and PIN
 * at once and get a place (the wanted slot, else the nearest free one that
 * day) when the draw runs, in the order of `drawKey`, a random value — never
 * in order of arrival. `unplaced` rows say so until the purge.
 */
export const appointmentRequests = pgTable(
  'appointment_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reference: text('reference').notNull(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => enrolmentSites.id),
    /** Local date the request is for, YYYY-MM-DD. */
    date: text('date').notNull(),
    wantedStart: timestamp('wanted_start', { withTimezone: true, mode: 'date' }).notNull(),
    places: integer('places').notNull().default(1),
    pinHash: text('pin_hash').notNull(),
    failedPins: integer('failed_pins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    language: text('language').notNull(),
    contact: bytea('contact'),
    bookedBy: uuid('booked_by'),
    /** 16 random bytes, hex: the draw's order. */
    drawKey: text('draw_key').notNull(),
    /** `pending` | `unplaced`. */
    status: text('status').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('appointment_requests_reference_uq').on(t.reference), index('appointment_requests_site_date_idx').on(t.siteId, t.date)],
);
