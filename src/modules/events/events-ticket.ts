/**
 * The ticket QR: a short-lived token naming the event and a random ticket id
 * — no name, no card number. `LCT1.<payload>.<mac>`, payload the base64url of
 * JSON `{ "e": event id, "t": ticket id, "exp": unix seconds }`, mac the
 * base64url HMAC-SHA256 of `LCT1.<payload>` with a key derived from
 * MASTER_KEY (purpose `event-ticket`). A symmetric MAC, not the city's
 * Ed25519 card key: only this service issues and checks tickets online, and a
 * ticket must never look like a card to a card verifier. Offline, the door
 * holds only SHA-256 of each ticket id (the ticket id is a 128-bit secret
 * known to its holder), so the list downloaded to a phone names no one and
 * cannot make tickets.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'LCT1.';
/** Long enough to walk to the door with the portal open; the portal fetches a fresh one each time it shows it. */
export const TICKET_LIFETIME_SECONDS = 15 * 60;

export function signTicket(key: Buffer, ticket: { eventId: string; ticketId: string }, now: Date): { qr: string; validUntil: string } {
  const exp = Math.floor(now.getTime() / 1000) + TICKET_LIFETIME_SECONDS;
  const payload = Buffer.from(JSON.stringify({ e: ticket.eventId, t: ticket.ticketId, exp })).toString('base64url');
  const mac = createHmac('sha256', key).update(PREFIX + payload).digest('base64url');
  return { qr: `${PREFIX}${payload}.${mac}`, validUntil: new Date(exp * 1000).toISOString() };
}

export type TicketCheck = { ok: true; eventId: string; ticketId: string } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function readTicket(key: Buffer, qr: string, now: Date): TicketCheck {
  const m = /^LCT1\.([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(qr.trim());
  if (!m) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', key).update(PREFIX + m[1]).digest();
  const given = Buffer.from(m[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  let body: { e?: unknown; t?: unknown; exp?: unknown };
  try {
    body = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof body.e !== 'string' || typeof body.t !== 'string' || typeof body.exp !== 'number') return { ok: false, reason: 'malformed' };
  if (body.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, eventId: body.e, ticketId: body.t };
}

/** What the door's offline list holds per ticket. */
export const ticketHash = (ticketId: string) => createHash('sha256').update(ticketId).digest('hex');
