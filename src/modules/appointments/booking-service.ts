/**
 * Booking without an account and without a name: a reference and a PIN.
 * A place is a seat number in its slot, taken through the unique index
 * (appointments-repository takeSeat), never by counting then inserting.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { FieldCipher } from '../../security/field-cipher.js';
import type { EvidenceRules } from '../residents/city-rules.js';
import type { AppointmentRow, AppointmentsRepository, RequestRow, SiteRow } from './appointments-repository.js';
import { appointmentIcs } from './appointment-ics.js';
import { newPin, newReference, pinHasher } from './booking-secrets.js';
import { EMAIL } from './reminder-sender.js';
import { documentsToBring } from './documents-to-bring.js';
import { dateRefusal, releaseOf, slotsOn } from './site-calendar.js';
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

  type Base = { siteId: string; start: Date; language: string; contact?: Buffer | string | null; bookedBy?: string | null };

  /** One seat of a slot, or undefined when it is full. Each race lost means another request took a seat: at most perSlot losses. */
  async function takeOne(tx: Executor, base: Base, perSlot: number, secret: { id: string; reference: string; pinHash: string }): Promise<AppointmentRow | undefined> {
    const contact = typeof base.contact === 'string' ? cipher.encrypt(base.contact, contactAad(secret.id)) : (base.contact ?? null);
    for (let attempt = 0; attempt <= perSlot + 1; attempt++) {
      const r = await repo.takeSeat(tx, { ...secret, siteId: base.siteId, start: base.start, language: base.language, contact, bookedBy: base.bookedBy ?? null }, perSlot);
      if (r.outcome === 'taken') return r.row;
      if (r.outcome === 'full') return undefined;
    }
    return undefined;
  }

  /** Takes `places` seats of one slot in one transaction: all or none. */
  async function takeSeats(tx: Executor, base: Base, places: number, perSlot: number) {
    const out: Array<{ row: AppointmentRow; pin: string }> = [];
    for (let i = 0; i < places; i++) {
      const pin = newPin();
      const reference = newReference();
      const row = await takeOne(tx, base, perSlot, { id: randomUUID(), reference, pinHash: pins.hash(reference, pin) });
      if (!row) throw new AppError('slot-full');
      out.push({ row, pin });
    }
    return out;
  }

  /**
   * The opening draw of a site's day: pending requests in the order of their
   * random key, each given its wanted slot or else the nearest free slot of
   * that day; those left over are `unplaced`. The site row is locked, so one
   * draw runs at a time and a request arriving after the window waits for it.
   */
  async function draw(siteId: string, date: string): Promise<void> {
    await db.transaction(async (tx) => {
      const site = await repo.site(tx, siteId, { forUpdate: true });
      if (!site) return;
      const slots = slotsOn(calendarOf(site), date, zone).filter((x) => x.places > 0);
      for (const req of await repo.pendingRequests(tx, siteId, date)) {
        const byDistance = [...slots].sort((a, b) => Math.abs(a.start.getTime() - req.wantedStart.getTime()) - Math.abs(b.start.getTime() - req.wantedStart.getTime()));
        let placed = false;
        for (const slot of byDistance) {
          const row = await takeOne(tx, { siteId, start: slot.start, language: req.language, contact: req.contact, bookedBy: req.bookedBy }, slot.places, { id: req.id, reference: req.reference, pinHash: req.pinHash });
          if (row) {
            placed = true;
            break;
          }
        }
        if (placed) await repo.deleteRequest(tx, req.id);
        else await repo.updateRequest(tx, req.id, { status: 'unplaced' });
      }
    });
  }

  const drawEnd = (site: SiteRow, date: string) => new Date(releaseOf(calendarOf(site), date, zone).getTime() + site.drawMinutes * 60_000);

  /** Runs a day's draw if its window has closed and requests wait. */
  async function ensureDrawn(site: SiteRow, date: string, now: Date): Promise<void> {
    if (site.drawMinutes > 0 && now >= drawEnd(site, date) && (await repo.hasPending(db, site.id, date))) await draw(site.id, date);
  }

  type Held = { kind: 'appointment'; row: AppointmentRow } | { kind: 'request'; row: RequestRow };

  /** Checks the PIN, counting a wrong one atomically (the row is locked while it is checked). */
  async function withPin<T>(reference: string, pin: string, then: (tx: Executor, held: Held) => Promise<T>): Promise<T> {
    // A request whose draw is due is placed first, so its holder sees the result.
    const pending = await repo.requestByReference(db, reference);
    if (pending?.status === 'pending') {
      const site = await repo.site(db, pending.siteId);
      if (site) await ensureDrawn(site, pending.date, clock());
    }
    const result = await db.transaction(async (tx) => {
      const appointment = await repo.byReference(tx, reference, { forUpdate: true });
      const request = appointment ? undefined : await repo.requestByReference(tx, reference, { forUpdate: true });
      const held: Held | undefined = appointment ? { kind: 'appointment', row: appointment } : request ? { kind: 'request', row: request } : undefined;
      if (!held) return { error: 'appointment-not-found' as const };
      const row = held.row;
      const now = clock();
      if (row.lockedUntil && row.lockedUntil > now) return { error: 'appointment-locked' as const, until: row.lockedUntil };
      const update = (patch: { failedPins: number; lockedUntil?: Date | null }) =>
        held.kind === 'appointment' ? repo.updateAppointment(tx, row.id, patch) : repo.updateRequest(tx, row.id, patch);
      if (!pins.matches(reference, pin, row.pinHash)) {
        const failed = row.failedPins + 1;
        const lock = failed >= PIN_ATTEMPTS;
        await update({ failedPins: lock ? 0 : failed, lockedUntil: lock ? new Date(now.getTime() + PIN_LOCK_MS) : null });
        // A wrong PIN and an unknown reference answer alike: a guesser learns nothing of which references exist.
        return { error: 'appointment-not-found' as const };
      }
      if (row.failedPins > 0) await update({ failedPins: 0 });
      return { ok: await then(tx, held) };
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

  async function view(held: Held) {
    const row = held.row;
    const site = await sites.siteOr404(row.siteId);
    if (held.kind === 'request') {
      const r = held.row;
      return {
        reference: r.reference,
        status: r.status as 'pending' | 'unplaced',
        start: isoInZone(r.wantedStart, zone),
        drawAt: isoInZone(drawEnd(site, r.date), zone),
        minutes: site.slotMinutes,
        language: r.language,
        site: { id: site.id, name: site.name, address: site.address },
        checkedIn: false,
        reminder: r.contact !== null,
        ...(r.status === 'unplaced' ? { nextFreeSlot: await sites.nextFree(site, clock()) } : {}),
        ...bring(r.language),
      };
    }
    const a = held.row;
    return {
      reference: a.reference,
      status: 'confirmed' as const,
      start: isoInZone(a.start, zone),
      minutes: site.slotMinutes,
      language: row.language,
      site: { id: site.id, name: site.name, address: site.address },
      checkedIn: a.checkedInAt !== null,
      reminder: a.contact !== null,
      ...bring(a.language),
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
      if (input.contact && !EMAIL.test(input.contact)) throw new AppError('validation-failed', { errors: [{ path: '/contact', message: 'must be an e-mail address' }] });
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
      if (site.drawMinutes > 0 && now < drawEnd(site, date)) {
        // Inside the opening window: a place in the draw, whatever the arrival time. Organisations book after it.
        if (places > 1) throw new AppError('draw-in-progress', { extra: { drawAt: isoInZone(drawEnd(site, date), zone) } });
        const pin = newPin();
        const reference = newReference();
        const id = randomUUID();
        await repo.insertRequest(db, {
          id,
          reference,
          siteId: site.id,
          date,
          wantedStart: start,
          pinHash: pins.hash(reference, pin),
          language: input.language,
          contact: input.contact ? cipher.encrypt(input.contact, contactAad(id)) : null,
          drawKey: randomBytes(16).toString('hex'),
        });
        return {
          status: 'pending' as const,
          reference,
          pin,
          start: isoInZone(start, zone),
          drawAt: isoInZone(drawEnd(site, date), zone),
          minutes: site.slotMinutes,
          site: { id: site.id, name: site.name, address: site.address },
          bookings: [{ reference, pin }],
          ...bring(input.language),
        };
      }
      await ensureDrawn(site, date, now);
      try {
        const taken = await db.transaction((tx) =>
          takeSeats(tx, { siteId: site.id, start, language: input.language, contact: input.contact, bookedBy: booker?.type === 'partner_service' ? booker.id : undefined }, places, slot.places),
        );
        return {
          status: 'confirmed' as const,
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

    get: (reference: string, pin: string) => withPin(reference, pin, async (_tx, held) => held).then(view),

    /**
     * Moves a booking to another time of its site: the old place is given up
     * and the new one taken in one transaction, so a full slot leaves the
     * booking where it was. Reference, PIN and contact stay.
     */
    async move(reference: string, pin: string, startIso: string) {
      const start = new Date(startIso);
      const now = clock();
      const held = await withPin(reference, pin, async (tx, h) => {
        if (h.kind !== 'appointment') throw new AppError('appointment-not-confirmed');
        const old = h.row;
        const site = (await repo.site(tx, old.siteId))!;
        if (start <= now) throw new AppError('appointment-date-past');
        const cal = calendarOf(site);
        const date = wallTime(start, zone).date;
        if (dateRefusal(cal, date, now, zone) === 'date-not-released') throw new AppError('slot-not-released');
        const slot = slotsOn(cal, date, zone).find((x) => x.start.getTime() === start.getTime());
        if (!slot || slot.places === 0) throw new AppError('slot-not-offered');
        if (site.drawMinutes > 0 && now < drawEnd(site, date)) throw new AppError('draw-in-progress', { extra: { drawAt: isoInZone(drawEnd(site, date), zone) } });
        await repo.deleteAppointment(tx, old.id);
        const row = await takeOne(tx, { siteId: site.id, start, language: old.language, contact: old.contact, bookedBy: old.bookedBy }, slot.places, { id: old.id, reference: old.reference, pinHash: old.pinHash });
        if (!row) throw new AppError('slot-full');
        return { kind: 'appointment' as const, row };
      });
      return view(held);
    },

    /** Cancels: the row goes, so its seat is free for the next request at once. */
    cancel: (reference: string, pin: string) => withPin(reference, pin, (tx, held) => (held.kind === 'appointment' ? repo.deleteAppointment(tx, held.row.id) : repo.deleteRequest(tx, held.row.id))),

    async ics(reference: string, pin: string) {
      const held = await withPin(reference, pin, async (_tx, h) => h);
      if (held.kind !== 'appointment') throw new AppError('appointment-not-confirmed');
      const row = held.row;
      const site = await sites.siteOr404(row.siteId);
      return appointmentIcs({ reference: row.reference, start: row.start, minutes: site.slotMinutes, language: row.language, siteName: site.name, address: site.address, now: clock(), host: d.host });
    },

    /** Runs every draw whose window has closed (the timer calls it each minute). */
    async runDueDraws() {
      const now = clock();
      for (const { siteId, date } of await repo.pendingDraws(db)) {
        const site = await repo.site(db, siteId);
        if (site) await ensureDrawn(site, date, now);
      }
    },
    draw,

    async setBookingRight(staffId: string, maxPlaces: number) {
      await repo.setBookingRight(db, staffId, maxPlaces);
    },
    async deleteBookingRight(staffId: string) {
      if (!(await repo.deleteBookingRight(db, staffId))) throw new AppError('booking-right-not-found');
    },
  };
}

export type BookingService = ReturnType<typeof createBookingService>;
