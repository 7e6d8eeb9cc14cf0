/**
 * The opening draw (issue 18): requests for a day in the first drawMinutes
 * after its release are placed in random order, not by arrival; then
 * community organisations with the booking right book several places.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createSite, movableClock, nextAddress, ZONE } from './appointments-fixtures.js';

const time = movableClock('2027-03-25T08:00:30+01:00');
let t: TestContext;
let siteId: string;
beforeAll(async () => {
  t = await createTestApp({ clock: time.clock, env: { TIME_ZONE: ZONE } });
  // Sundays 14:00–15:00: two slots of ten places.
  siteId = await createSite(t, { name: 'Draw', desks: 10, walkInShare: 0, hours: [{ weekday: 7, open: '14:00', close: '15:00' }], drawMinutes: 10 });
});
afterAll(() => t.close());

const book = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/v1/appointments', payload: { siteId, language: 'pt', ...payload }, remoteAddress: nextAddress() });
const read = (reference: string, pin: string) => t.app.inject({ method: 'GET', url: `/v1/appointments/${reference}`, headers: { 'appointment-pin': pin }, remoteAddress: nextAddress() });

describe('the opening draw', () => {
  const requests: Array<{ reference: string; pin: string }> = [];

  it('collects requests during the window: each has a reference and PIN at once, no place yet', async () => {
    // The 28th opened at 08:00 on the 25th; its draw closes at 08:10.
    for (let i = 0; i < 30; i++) {
      const res = await book({ start: '2027-03-28T14:00:00+02:00' });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ status: 'pending', drawAt: '2027-03-25T08:10:00+01:00' });
      requests.push(res.json());
    }
    const first = (await read(requests[0]!.reference, requests[0]!.pin)).json();
    expect(first).toMatchObject({ status: 'pending', start: '2027-03-28T14:00:00+02:00' });
    expect((await t.app.inject({ method: 'GET', url: `/v1/appointments/${requests[0]!.reference}/calendar.ics`, headers: { 'appointment-pin': requests[0]!.pin } })).json().code).toBe('appointment-not-confirmed');
  });

  it('places them in random order when it closes: the wanted slot, else the nearest; the rest told where the next place is', async () => {
    time.at('2027-03-25T08:10:00+01:00');
    const views = [];
    for (const r of requests) views.push((await read(r.reference, r.pin)).json());
    const at14 = views.map((v, i) => ({ v, i })).filter(({ v }) => v.status === 'confirmed' && v.start === '2027-03-28T14:00:00+02:00');
    const at1430 = views.filter((v) => v.status === 'confirmed' && v.start === '2027-03-28T14:30:00+02:00');
    const unplaced = views.filter((v) => v.status === 'unplaced');
    expect(at14).toHaveLength(10);
    expect(at1430).toHaveLength(10);
    expect(unplaced).toHaveLength(10);
    expect(unplaced[0].nextFreeSlot).toBeNull();
    // Arrival order did not decide: the ten who got 14:00 are not the first ten to ask
    // (by chance they would be once in 30 million draws).
    expect(at14.map(({ i }) => i)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const slots = (await t.app.inject({ method: 'GET', url: `/v1/enrolment-sites/${siteId}/slots?date=2027-03-28` })).json();
    expect(slots.items).toEqual([
      { start: '2027-03-28T14:00:00+02:00', remaining: 0 },
      { start: '2027-03-28T14:30:00+02:00', remaining: 0 },
    ]);
  });

  it('after the draw, first come: a cancelled place goes to the next request', async () => {
    const r = (await book({ start: '2027-03-28T14:00:00+02:00' })).json();
    expect(r.code).toBe('slot-full');
    let gone: { reference: string; pin: string; start: string } | undefined;
    for (const x of requests) {
      const v = (await read(x.reference, x.pin)).json();
      if (v.status === 'confirmed') gone ??= { ...x, start: v.start };
    }
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/appointments/${gone!.reference}`, headers: { 'appointment-pin': gone!.pin } })).statusCode).toBe(204);
    const next = await book({ start: gone!.start });
    expect(next.statusCode).toBe(201);
    expect(next.json().status).toBe('confirmed');
    expect((await book({ start: gone!.start })).json().code).toBe('slot-full');
  });
});

describe('community organisations', () => {
  const org = (places: number, start = '2027-04-04T14:00:00+02:00') =>
    t.app.inject({ method: 'POST', url: '/v1/organisation-appointments', headers: t.auth('partner_service'), payload: { siteId, start, language: 'ar', places } });

  it('book several places with the booking right, never more than it allows, and wait for the draw', async () => {
    expect((await t.app.inject({ method: 'PUT', url: `/v1/booking-rights/${t.ids.partner_service}`, headers: t.auth('admin'), payload: { maxPlaces: 5 } })).statusCode).toBe(204);
    expect((await org(3)).json().code).toBe('slot-not-released');
    time.at('2027-04-01T08:05:00+02:00');
    const during = await org(3);
    expect(during.statusCode).toBe(409);
    expect(during.json().code).toBe('draw-in-progress');
    time.at('2027-04-01T08:10:00+02:00');
    const res = await org(4);
    expect(res.statusCode).toBe(201);
    expect(res.json().bookings).toHaveLength(4);
    expect(new Set(res.json().bookings.map((b: { reference: string }) => b.reference)).size).toBe(4);
    expect((await org(6)).json().code).toBe('booking-places-exceeded');
    expect((await org(7, '2027-04-04T14:30:00+02:00')).statusCode).toBe(422);
    // Six left at 14:00: five fit, then only one.
    expect((await org(5)).statusCode).toBe(201);
    const full = await org(2);
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('slot-full');
    expect((await t.app.inject({ method: 'GET', url: `/v1/enrolment-sites/${siteId}/slots?date=2027-04-04` })).json().items[0]).toEqual({ start: '2027-04-04T14:00:00+02:00', remaining: 1 });
  });

  it('without the right, one place only', async () => {
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/booking-rights/${t.ids.partner_service}`, headers: t.auth('admin') })).statusCode).toBe(204);
    expect((await org(2, '2027-04-04T14:30:00+02:00')).json().code).toBe('booking-places-exceeded');
    expect((await org(1, '2027-04-04T14:30:00+02:00')).statusCode).toBe(201);
  });
});
