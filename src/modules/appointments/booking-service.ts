/**
 * Booking without an account and without a name: a reference and a PIN.
 * A place is a seat number in its slot, taken through the unique index
 * (appointments-repository takeSeat), never by counting then inserting.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { FieldCipher } from '../../security/field-cipher.js';
import type { EvidenceRules } from '../residents/city-rules.js';
import type { AppointmentRow, AppointmentsRepository } from './appointments-repository.js';
import { appointmentIcs } from './appointment-ics.js';
import { newPin, newReference, pinHasher } from './booking-secrets.js';
import { documentsToBring } from './documents-to-bring.js';
import { dateRefusal, slotsOn } from './site-calendar.js';
import { calendarOf, type SitesService } from './sites-service.js';
import { isoInZone, wallTime } from './zoned-time.js';

/** Wrong PINs before a booking locks, and for how long: 5 guesses in a million per quarter hour. */
export const PIN_ATTEMPTS = 5;
export const PIN_LOCK_MS = 15 * 60_000;

export interface BookingDeps {
  db: Db;
  repo: AppointmentsRepository;
  sites: SitesService;
  cipher: FieldCipher;
  pinPepper: Buffer;
  evidence: EvidenceRules;
  clock: () => Date;
  zone: string;
  /** Whether a reminder sender is configured: without one, no contact is taken. */
  remindersEnabled: boolean;
  host: string;
}

export interface BookInput {
  siteId: string;
  start: string;
  language: string;
  contact?: string;
  places?: number;
}

/** A partner account asking for several places; its right is checked here. */
export interface Booker {
  type: string;
  id: string;
}

export const contactAad = (id: string) => `appointments.contact:${id}`;

export function createBookingService(d: BookingDeps) {
  const { db, repo, sites, cipher, clock, zone } = d;
  const pins = pinHasher(d.pinPepper);

  /** Takes `places` seats of one slot in one transaction: all or none. */
  async function takeSeats(tx: Executor, base: { siteId: string; start: Date; language: string; contact?: string; bookedBy?: string }, places: number, perSlot: number) {
    const out: Array<{ row: AppointmentRow; pin: string }> = [];
    for (let i = 0; i < places; i++) {
      const pin = newPin();
      const id = randomUUID();
      const reference = newReference();
      // Each race lost means another request took a seat: at most perSlot losses before the slot is full.
      for (let attempt = 0; ; attempt++) {
        const r = await repo.takeSeat(
          tx,
          {
            id,
            reference,
            siteId: base.siteId,
            start: base.start,
            pinHash: pins.hash(reference, pin),
            language: base.language,
            contact: base.contact ? cipher.encrypt(base.contact, contactAad(id)) : null,
            bookedBy: base.bookedBy ?? null,
          },
          perSlot,
        );
        if (r.outcome === 'taken') {
          out.push({ row: r.row, pin });
          break;
        }
        if (r.outcome === 'full' || attempt > perSlot) throw new AppError('slot-full');
      }
    }
    return out;
  }

  /** Checks the PIN, counting a wrong one atomically (the row is locked while it is checked). */
  async function withPin<T>(reference: string, pin: string, then: (tx: Executor, row: AppointmentRow) => Promise<T>): Promise<T> {
    const result = await db.transaction(async (tx) => {
      const row = await repo.byReference(tx, reference, { forUpdate: true });
      if (!row) return { error: 'appointment-not-found' as const };
      const now = clock();
      if (row.lockedUntil && row.lockedUntil > now) return { error: 'appointment-locked' as const, until: row.lockedUntil };
      if (!pins.matches(reference, pin, row.pinHash)) {
        const failed = row.failedPins + 1;
        const lock = failed >= PIN_ATTEMPTS;
        await repo.updateAppointment(tx, row.id, { failedPins: lock ? 0 : failed, lockedUntil: lock ? new Date(now.getTime() + PIN_LOCK_MS) : null });
        // A wrong PIN and an unknown reference answer alike: a guesser learns nothing of which references exist.
        return { error: 'appointment-not-found' as const };
      }
      if (row.failedPins > 0) await repo.updateAppointment(tx, row.id, { failedPins: 0 });
      return { ok: await then(tx, row) };
    });
    if ('error' in result) {
      if (result.error === 'appointment-locked') {
        const seconds = Math.ceil((result.until!.getTime() - clock().getTime()) / 1000);
        throw new AppError('appointment-locked', { headers: { 'retry-after': String(seconds) } });
      }
      throw new AppError('appointment-not-found');
    }
    return result.ok as T;
  }

  async function view(row: AppointmentRow) {
    const site = await sites.siteOr404(row.siteId);
    return {
      reference: row.reference,
      start: isoInZone(row.start, zone),
      minutes: site.slotMinutes,
      language: row.language,
      site: { id: site.id, name: site.name, address: site.address },
      checkedIn: row.checkedInAt !== null,
      reminder: row.contact !== null,
      ...bring(row.language),
    };
  }

  const bring = (language: string) => {
    const list = documentsToBring(d.evidence, language);
    return { bring: list.items, requirements: list.requirements };
  };

  return {
    remindersEnabled: d.remindersEnabled,

    async book(input: BookInput, booker?: Booker) {
      const places = input.places ?? 1;
      if (places > 1) {
        const max = booker?.type === 'partner_service' ? await repo.bookingRight(db, booker.id) : undefined;
        if (max === undefined || places > max) throw new AppError('booking-places-exceeded', { extra: { maxPlaces: max ?? 1 } });
      }
      if (input.contact && !d.remindersEnabled) throw new AppError('reminders-unavailable');
      const site = await sites.siteOr404(input.siteId);
      const start = new Date(input.start);
      const now = clock();
      if (Number.isNaN(start.getTime())) throw new AppError('validation-failed', { errors: [{ path: '/start', message: 'must be a date-time' }] });
      if (start <= now) throw new AppError('appointment-date-past');
      const cal = calendarOf(site);
      const date = wallTime(start, zone).date;
      const refusal = dateRefusal(cal, date, now, zone);
      if (refusal === 'date-not-released') throw new AppError('slot-not-released');
      const slot = slotsOn(cal, date, zone).find((s) => s.start.getTime() === start.getTime());
      if (!slot || slot.places === 0) throw new AppError('slot-not-offered');
      try {
        const taken = await db.transaction((tx) =>
          takeSeats(tx, { siteId: site.id, start, language: input.language, contact: input.contact, bookedBy: booker?.type === 'partner_service' ? booker.id : undefined }, places, slot.places),
        );
        return {
          reference: taken[0]!.row.reference,
          pin: taken[0]!.pin,
          start: isoInZone(start, zone),
          minutes: site.slotMinutes,
          site: { id: site.id, name: site.name, address: site.address },
          bookings: taken.map((t) => ({ reference: t.row.reference, pin: t.pin })),
          ...bring(input.language),
        };
      } catch (e) {
        if (e instanceof AppError && e.code === 'slot-full') {
          // Never a bare "full": say where the next place is.
          throw new AppError('slot-full', { extra: { nextFreeSlot: await sites.nextFree(site, now) } });
        }
        throw e;
      }
    },

    get: (reference: string, pin: string) => withPin(reference, pin, async (_tx, row) => row).then(view),

    /** Cancels: the row goes, so its seat is free for the next request at once. */
    cancel: (reference: string, pin: string) => withPin(reference, pin, (tx, row) => repo.deleteAppointment(tx, row.id)),

    async ics(reference: string, pin: string) {
      const row = await withPin(reference, pin, async (_tx, r) => r);
      const site = await sites.siteOr404(row.siteId);
      return appointmentIcs({ reference: row.reference, start: row.start, minutes: site.slotMinutes, language: row.language, siteName: site.name, address: site.address, now: clock(), host: d.host });
    },

    async setBookingRight(staffId: string, maxPlaces: number) {
      await repo.setBookingRight(db, staffId, maxPlaces);
    },
    async deleteBookingRight(staffId: string) {
      if (!(await repo.deleteBookingRight(db, staffId))) throw new AppError('booking-right-not-found');
    },
  };
}

export type BookingService = ReturnType<typeof createBookingService>;
