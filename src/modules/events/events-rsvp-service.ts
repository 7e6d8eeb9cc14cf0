/**
 * Places at events: RSVPs (portal or desk), the first-come line and its
 * waiting list, the lottery draw, tickets, the door, and forgetting who came.
 *
 * Every change to an event's line locks the event's row first
 * (`SELECT … FOR UPDATE`), so RSVPs and cancellations of one event happen one
 * after another on any engine: 15 holders at once for 10 places give exactly
 * 10 places and 5 on the list. Admission is one conditional UPDATE, so of
 * two simultaneous scans of one ticket exactly one admits.
 *
 * No row here names a resident: an RSVP is keyed by
 * HMAC(event-pseudonym key, event id ‖ resident id), and audit entries name
 * the event and the staff member, never the holder.
 */
import { createHmac } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { FieldCipher } from '../../security/field-cipher.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import { drawOrder } from './events-draw.js';
import type { EventsRepository, RsvpRow } from './events-repository.js';
import { seedAad } from './events-service.js';
import { readTicket, signTicket, ticketHash } from './events-ticket.js';
import { eventView, type EventRow } from './events-views.js';

/** RSVPs and tickets are deleted this long after the event ends (issue 17). */
export const FORGET_AFTER_MS = 7 * 24 * 3600_000;

export interface RsvpDeps {
  db: Db;
  repo: EventsRepository;
  audit: Pick<AuditService, 'record'>;
  cipher: Pick<FieldCipher, 'decrypt'>;
  clock: () => Date;
  random: (n: number) => Buffer;
  pseudonymKey: Buffer;
  ticketKey: Buffer;
  /** Ports to other domains: who holds a portal account or a card, and whether their card is valid now. */
  residents: {
    ofAccount(accountId: string): Promise<string | undefined>;
    ofCard(number: string): Promise<string | undefined>;
    hasValidCard(residentId: string): Promise<boolean>;
  };
  /**
   * Checks a card QR or a resident proof for a card-holders-only event
   * without RSVPs: valid means a valid card of this city, nothing else is
   * learnt about the holder (the residency-only profile).
   */
  cardCheck?: (qr: string) => Promise<{ valid: boolean; kind: 'card' | 'resident_proof' }>;
}

export interface RsvpAnswer {
  status: 'confirmed' | 'waitlisted' | 'entered';
  position?: number;
  entryId: string;
  ticket?: { qr: string; validUntil: string };
}

export function createRsvpService(deps: RsvpDeps) {
  const { db, repo, audit, clock } = deps;
  const holderOf = (eventId: string, residentId: string) => createHmac('sha256', deps.pseudonymKey).update(`${eventId}\u0000${residentId}`).digest('base64url');
  // A resident acting at the portal is recorded as "a resident", without an id: the event's log names no one.
  const auditActor = (via: Actor): Actor => (via.type === 'resident' ? { type: 'resident', id: null } : via);

  /** `position`: when already known (a new last entry in line), saves a query while the event is locked. */
  async function answer(tx: Parameters<Parameters<Db['transaction']>[0]>[0] | Db, row: RsvpRow, position?: number): Promise<RsvpAnswer> {
    const status = row.status as RsvpAnswer['status'];
    return {
      status,
      entryId: row.entryId,
      ...(status === 'waitlisted' ? { position: position ?? (await repo.positionOf(tx, row.eventId, row.seq)) } : {}),
      ...(status === 'confirmed' ? { ticket: signTicket(deps.ticketKey, { eventId: row.eventId, ticketId: row.ticketId }, clock()) } : {}),
    };
  }

  function closed(ev: EventRow, now: Date): boolean {
    if (ev.rsvp === 'none' || ev.purgedAt || now >= ev.startsAt) return true;
    return ev.rsvp === 'lottery' && (ev.drawnAt !== null || (ev.drawAt !== null && now >= ev.drawAt));
  }

  async function rsvp(via: Actor, residentId: string, eventId: string): Promise<RsvpAnswer> {
    const now = clock();
    const holder = holderOf(eventId, residentId);
    const pre = await repo.eventById(db, eventId);
    if (!pre || pre.status !== 'published') throw new AppError('event-not-found');
    if (pre.access === 'card-holders' && !(await deps.residents.hasValidCard(residentId))) throw new AppError('card-not-valid');
    return db.transaction(async (tx) => {
      const ev = await repo.lockEvent(tx, eventId);
      if (!ev) throw new AppError('event-not-found');
      const existing = await repo.rsvpOf(tx, eventId, holder);
      if (existing) return answer(tx, existing);
      if (closed(ev, now)) throw new AppError('rsvp-closed');
      const counts = await repo.counts(tx, eventId);
      const status = ev.rsvp === 'lottery' ? 'entered' : counts.confirmed < (ev.capacity ?? 0) ? 'confirmed' : 'waitlisted';
      const row = await repo.insertRsvp(tx, {
        eventId,
        holder,
        status,
        seq: counts.maxSeq + 1,
        entryId: deps.random(16).toString('hex'),
        ticketId: deps.random(16).toString('base64url'),
        createdAt: now,
      });
      await audit.record(tx, { actor: auditActor(via), action: `event.rsvp_${status}`, targetType: 'event', targetId: eventId });
      // A new entry joins the end of the line.
      return answer(tx, row, status === 'waitlisted' ? counts.waitlisted + 1 : undefined);
    });
  }

  async function cancel(via: Actor, residentId: string, eventId: string): Promise<void> {
    const holder = holderOf(eventId, residentId);
    await db.transaction(async (tx) => {
      const ev = await repo.lockEvent(tx, eventId);
      if (!ev) throw new AppError('event-not-found');
      const existing = await repo.rsvpOf(tx, eventId, holder);
      if (!existing) throw new AppError('rsvp-not-found');
      await repo.deleteRsvp(tx, existing.id);
      // A freed place goes to the first in line (first come, or the lottery's drawn order).
      if (existing.status === 'confirmed' && clock() < ev.startsAt) {
        const next = await repo.firstInLine(tx, eventId);
        if (next) await repo.setLine(tx, next.id, 'confirmed', next.seq);
      }
      await audit.record(tx, { actor: auditActor(via), action: 'event.rsvp_withdraw', targetType: 'event', targetId: eventId });
    });
  }

  async function admitCard(actor: Actor, eventId: string, qr: string, now: Date) {
    if (!deps.cardCheck) throw new AppError('ticket-invalid', { extra: { reason: 'card-check-unavailable' } });
    const r = await deps.cardCheck(qr);
    if (!r.valid) throw new AppError('ticket-invalid', { extra: { reason: 'card-not-valid' } });
    return db.transaction(async (tx) => {
      await repo.countAdmitted(tx, eventId);
      await audit.record(tx, { actor, action: 'event.admit_card', targetType: 'event', targetId: eventId });
      return { admitted: true as const, at: now.toISOString(), kind: r.kind };
    });
  }

  return {
    holderOf,
    /** The signed-in holder's RSVP (portal). */
    async rsvpSelf(accountId: string, eventId: string) {
      const residentId = await deps.residents.ofAccount(accountId);
      if (!residentId) throw new AppError('token-invalid');
      return rsvp({ type: 'resident', id: accountId }, residentId, eventId);
    },
    async cancelSelf(accountId: string, eventId: string) {
      const residentId = await deps.residents.ofAccount(accountId);
      if (!residentId) throw new AppError('token-invalid');
      return cancel({ type: 'resident', id: accountId }, residentId, eventId);
    },
    /** A clerk at the desk, for the holder of the card in hand. */
    async rsvpAtDesk(clerk: Actor, number: string, eventId: string) {
      const residentId = await deps.residents.ofCard(number);
      if (!residentId) throw new AppError('card-not-found');
      return rsvp(clerk, residentId, eventId);
    },
    async cancelAtDesk(clerk: Actor, number: string, eventId: string) {
      const residentId = await deps.residents.ofCard(number);
      if (!residentId) throw new AppError('card-not-found');
      return cancel(clerk, residentId, eventId);
    },

    /** The holder's RSVPs at events not yet forgotten, with a fresh ticket QR where they have a place. */
    async mine(accountId: string) {
      const residentId = await deps.residents.ofAccount(accountId);
      if (!residentId) throw new AppError('token-invalid');
      const live = await repo.liveRsvpEvents(db);
      const byHolder = new Map(live.map((e) => [holderOf(e.id, residentId), e]));
      const rows = await repo.rsvpsOfHolders(db, [...byHolder.keys()]);
      const items = [];
      for (const row of rows) {
        const ev = byHolder.get(row.holder)!;
        items.push({ event: eventView(ev), ...(await answer(db, row)) });
      }
      return items.sort((a, b) => a.event.startsAt.localeCompare(b.event.startsAt));
    },

    /** The lottery draw, at or after its time: places in the drawn order, the rest a waiting list in that order; the seed is revealed. */
    async draw(actor: Actor, eventId: string) {
      const now = clock();
      return db.transaction(async (tx) => {
        const ev = await repo.lockEvent(tx, eventId);
        if (!ev) throw new AppError('event-not-found');
        if (ev.rsvp !== 'lottery' || !ev.sealedSeed || !ev.drawAt) {
          if (ev.drawnAt) throw new AppError('draw-already-done');
          throw new AppError('event-draw-invalid');
        }
        if (now < ev.drawAt) throw new AppError('draw-not-due');
        const seed = deps.cipher.decrypt(ev.sealedSeed, seedAad(eventId));
        const entries = await repo.entries(tx, eventId);
        const order = drawOrder(seed, entries.map((e) => e.entryId));
        const byEntry = new Map(entries.map((e) => [e.entryId, e]));
        for (const [i, entryId] of order.entries()) {
          await repo.setLine(tx, byEntry.get(entryId)!.id, i < (ev.capacity ?? 0) ? 'confirmed' : 'waitlisted', i + 1);
        }
        await repo.updateEvent(tx, eventId, { seed: seed.toString('hex'), sealedSeed: null, drawnAt: now, drawEntries: [...order].sort(), updatedAt: now });
        await audit.record(tx, { actor, action: 'event.draw', targetType: 'event', targetId: eventId });
        return this.drawRecord(eventId, tx);
      });
    },

    /** What anyone can check the draw with: the commitment, the seed once revealed, the entries and the drawn order. */
    async drawRecord(eventId: string, tx: Parameters<Parameters<Db['transaction']>[0]>[0] | Db = db) {
      const ev = await repo.eventById(tx, eventId);
      if (!ev || ev.rsvp !== 'lottery' || ev.status !== 'published') throw new AppError('event-not-found');
      const entries = ev.drawEntries ?? null;
      return {
        seedHash: ev.seedHash!,
        drawAt: ev.drawAt!.toISOString(),
        drawnAt: ev.drawnAt?.toISOString() ?? null,
        places: ev.capacity ?? 0,
        seed: ev.seed,
        entries,
        order: ev.seed && entries ? drawOrder(Buffer.from(ev.seed, 'hex'), entries) : null,
        algorithm: 'lcc-draw/v1: sort entries; HMAC-SHA256(seed, "lcc-draw/v1/"+k) stream of big-endian uint32; Fisher-Yates from the end with rejection sampling; first `places` have a place',
      };
    },

    /**
     * At the door: 201 admitted, 409 already-admitted, 422 ticket-invalid
     * (with a reason). A card-holders-only event without RSVPs admits on a
     * valid card or resident proof of this city instead of a ticket; it is
     * counted, nothing else is kept.
     */
    async checkIn(actor: Actor, eventId: string, qr: string) {
      const now = clock();
      if (!qr.trim().startsWith('LCT1.')) {
        const ev = await repo.eventById(db, eventId);
        if (!ev || ev.status !== 'published') throw new AppError('event-not-found');
        if (ev.rsvp === 'none' && ev.access === 'card-holders') return admitCard(actor, eventId, qr, now);
      }
      const t = readTicket(deps.ticketKey, qr, now);
      if (!t.ok) throw new AppError('ticket-invalid', { extra: { reason: t.reason } });
      if (t.eventId !== eventId) throw new AppError('ticket-invalid', { extra: { reason: 'other-event' } });
      return db.transaction(async (tx) => {
        if (await repo.admit(tx, eventId, t.ticketId, now)) {
          await repo.countAdmitted(tx, eventId);
          await audit.record(tx, { actor, action: 'event.admit', targetType: 'event', targetId: eventId });
          return { admitted: true as const, at: now.toISOString(), kind: 'ticket' as const };
        }
        const ticket = await repo.ticket(tx, eventId, t.ticketId);
        if (ticket?.admittedAt) throw new AppError('already-admitted', { extra: { admittedAt: ticket.admittedAt.toISOString() } });
        throw new AppError('ticket-invalid', { extra: { reason: ticket ? 'no-place' : 'unknown-ticket' } });
      });
    },

    /**
     * What a door admitted while offline, sent when it reconnects: the hashes
     * of the tickets it let in (from its downloaded list) and how many valid
     * cards it let in at a card-holders event. Each ticket still admits once.
     */
    async admitOffline(actor: Actor, eventId: string, input: { hashes: string[]; cards?: number }) {
      const now = clock();
      const ev = await repo.eventById(db, eventId);
      if (!ev || ev.status !== 'published') throw new AppError('event-not-found');
      return db.transaction(async (tx) => {
        const byHash = new Map((await repo.confirmedTickets(tx, eventId)).map((x) => [ticketHash(x.ticketId), x.ticketId]));
        let admitted = 0;
        let already = 0;
        let unknown = 0;
        for (const hash of new Set(input.hashes)) {
          const ticketId = byHash.get(hash);
          if (!ticketId) unknown++;
          else if (await repo.admit(tx, eventId, ticketId, now)) admitted++;
          else already++;
        }
        const cards = ev.rsvp === 'none' && ev.access === 'card-holders' ? (input.cards ?? 0) : 0;
        if (admitted + cards > 0) await repo.countAdmitted(tx, eventId, admitted + cards);
        await audit.record(tx, { actor, action: 'event.admit_offline', targetType: 'event', targetId: eventId });
        return { admitted, already, unknown, cards };
      });
    },

    /** The door's offline list: SHA-256 of each ticket id with a place, and whether it was already admitted. */
    async ticketList(eventId: string) {
      const ev = await repo.eventById(db, eventId);
      if (!ev) throw new AppError('event-not-found');
      const tickets = await repo.confirmedTickets(db, eventId);
      return { eventId, generatedAt: clock().toISOString(), hashes: tickets.map((x) => ({ hash: ticketHash(x.ticketId), admitted: x.admittedAt !== null })).sort((a, b) => a.hash.localeCompare(b.hash)) };
    },

    async counts(eventId: string) {
      const ev = await repo.eventById(db, eventId);
      if (!ev) throw new AppError('event-not-found');
      if (ev.purgedAt) return { confirmed: ev.placesCount ?? 0, waitlisted: 0, entered: 0, admitted: ev.admittedCount, entries: ev.entriesCount ?? 0, purged: true };
      const c = await repo.counts(db, eventId);
      // Admissions are counted on the event as they happen (tickets, cards at a card-holders event, offline syncs).
      return { confirmed: c.confirmed, waitlisted: c.waitlisted, entered: c.entered, admitted: ev.admittedCount, entries: c.confirmed + c.waitlisted + c.entered, purged: false };
    },

    /** Deletes the RSVPs and tickets of events that ended more than seven days ago; counts stay on the event. */
    async purge(): Promise<number> {
      const now = clock();
      const due = await repo.purgeable(db, new Date(now.getTime() - FORGET_AFTER_MS));
      for (const ev of due) {
        await db.transaction(async (tx) => {
          await repo.lockEvent(tx, ev.id);
          const c = await repo.counts(tx, ev.id);
          await repo.deleteRsvpsOf(tx, ev.id);
          await repo.updateEvent(tx, ev.id, {
            entriesCount: c.confirmed + c.waitlisted + c.entered,
            placesCount: c.confirmed,
            drawEntries: null,
            purgedAt: now,
            updatedAt: now,
          });
          await audit.record(tx, { actor: { type: 'system' }, action: 'event.forget_attendees', targetType: 'event', targetId: ev.id });
        });
      }
      return due.length;
    },
  };
}

export type RsvpService = ReturnType<typeof createRsvpService>;
