/**
 * The per-event door code: what an organiser prints for door volunteers who
 * have no account. The code opens one event's door only — its ticket list
 * (hashes), its check-ins and the sync of what was admitted offline — and
 * nothing else. Only HMAC(ticket key, "door-code:" + code) is stored, so a
 * copy of the database cannot open a door; a new code replaces the old one,
 * and the organiser can clear it.
 *
 * A code is 12 characters of Crockford's base32 (60 random bits), printed
 * `XXXX-XXXX-XXXX`; it is read back case-insensitively, without dashes or
 * spaces, with O read as 0 and I, L as 1 (as Crockford says).
 */
import { createHmac } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import type { EventsRepository } from './events-repository.js';
import type { RsvpService } from './events-rsvp-service.js';
import { eventView } from './events-views.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new door code, from 12 random bytes (each taken mod 32: 256 is a multiple of 32, so no bias). */
export function newDoorCode(random: (n: number) => Buffer): string {
  const chars = [...random(12)].map((b) => ALPHABET[b % 32]!).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** The code as typed, in its one canonical form (undefined when it cannot be a code). */
export function canonicalDoorCode(typed: string): string | undefined {
  const c = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{12}$/.test(c) ? c : undefined;
}

export const doorCodeHash = (key: Buffer, canonical: string) => createHmac('sha256', key).update(`door-code:${canonical}`).digest('base64url');

export interface DoorDeps {
  db: Db;
  repo: EventsRepository;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  random: (n: number) => Buffer;
  ticketKey: Buffer;
  rsvp: Pick<RsvpService, 'checkIn' | 'ticketList' | 'admitOffline'>;
}

/** The door, as the code's holder: recorded in the audit log as "the door code of this event", no person. */
const DOOR: Actor = { type: 'system', id: null };

export function createDoorService(deps: DoorDeps) {
  const { db, repo, audit, clock } = deps;

  async function eventOf(code: string) {
    const canonical = canonicalDoorCode(code);
    const ev = canonical ? await repo.eventByDoorCode(db, doorCodeHash(deps.ticketKey, canonical)) : undefined;
    if (!ev || ev.status !== 'published') throw new AppError('door-code-invalid');
    return ev;
  }

  return {
    /** Sets a new door code for the event (the old one stops working) and returns it, once, for printing. */
    async setCode(actor: Actor, eventId: string): Promise<{ code: string }> {
      const code = newDoorCode(deps.random);
      await db.transaction(async (tx) => {
        const row = await repo.updateEvent(tx, eventId, { doorCodeHash: doorCodeHash(deps.ticketKey, canonicalDoorCode(code)!), updatedAt: clock() });
        if (!row) throw new AppError('event-not-found');
        await audit.record(tx, { actor, action: 'event.door_code_set', targetType: 'event', targetId: eventId });
      });
      return { code };
    },

    async clearCode(actor: Actor, eventId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await repo.updateEvent(tx, eventId, { doorCodeHash: null, updatedAt: clock() });
        if (!row) throw new AppError('event-not-found');
        await audit.record(tx, { actor, action: 'event.door_code_clear', targetType: 'event', targetId: eventId });
      });
    },

    /** What a door phone downloads with the code: the event, how it admits, and the ticket list as hashes. */
    async kit(code: string) {
      const ev = await eventOf(code);
      const list = await deps.rsvp.ticketList(ev.id);
      return { event: eventView(ev), admits: ev.rsvp !== 'none' ? ('tickets' as const) : ev.access === 'card-holders' ? ('cards' as const) : ('everyone' as const), ...list };
    },

    async checkIn(code: string, qr: string) {
      const ev = await eventOf(code);
      return deps.rsvp.checkIn(DOOR, ev.id, qr);
    },

    async admitOffline(code: string, input: { hashes: string[]; cards?: number }) {
      const ev = await eventOf(code);
      return deps.rsvp.admitOffline(DOOR, ev.id, input);
    },
  };
}

export type DoorService = ReturnType<typeof createDoorService>;
