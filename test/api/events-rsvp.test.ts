/**
 * Places at events, on the engine under test: 15 holders at once for 10
 * places, the waiting list, the lottery and its check by anyone, tickets at
 * the door (two scans at once), and forgetting who came seven days after.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawOrder } from '../../src/modules/events/events-draw.js';
import { ticketHash } from '../../src/modules/events/events-ticket.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { dumpDatabase, forms } from '../helpers/dump.js';
import { bearer, createEvent, holder, staffToken, type Holder } from './events-fixtures.js';

let now = new Date('2027-09-01T08:00:00Z');
let t: TestContext;
let organiser: string;
let door: string;
let holders: Holder[];
beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  organiser = await staffToken(t, 'organiser');
  door = await staffToken(t, 'door');
  holders = [];
  for (let i = 0; i < 16; i++) holders.push(await holder(t, `Amina Haddad ${String.fromCharCode(65 + i)}`));
}, 120_000);
afterAll(() => t.close());

const rsvp = (h: Holder, id: string) => t.app.inject({ method: 'POST', url: `/v1/self/events/${id}/rsvp`, headers: bearer(h.token) });
const mine = async (h: Holder) => (await t.app.inject({ url: '/v1/self/events', headers: bearer(h.token) })).json().items as Array<{ event: { id: string }; status: string; position?: number; entryId: string; ticket?: { qr: string } }>;
const scan = (id: string, qr: string, token = door) => t.app.inject({ method: 'POST', url: `/v1/events/${id}/check-ins`, headers: bearer(token), payload: { qr } });

/** Every value of the events tables, as a seized copy would show them. */
async function eventTables(): Promise<string> {
  const out: string[] = [];
  for (const table of ['event_editions', 'event_milestones', 'event_spaces', 'events', 'event_rsvps']) {
    const rows = ((await t.database.db.execute(sql.raw(`select * from ${table}`))) as unknown as { rows: Array<Record<string, unknown>> }).rows;
    for (const row of rows) for (const v of Object.values(row)) out.push(v instanceof Uint8Array ? Buffer.from(v).toString('hex') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  }
  return out.join('\n');
}
const rsvpRows = async () => Number(((await t.database.db.execute(sql.raw('select count(*)::int as n from event_rsvps'))) as unknown as { rows: Array<{ n: number }> }).rows[0]!.n);
const accountOf = (h: Holder) => JSON.parse(Buffer.from(h.token.split('.')[1]!, 'base64url').toString()).sub as string;

describe('first come', () => {
  let eventId: string;
  it('15 holders at once for 10 places: exactly 10 confirmed, 5 waiting in line 1…5', async () => {
    eventId = (await createEvent(t, organiser, { capacity: 10 })).id;
    const answers = await Promise.all(holders.slice(0, 15).map((h) => rsvp(h, eventId)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(15).fill(201));
    const bodies = answers.map((a) => a.json());
    expect(bodies.filter((b) => b.status === 'confirmed')).toHaveLength(10);
    expect(bodies.filter((b) => b.status === 'waitlisted').map((b) => b.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(bodies.filter((b) => b.status === 'confirmed').every((b) => typeof b.ticket.qr === 'string')).toBe(true);
    expect(bodies.filter((b) => b.status === 'waitlisted').some((b) => b.ticket)).toBe(false);
    const counts = (await t.app.inject({ url: `/v1/events/${eventId}/counts`, headers: bearer(organiser) })).json();
    expect(counts).toMatchObject({ confirmed: 10, waitlisted: 5, entries: 15 });
    // Asking again changes nothing.
    const again = await rsvp(holders[0]!, eventId);
    expect(again.json().status).toBe(bodies[0].status);
  });

  it('a cancellation gives the place to the first in line, and the line moves up', async () => {
    const states = await Promise.all(holders.slice(0, 15).map(async (h) => ({ h, item: (await mine(h)).find((i) => i.event.id === eventId)! })));
    const confirmed = states.find((s) => s.item.status === 'confirmed')!;
    const first = states.find((s) => s.item.position === 1)!;
    const second = states.find((s) => s.item.position === 2)!;
    const res = await t.app.inject({ method: 'DELETE', url: `/v1/self/events/${eventId}/rsvp`, headers: bearer(confirmed.h.token) });
    expect(res.statusCode).toBe(204);
    expect((await mine(first.h)).find((i) => i.event.id === eventId)).toMatchObject({ status: 'confirmed' });
    expect((await mine(first.h)).find((i) => i.event.id === eventId)!.ticket).toBeDefined();
    expect((await mine(second.h)).find((i) => i.event.id === eventId)).toMatchObject({ status: 'waitlisted', position: 1 });
    expect((await mine(confirmed.h)).find((i) => i.event.id === eventId)).toBeUndefined();
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/self/events/${eventId}/rsvp`, headers: bearer(confirmed.h.token) })).json().code).toBe('rsvp-not-found');
  });

  it('a clerk RSVPs at the desk for the card in hand; a card-holders event refuses a revoked card', async () => {
    const ev = (await createEvent(t, organiser, { capacity: 2 })).id;
    const desk = await t.app.inject({ method: 'POST', url: `/v1/events/${ev}/rsvps`, headers: t.auth('clerk'), payload: { number: holders[15]!.number } });
    expect(desk.statusCode).toBe(201);
    expect(desk.json().status).toBe('confirmed');
    // The holder sees the same place at the portal.
    expect((await mine(holders[15]!)).find((i) => i.event.id === ev)).toMatchObject({ status: 'confirmed' });
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/events/${ev}/rsvps/${holders[15]!.number}`, headers: t.auth('clerk') })).statusCode).toBe(204);
    expect((await mine(holders[15]!)).find((i) => i.event.id === ev)).toBeUndefined();
    await t.app.inject({ method: 'POST', url: `/v1/cards/${holders[15]!.number}/suspend`, headers: t.auth('clerk'), payload: { reason: 'reported lost' } });
    expect((await rsvp(holders[15]!, ev)).json().code).toBe('card-not-valid');
    const open = (await createEvent(t, organiser, { capacity: 2, access: 'open' })).id;
    expect((await rsvp(holders[15]!, open)).statusCode).toBe(201);
  });

  it('the door admits a ticket once, also when two scans arrive together', async () => {
    const item = (await Promise.all(holders.slice(0, 15).map(mine))).flat().find((i) => i.event.id === eventId && i.status === 'confirmed')!;
    const qr = item.ticket!.qr;
    // The ticket names the event and a random id only.
    const payload = JSON.parse(Buffer.from(qr.split('.')[1]!, 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['e', 'exp', 't']);
    const list = (await t.app.inject({ url: `/v1/events/${eventId}/tickets`, headers: bearer(door) })).json();
    expect(list.hashes).toHaveLength(10);
    expect(list.hashes.map((h: { hash: string }) => h.hash)).toContain(ticketHash(payload.t));

    const [a, b] = await Promise.all([scan(eventId, qr), scan(eventId, qr)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.statusCode === 409)!.json().code).toBe('already-admitted');
    expect((await scan(eventId, qr, organiser)).json().code).toBe('already-admitted');
    expect((await t.app.inject({ url: `/v1/events/${eventId}/counts`, headers: bearer(organiser) })).json().admitted).toBe(1);

    const other = (await createEvent(t, organiser, { capacity: 5 })).id;
    expect((await scan(other, qr)).json()).toMatchObject({ code: 'ticket-invalid', reason: 'other-event' });
    const tampered = qr.slice(0, -2) + (qr.endsWith('AA') ? 'BB' : 'AA');
    expect((await scan(eventId, tampered)).json()).toMatchObject({ code: 'ticket-invalid', reason: 'bad-signature' });
    expect((await scan(eventId, 'not a ticket')).json()).toMatchObject({ code: 'ticket-invalid', reason: 'malformed' });
    const fresh = (await Promise.all(holders.slice(0, 15).map(mine))).flat().filter((i) => i.event.id === eventId && i.status === 'confirmed')[1]!.ticket!.qr;
    now = new Date(now.getTime() + 16 * 60_000);
    expect((await scan(eventId, fresh)).json()).toMatchObject({ code: 'ticket-invalid', reason: 'expired' });
    now = new Date('2027-09-01T08:00:00Z');
  });
});

describe('lottery', () => {
  it('commits to the seed before entries close, draws at its time, and anyone can redo the draw', async () => {
    const ev = await createEvent(t, organiser, { rsvp: 'lottery', capacity: 4, drawAt: '2027-09-10T12:00:00Z' });
    const committed = (await t.app.inject(`/v1/events/${ev.id}/draw`)).json();
    expect(committed.seedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(committed.seed).toBeNull();
    const entrants = holders.slice(0, 9);
    const answers = await Promise.all(entrants.map((h) => rsvp(h, ev.id)));
    expect(answers.map((a) => a.json().status)).toEqual(Array(9).fill('entered'));
    expect((await t.app.inject({ method: 'POST', url: `/v1/events/${ev.id}/draw`, headers: bearer(organiser) })).json().code).toBe('draw-not-due');

    now = new Date('2027-09-10T12:00:00Z');
    expect((await rsvp(holders[10]!, ev.id)).json().code).toBe('rsvp-closed');
    const drawn = await t.app.inject({ method: 'POST', url: `/v1/events/${ev.id}/draw`, headers: bearer(organiser) });
    expect(drawn.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/v1/events/${ev.id}/draw`, headers: bearer(organiser) })).json().code).toBe('draw-already-done');

    // What anyone can check, from the public record alone.
    const record = (await t.app.inject(`/v1/events/${ev.id}/draw`)).json();
    expect(createHash('sha256').update(Buffer.from(record.seed, 'hex')).digest('hex')).toBe(committed.seedHash);
    expect(record.entries).toHaveLength(9);
    expect(drawOrder(Buffer.from(record.seed, 'hex'), record.entries)).toEqual(record.order);
    const places = new Set(record.order.slice(0, 4));
    for (const h of entrants) {
      const item = (await mine(h)).find((i) => i.event.id === ev.id)!;
      if (places.has(item.entryId)) expect(item.status).toBe('confirmed');
      else expect(item).toMatchObject({ status: 'waitlisted', position: record.order.indexOf(item.entryId) - 3 });
    }
    // A withdrawal after the draw hands the place to the drawn order's next entry; the record still redoes the draw.
    const winners = [];
    for (const h of entrants) if ((await mine(h)).find((i) => i.event.id === ev.id)!.status === 'confirmed') winners.push(h);
    expect(winners).toHaveLength(4);
    await t.app.inject({ method: 'DELETE', url: `/v1/self/events/${ev.id}/rsvp`, headers: bearer(winners[0]!.token) });
    const nextUp = record.order[4];
    const promoted = (await Promise.all(entrants.map(mine))).flat().find((i) => i.entryId === nextUp)!;
    expect(promoted.status).toBe('confirmed');
    const after = (await t.app.inject(`/v1/events/${ev.id}/draw`)).json();
    expect(after.order).toEqual(record.order);
    now = new Date('2027-09-01T08:00:00Z');
  });
});

describe('forget who came', () => {
  it('seven days after the end, RSVPs and tickets are deleted, counts stay, and nothing in the events tables or their audit names a resident', async () => {
    const ev = await createEvent(t, organiser, { capacity: 3, access: 'open' });
    for (const h of holders.slice(0, 5)) await rsvp(h, ev.id);
    now = new Date('2027-09-20T16:30:00Z');
    // The portal shows a fresh ticket each time: this one is fetched at the door.
    const qr = (await mine(holders[0]!)).find((i) => i.event.id === ev.id)!.ticket!.qr;
    expect((await scan(ev.id, qr)).statusCode).toBe(201);

    const names = holders.flatMap((h) => [h.residentId, accountOf(h), h.number, h.number.replaceAll('-', ''), h.name]);
    const named = (dump: string) => names.filter((n) => forms(n).some((f) => dump.includes(f)));
    // Before the purge: pseudonyms only.
    expect(named(await eventTables())).toEqual([]);
    expect(await rsvpRows()).toBeGreaterThan(0);
    // What could link a resident to this event: the per-event pseudonym, the ticket and entry ids.
    const links = ((await t.database.db.execute(sql`select holder, ticket_id, entry_id from event_rsvps where event_id = ${ev.id}`)) as unknown as { rows: Array<Record<string, string>> }).rows.flatMap((r) => Object.values(r));
    expect(links).toHaveLength(15);

    now = new Date('2027-09-27T18:00:00Z'); // six days and a bit after the end: kept
    await t.app.services.eventRsvps.purge();
    expect((await t.app.inject({ url: `/v1/events/${ev.id}/counts`, headers: bearer(organiser) })).json().purged).toBe(false);

    now = new Date('2027-09-27T19:00:01Z'); // seven days after the end (21:00 +02:00)
    expect(await t.app.services.eventRsvps.purge()).toBeGreaterThan(0);
    const counts = (await t.app.inject({ url: `/v1/events/${ev.id}/counts`, headers: bearer(organiser) })).json();
    expect(counts).toMatchObject({ purged: true, entries: 5, confirmed: 3, admitted: 1 });
    const published = (await t.app.inject('/v1/events')).json().items.find((e: { id: string }) => e.id === ev.id);
    expect(published.counts).toEqual({ entries: 5, places: 3, admitted: 1 });
    expect((await mine(holders[0]!)).find((i) => i.event.id === ev.id)).toBeUndefined();
    expect((await scan(ev.id, qr)).json().code).toBe('ticket-invalid');

    // Every event that ended more than seven days ago is forgotten: no RSVP row of it remains.
    const left = ((await t.database.db.execute(sql.raw(`select count(*)::int as n from event_rsvps r join events e on e.id = r.event_id where e.ends_at < '2027-09-20T19:00:01Z'`))) as unknown as { rows: Array<{ n: number }> }).rows[0]!.n;
    expect(Number(left)).toBe(0);
    expect(named(await eventTables())).toEqual([]);
    // And in the whole database — every table, every encoding — none of those links is left anywhere.
    const dump = await dumpDatabase(t.database);
    expect(links.filter((l) => forms(l).some((f) => dump.includes(f)))).toEqual([]);

    const audit = (await t.app.inject({ url: '/v1/audit?limit=500', headers: t.auth('admin') })).json();
    const eventEntries = JSON.stringify((audit.items as Array<{ action: string }>).filter((e) => e.action.startsWith('event.')));
    expect(eventEntries).toContain('event.rsvp_confirmed');
    expect(names.filter((n) => eventEntries.includes(n))).toEqual([]);
    now = new Date('2027-09-01T08:00:00Z');
  });
});
