/**
 * The door, on the engine under test: the organiser's per-event door code
 * (kept as an HMAC only), the door kit a phone downloads with it, check-ins
 * with the code (twice at once: one admits), what a door admitted offline
 * synced on reconnecting, and card-holders-only events without RSVP that
 * admit on a valid card or resident proof of the city.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, type Issued } from '../helpers/cards.js';
import { dumpDatabase, forms } from '../helpers/dump.js';
import { bearer, createEvent, holder, staffToken, type Holder } from './events-fixtures.js';

const now = new Date('2027-09-01T08:00:00Z');
let t: TestContext;
let organiser: string;
let door: string;
let holders: Holder[];
let eventId: string;
let code: string;
beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  organiser = await staffToken(t, 'organiser');
  door = await staffToken(t, 'door');
  holders = [];
  for (let i = 0; i < 4; i++) holders.push(await holder(t, `Yusuf Demir ${String.fromCharCode(65 + i)}`));
  eventId = (await createEvent(t, organiser, { capacity: 3, access: 'open' })).id;
  for (const h of holders) await t.app.inject({ method: 'POST', url: `/v1/self/events/${eventId}/rsvp`, headers: bearer(h.token) });
}, 120_000);
afterAll(() => t.close());

const ticketOf = async (h: Holder, id = eventId) =>
  ((await t.app.inject({ url: '/v1/self/events', headers: bearer(h.token) })).json().items as Array<{ event: { id: string }; status: string; ticket?: { qr: string } }>).find((i) => i.event.id === id);
const doorScan = (qr: string, c = code) => t.app.inject({ method: 'POST', url: '/v1/door/check-ins', payload: { code: c, qr } });
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const ticketIdOf = (qr: string) => JSON.parse(Buffer.from(qr.split('.')[1]!, 'base64url').toString()).t as string;

describe('the door code', () => {
  it('is set by an organiser, shown once, and a new one replaces the old', async () => {
    const first = await t.app.inject({ method: 'POST', url: `/v1/events/${eventId}/door-code`, headers: bearer(organiser) });
    expect(first.statusCode).toBe(201);
    expect(first.headers['cache-control']).toBe('no-store');
    const old = first.json().code as string;
    expect(old).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    code = (await t.app.inject({ method: 'POST', url: `/v1/events/${eventId}/door-code`, headers: bearer(organiser) })).json().code;
    expect(code).not.toBe(old);
    const kit = (c: string) => t.app.inject({ method: 'POST', url: '/v1/door', payload: { code: c } });
    expect((await kit(old)).json().code).toBe('door-code-invalid');
    expect((await kit(old)).statusCode).toBe(401);
    // Typed as people type it: lower case, no dashes, O for 0.
    const typed = code.toLowerCase().replaceAll('-', '').replaceAll('0', 'o');
    expect((await kit(typed)).statusCode).toBe(200);
    // A door volunteer's role does not make codes.
    expect((await t.app.inject({ method: 'POST', url: `/v1/events/${eventId}/door-code`, headers: bearer(door) })).statusCode).toBe(403);
  });

  it('downloads the door kit: the event, how it admits, and the hashes of the tickets with a place (no one named)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/door', payload: { code } });
    const kit = res.json();
    expect(kit).toMatchObject({ eventId, admits: 'tickets', event: { id: eventId } });
    expect(kit.hashes).toHaveLength(3);
    const confirmed = (await Promise.all(holders.map((h) => ticketOf(h)))).filter((i) => i?.status === 'confirmed');
    expect(kit.hashes.map((x: { hash: string }) => x.hash).sort()).toEqual(confirmed.map((i) => sha(ticketIdOf(i!.ticket!.qr))).sort());
    expect(JSON.stringify(kit)).not.toMatch(/Yusuf|resident/);
  });

  it('admits a ticket once with the code, also when two scans arrive together', async () => {
    const qr = (await ticketOf(holders[0]!))!.ticket!.qr;
    const [a, b] = await Promise.all([doorScan(qr), doorScan(qr)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.statusCode === 201)!.json()).toMatchObject({ admitted: true, kind: 'ticket' });
    expect([a, b].find((r) => r.statusCode === 409)!.json().code).toBe('already-admitted');
    // The door role's own route sees the same ticket as admitted.
    expect((await t.app.inject({ method: 'POST', url: `/v1/events/${eventId}/check-ins`, headers: bearer(door), payload: { qr } })).json().code).toBe('already-admitted');
    expect((await doorScan(qr, 'ABCD-EFGH-JKMN')).json().code).toBe('door-code-invalid');
  });

  it('syncs what was admitted offline: each ticket still admits once; unknown hashes are counted, not admitted', async () => {
    const items = (await Promise.all(holders.map((h) => ticketOf(h)))).filter((i) => i?.status === 'confirmed');
    const hashes = items.map((i) => sha(ticketIdOf(i!.ticket!.qr)));
    const waiting = (await Promise.all(holders.map((h) => ticketOf(h)))).find((i) => i?.status === 'waitlisted');
    expect(waiting?.ticket).toBeUndefined();
    const res = await t.app.inject({ method: 'POST', url: '/v1/door/offline-admissions', payload: { code, hashes: [...hashes, sha('made up'), hashes[1]!] } });
    expect(res.statusCode).toBe(200);
    // Three tickets: holder 0's was admitted online already; the other two now; one made-up hash.
    expect(res.json()).toEqual({ admitted: 2, already: 1, unknown: 1, cards: 0 });
    const again = await t.app.inject({ method: 'POST', url: `/v1/events/${eventId}/offline-admissions`, headers: bearer(door), payload: { hashes } });
    expect(again.json()).toEqual({ admitted: 0, already: 3, unknown: 0, cards: 0 });
    expect((await t.app.inject({ url: `/v1/events/${eventId}/counts`, headers: bearer(organiser) })).json().admitted).toBe(3);
    const list = (await t.app.inject({ method: 'POST', url: '/v1/door', payload: { code } })).json();
    expect(list.hashes.every((x: { admitted: boolean }) => x.admitted)).toBe(true);
  });

  it('a cleared code opens nothing', async () => {
    const ev = (await createEvent(t, organiser, { capacity: 3 })).id;
    const c = (await t.app.inject({ method: 'POST', url: `/v1/events/${ev}/door-code`, headers: bearer(organiser) })).json().code;
    expect((await t.app.inject({ method: 'POST', url: '/v1/door', payload: { code: c } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/events/${ev}/door-code`, headers: bearer(organiser) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/v1/door', payload: { code: c } })).json().code).toBe('door-code-invalid');
  });

  it.each([
    ['/v1/door', { code: 'short' }],
    ['/v1/door', { code: 'ABCD-EFGH-JKMN', extra: 1 }],
    ['/v1/door/check-ins', { code: 'ABCD-EFGH-JKMN' }],
    ['/v1/door/check-ins', { code: 'ABCD-EFGH-JKMN', qr: '' }],
    ['/v1/door/offline-admissions', { code: 'ABCD-EFGH-JKMN', hashes: ['not-hex'] }],
    ['/v1/door/offline-admissions', { code: 'ABCD-EFGH-JKMN', hashes: [], cards: -1 }],
  ])('%s refuses %j with validation-failed', async (url, payload) => {
    const res = await t.app.inject({ method: 'POST', url, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation-failed');
  });
});

describe('card-holders events without RSVP', () => {
  let ev: string;
  let card: Issued;
  let residentId: string;
  it('admit on a valid card of the city, or a resident proof, and count it', async () => {
    ev = (await createEvent(t, organiser, { rsvp: 'none', capacity: undefined, access: 'card-holders' })).id;
    const c = (await t.app.inject({ method: 'POST', url: `/v1/events/${ev}/door-code`, headers: bearer(organiser) })).json().code;
    expect((await t.app.inject({ method: 'POST', url: '/v1/door', payload: { code: c } })).json()).toMatchObject({ admits: 'cards', hashes: [] });
    residentId = await enrol(t, { names: { printed: 'Fatou Ndiaye Sarr' }, preferredLanguage: 'fr', evidence: [{ type: 'passport' }, { type: 'utility-bill' }] });
    card = await issue(t, residentId);
    const byCard = await doorScan(card.qr, c);
    expect(byCard.statusCode, byCard.body).toBe(201);
    expect(byCard.json()).toMatchObject({ admitted: true, kind: 'card' });
    // Nothing about the holder comes back to the door.
    expect(byCard.body).not.toContain('Fatou');
    const proof = (await t.app.inject({ method: 'POST', url: '/v1/self/proof', headers: bearer(holders[0]!.token) })).json().qr as string;
    const byProof = await t.app.inject({ method: 'POST', url: `/v1/events/${ev}/check-ins`, headers: bearer(door), payload: { qr: proof } });
    expect(byProof.statusCode, byProof.body).toBe(201);
    expect(byProof.json().kind).toBe('resident_proof');
    const offline = await t.app.inject({ method: 'POST', url: '/v1/door/offline-admissions', payload: { code: c, hashes: [], cards: 5 } });
    expect(offline.json()).toEqual({ admitted: 0, already: 0, unknown: 0, cards: 5 });
    expect((await t.app.inject({ url: `/v1/events/${ev}/counts`, headers: bearer(organiser) })).json().admitted).toBe(7);
  });

  it('refuse a suspended card, a ticket-shaped text, and admit no card at an open event', async () => {
    await t.app.inject({ method: 'POST', url: `/v1/cards/${card.number}/suspend`, headers: t.auth('clerk'), payload: { reason: 'reported lost' } });
    const suspended = await t.app.inject({ method: 'POST', url: `/v1/events/${ev}/check-ins`, headers: bearer(door), payload: { qr: card.qr } });
    expect(suspended.statusCode).toBe(422);
    expect(suspended.json()).toMatchObject({ code: 'ticket-invalid', reason: 'card-not-valid' });
    expect((await t.app.inject({ method: 'POST', url: `/v1/events/${ev}/check-ins`, headers: bearer(door), payload: { qr: 'LCT1.x.y' } })).json()).toMatchObject({ code: 'ticket-invalid', reason: 'malformed' });
    const open = (await createEvent(t, organiser, { rsvp: 'none', capacity: undefined, access: 'open' })).id;
    expect((await t.app.inject({ method: 'POST', url: `/v1/events/${open}/check-ins`, headers: bearer(door), payload: { qr: (await issue(t, await enrol(t))).qr } })).json().code).toBe('ticket-invalid');
  });

  it('the door code is nowhere in the database, and the door’s audit entries name no resident', async () => {
    const dump = await dumpDatabase(t.database);
    expect(forms(code).some((f) => dump.includes(f))).toBe(false);
    expect(dump).not.toContain(code.replaceAll('-', ''));
    const audit = (await t.app.inject({ url: '/v1/audit?limit=500', headers: t.auth('admin') })).json().items as Array<{ action: string }>;
    const door = JSON.stringify(audit.filter((e) => e.action.startsWith('event.')));
    expect(door).toContain('event.admit_card');
    expect(door).toContain('event.door_code_set');
    const names = [residentId, card.number, card.number.replaceAll('-', ''), ...holders.flatMap((h) => [h.residentId, h.number])];
    expect(names.filter((n) => door.includes(n))).toEqual([]);
  });
});
