/**
 * Booking without an account (issue 18): the reference and PIN, the
 * documents to bring in the chosen language, the .ics, cancellation that
 * frees the place at once, wrong PINs counted atomically, and no overbooking
 * under 200 simultaneous requests for 10 places.
 */
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createSite, movableClock, nextAddress, ZONE } from './appointments-fixtures.js';

const time = movableClock('2027-03-25T07:30:00+01:00');
let t: TestContext;
let siteId: string;
beforeAll(async () => {
  t = await createTestApp({ clock: time.clock, env: { TIME_ZONE: ZONE } });
  siteId = await createSite(t);
});
afterAll(() => t.close());

const book = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/v1/appointments', payload: { siteId, language: 'es', ...payload }, remoteAddress: nextAddress() });
const withPin = (method: 'GET' | 'DELETE', reference: string, pin: string, suffix = '') =>
  t.app.inject({ method, url: `/v1/appointments/${reference}${suffix}`, headers: { 'appointment-pin': pin }, remoteAddress: nextAddress() });
const remaining = async (date: string, start: string) =>
  (await t.app.inject({ method: 'GET', url: `/v1/enrolment-sites/${siteId}/slots?date=${date}` })).json().items.find((s: { start: string }) => s.start === start)?.remaining;

describe('a booking', () => {
  it('gives a reference, a PIN and the documents to bring in the chosen language', async () => {
    const res = await book({ start: '2027-03-26T09:30:00+01:00' });
    expect(res.statusCode).toBe(201);
    const b = res.json();
    expect(b.reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(b.pin).toMatch(/^\d{6}$/);
    expect(b.start).toBe('2027-03-26T09:30:00+01:00');
    expect(b.bring.find((d: { type: string }) => d.type === 'consular-id')).toEqual({ type: 'consular-id', label: 'Matrícula consular', identityPoints: 3, residencyPoints: 0 });
    expect(b.requirements).toEqual({ identityPoints: 3, residencyPoints: 1, photoDocument: true });
    expect(Object.keys(b)).not.toContain('name');
  });

  it.each([
    ['en', 'Consular identity card'],
    ['fr', "Carte d'identité consulaire"],
    ['es', 'Matrícula consular'],
    ['pt', 'Cartão de identidade consular'],
    ['ar', 'بطاقة هوية قنصلية'],
  ])('lists the documents in %s', async (language, label) => {
    const b = (await book({ start: '2027-03-27T11:30:00+01:00', language })).json();
    expect(b.bring.find((d: { type: string }) => d.type === 'consular-id').label).toBe(label);
    expect((await withPin('DELETE', b.reference, b.pin)).statusCode).toBe(204);
  });

  it('is read back with its PIN, as an .ics too', async () => {
    const b = (await book({ start: '2027-03-26T10:00:00+01:00', language: 'ar' })).json();
    const got = await withPin('GET', b.reference, b.pin);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ reference: b.reference, start: '2027-03-26T10:00:00+01:00', language: 'ar', checkedIn: false, reminder: false, site: { id: siteId } });
    const ics = await withPin('GET', b.reference, b.pin, '/calendar.ics');
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    const events = Object.values(ical.sync.parseICS(ics.body)).filter((e) => e?.type === 'VEVENT') as Array<{ start: Date; end: Date; location: string; uid: string }>;
    expect(events).toHaveLength(1);
    expect(events[0]?.start.toISOString()).toBe('2027-03-26T09:00:00.000Z');
    expect(events[0]!.end.toISOString()).toBe('2027-03-26T09:30:00.000Z');
    expect(events[0]!.location).toBe('1 place de la Mairie');
  });

  it('cancelled, frees its place at once', async () => {
    const start = '2027-03-26T11:00:00+01:00';
    const before = await remaining('2027-03-26', start);
    const b = (await book({ start })).json();
    expect(await remaining('2027-03-26', start)).toBe(before - 1);
    expect((await withPin('DELETE', b.reference, b.pin)).statusCode).toBe(204);
    expect(await remaining('2027-03-26', start)).toBe(before);
    expect((await withPin('GET', b.reference, b.pin)).json().code).toBe('appointment-not-found');
  });

  it('moves to another time with its PIN: the old place is freed, reference and PIN stay; a full slot leaves it where it was', async () => {
    const from = '2027-03-27T10:00:00+01:00';
    const to = '2027-03-27T10:30:00+01:00';
    const b = (await book({ start: from })).json();
    const move = (start: string, pin = b.pin) => t.app.inject({ method: 'PATCH', url: `/v1/appointments/${b.reference}`, headers: { 'appointment-pin': pin }, payload: { start }, remoteAddress: nextAddress() });
    const before = { from: await remaining('2027-03-27', from), to: await remaining('2027-03-27', to) };
    const moved = await move(to);
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ reference: b.reference, start: to, status: 'confirmed' });
    expect({ from: await remaining('2027-03-27', from), to: await remaining('2027-03-27', to) }).toEqual({ from: before.from + 1, to: before.to - 1 });
    const full = '2027-03-27T11:00:00+01:00';
    while ((await remaining('2027-03-27', full)) > 0) await book({ start: full });
    expect((await move(full)).json().code).toBe('slot-full');
    expect((await withPin('GET', b.reference, b.pin)).json().start).toBe(to);
    expect((await move('2027-03-27T13:00:00+01:00')).json().code).toBe('slot-not-offered');
    expect((await move(from, String((Number(b.pin) + 1) % 1_000_000).padStart(6, '0'))).json().code).toBe('appointment-not-found');
    expect((await withPin('DELETE', b.reference, b.pin)).statusCode).toBe(204);
  });

  it('a full slot answers slot-full and says where the next place is', async () => {
    const start = '2027-03-27T09:00:00+01:00';
    for (let i = 0; i < 3; i++) expect((await book({ start })).statusCode).toBe(201);
    const res = await book({ start });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('slot-full');
    expect(res.json().nextFreeSlot).toEqual({ start: '2027-03-25T09:00:00+01:00', remaining: 3 });
  });
});

describe('bad input', () => {
  it.each([
    ['a time in the past', { start: '2027-03-24T09:00:00+01:00' }, 422, 'appointment-date-past'],
    ['outside hours', { start: '2027-03-26T13:00:00+01:00' }, 422, 'slot-not-offered'],
    ['off the slot grid', { start: '2027-03-26T09:10:00+01:00' }, 422, 'slot-not-offered'],
    ['a day not released yet', { start: '2027-03-29T09:00:00+02:00' }, 409, 'slot-not-released'],
    ['an unknown site', { start: '2027-03-26T09:00:00+01:00', siteId: '6b0f3f3e-8f43-4c8e-9a52-3c2b1d0e9f11' }, 404, 'site-not-found'],
    ['a language we do not speak', { start: '2027-03-26T09:00:00+01:00', language: 'de' }, 400, 'validation-failed'],
    ['a name', { start: '2027-03-26T09:00:00+01:00', name: 'Ada' }, 400, 'validation-failed'],
    ['a contact with no reminder sender', { start: '2027-03-26T09:00:00+01:00', contact: 'ada@example.org' }, 422, 'reminders-unavailable'],
  ] as const)('%s', async (_n, payload, status, code) => {
    const res = await book(payload);
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });

  it.each([
    ['a malformed PIN', 'ABCD-EFGH', '12345', 400, 'validation-failed'],
    ['a malformed reference', 'nope', '123456', 400, 'validation-failed'],
    ['an unknown reference', 'ZZZZ-ZZZZ', '123456', 404, 'appointment-not-found'],
  ] as const)('%s', async (_n, reference, pin, status, code) => {
    const res = await withPin('GET', reference, pin);
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });

  it('a wrong PIN answers like an unknown reference; 12 simultaneous guesses: 5 checked, 7 refused; the right PIN waits out the lock', async () => {
    const b = (await book({ start: '2027-03-26T11:30:00+01:00' })).json();
    const wrong = String((Number(b.pin) + 1) % 1_000_000).padStart(6, '0');
    const answers = await Promise.all(Array.from({ length: 12 }, () => withPin('GET', b.reference, wrong)));
    const codes = answers.map((r) => r.json().code).sort();
    expect(codes.filter((c) => c === 'appointment-not-found')).toHaveLength(5);
    expect(codes.filter((c) => c === 'appointment-locked')).toHaveLength(7);
    const locked = await withPin('GET', b.reference, b.pin);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await withPin('DELETE', b.reference, b.pin)).statusCode).toBe(429);
    time.at('2027-03-25T07:46:00+01:00');
    expect((await withPin('GET', b.reference, b.pin)).statusCode).toBe(200);
    time.at('2027-03-25T07:30:00+01:00');
  });
});

describe('no overbooking', () => {
  it('200 simultaneous requests for 10 places make exactly 10 bookings', async () => {
    const id = await createSite(t, { name: 'Ten desks', desks: 10, walkInShare: 0, hours: [{ weekday: 5, open: '14:00', close: '14:30' }] });
    const start = '2027-03-26T14:00:00+01:00';
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => t.app.inject({ method: 'POST', url: '/v1/appointments', payload: { siteId: id, start, language: 'fr' }, remoteAddress: nextAddress() })),
    );
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(190);
    expect(new Set(answers.filter((r) => r.statusCode === 201).map((r) => r.json().reference)).size).toBe(10);
    const day = (await t.app.inject({ method: 'GET', url: `/v1/enrolment-sites/${id}/day?date=2027-03-26`, headers: t.auth('clerk') })).json();
    expect(day.items).toHaveLength(10);
    expect(day.slots).toEqual([{ start, places: 10, booked: 10, walkInDesks: 0 }]);
  });
});
