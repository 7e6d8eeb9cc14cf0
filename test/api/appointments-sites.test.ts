/**
 * Enrolment sites, slots and the rolling release (issue 18), with an injected
 * clock across the spring daylight-saving change in Europe/Paris
 * (2027-03-28: 02:00 → 03:00).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createSite, movableClock, SITE, ZONE } from './appointments-fixtures.js';

const time = movableClock('2027-03-25T07:30:00+01:00');
let t: TestContext;
let siteId: string;
beforeAll(async () => {
  t = await createTestApp({ clock: time.clock, env: { TIME_ZONE: ZONE } });
  siteId = await createSite(t);
});
afterAll(() => t.close());

const slots = async (date: string, id = siteId) => t.app.inject({ method: 'GET', url: `/v1/enrolment-sites/${id}/slots?date=${date}` });

describe('slots', () => {
  it('come from hours × desks less the walk-in share, in the city zone', async () => {
    const res = await slots('2027-03-26');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.released).toBe(true);
    // 09:00–12:00 in 30-minute slots; 4 desks less a quarter kept for walk-ins = 3 places each.
    expect(body.items).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'].map((h) => ({ start: `2027-03-26T${h}:00+01:00`, remaining: 3 })));
  });

  it('the first day after the change is in summer time', async () => {
    time.at('2027-03-25T08:00:00+01:00');
    const body = (await slots('2027-03-28')).json();
    expect(body.released).toBe(true);
    expect(body.items[0]).toEqual({ start: '2027-03-28T09:00:00+02:00', remaining: 3 });
    expect(new Date(body.items[0].start).toISOString()).toBe('2027-03-28T07:00:00.000Z');
  });
});

describe('rolling release', () => {
  it('opens one more day at the release time, local, before and after the change', async () => {
    const cases: Array<[string, string, boolean]> = [
      ['2027-03-25T07:59:00+01:00', '2027-03-28', false],
      ['2027-03-25T08:00:00+01:00', '2027-03-28', true],
      ['2027-03-26T07:59:59+01:00', '2027-03-29', false],
      ['2027-03-26T08:00:00+01:00', '2027-03-29', true],
      // 08:00 on the 28th is 06:00 UTC (summer time), not 07:00.
      ['2027-03-28T05:59:00Z', '2027-03-31', false],
      ['2027-03-28T06:00:00Z', '2027-03-31', true],
      ['2027-03-28T06:00:00Z', '2027-04-01', false],
    ];
    for (const [now, date, released] of cases) {
      time.at(now);
      const body = (await slots(date)).json();
      expect(body.released, `${now} ${date}`).toBe(released);
      expect(body.items.length > 0, `${now} ${date}`).toBe(released);
    }
    time.at('2027-03-25T07:00:00+01:00');
    expect((await slots('2027-03-28')).json().opensAt).toBe('2027-03-25T08:00:00+01:00');
    expect((await slots('2027-03-31')).json().opensAt).toBe('2027-03-28T08:00:00+02:00');
  });

  it("today's past slots are no longer offered", async () => {
    time.at('2027-03-26T10:15:00+01:00');
    expect((await slots('2027-03-26')).json().items.map((s: { start: string }) => s.start.slice(11, 16))).toEqual(['10:30', '11:00', '11:30']);
  });
});

describe('the public list', () => {
  it("shows each site's next free place, today's walk-in capacity and the next release", async () => {
    time.at('2027-03-26T10:15:00+01:00');
    const res = await t.app.inject({ method: 'GET', url: '/v1/enrolment-sites' });
    expect(res.statusCode).toBe(200);
    const site = res.json().items.find((s: { id: string }) => s.id === siteId);
    expect(site.name).toBe(SITE.name);
    expect(site.nextFreeSlot).toEqual({ start: '2027-03-26T10:30:00+01:00', remaining: 3 });
    // Three slots left today, one walk-in desk each.
    expect(site.today).toEqual({ date: '2027-03-26', open: true, walkInPlaces: 3 });
    expect(site.nextRelease).toEqual({ date: '2027-03-30', at: '2027-03-27T08:00:00+01:00' });
    expect(res.json().reminders).toBe(false);
  });

  it('a pop-up site is open only within its dates', async () => {
    time.at('2027-03-26T07:00:00+01:00');
    const id = await createSite(t, { name: 'Pop-up', kind: 'pop-up', from: '2027-03-27', until: '2027-03-27' });
    expect((await slots('2027-03-26', id)).json().items).toEqual([]);
    expect((await slots('2027-03-27', id)).json().items).toHaveLength(6);
    expect((await slots('2027-03-28', id)).json().items).toEqual([]);
  });
});

describe('bad input', () => {
  it.each([
    ['a date in the past', () => slots('2027-03-20'), 422, 'appointment-date-past'],
    ['an unknown site', () => slots('2027-03-27', '6b0f3f3e-8f43-4c8e-9a52-3c2b1d0e9f11'), 404, 'site-not-found'],
    ['a malformed date', () => slots('2027-02-30'), 400, 'validation-failed'],
    ['a site id that is not one', () => slots('2027-03-27', 'nope'), 400, 'validation-failed'],
    ['closing before opening', () => t.app.inject({ method: 'POST', url: '/v1/enrolment-sites', headers: t.auth('admin'), payload: { ...SITE, hours: [{ weekday: 1, open: '12:00', close: '09:00' }] } }), 400, 'validation-failed'],
    ['a pop-up without dates', () => t.app.inject({ method: 'POST', url: '/v1/enrolment-sites', headers: t.auth('admin'), payload: { ...SITE, kind: 'pop-up' } }), 400, 'validation-failed'],
    ['a walk-in share above 1', () => t.app.inject({ method: 'POST', url: '/v1/enrolment-sites', headers: t.auth('admin'), payload: { ...SITE, walkInShare: 1.5 } }), 400, 'validation-failed'],
    ['a time that is not HH:MM', () => t.app.inject({ method: 'POST', url: '/v1/enrolment-sites', headers: t.auth('admin'), payload: { ...SITE, releaseTime: '8h' } }), 400, 'validation-failed'],
  ] as const)('%s → %i %s', async (_name, call, status, code) => {
    time.at('2027-03-25T07:30:00+01:00');
    const res = await call();
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });
});

describe('changing a site', () => {
  it('never drops a booking: those left without a place are listed for the clerk', async () => {
    time.at('2027-03-25T07:30:00+01:00');
    const id = await createSite(t, { name: 'Changing' });
    const book = async (start: string) =>
      (await t.app.inject({ method: 'POST', url: '/v1/appointments', payload: { siteId: id, start, language: 'fr' }, remoteAddress: '10.200.0.1' })).json();
    const early = await book('2027-03-26T09:00:00+01:00');
    const late = await book('2027-03-26T11:30:00+01:00');
    const res = await t.app.inject({ method: 'PATCH', url: `/v1/enrolment-sites/${id}`, headers: t.auth('admin'), payload: { hours: [{ weekday: 5, open: '09:00', close: '11:00' }] } });
    expect(res.statusCode).toBe(200);
    expect(res.json().affected).toEqual([{ reference: late.reference, start: '2027-03-26T11:30:00+01:00', hasContact: false }]);
    const read = await t.app.inject({ method: 'GET', url: `/v1/appointments/${late.reference}`, headers: { 'appointment-pin': late.pin } });
    expect(read.statusCode).toBe(200);
    expect(early.reference).toBeDefined();
    expect((await t.app.inject({ method: 'PATCH', url: '/v1/enrolment-sites/6b0f3f3e-8f43-4c8e-9a52-3c2b1d0e9f11', headers: t.auth('admin'), payload: { desks: 2 } })).json().code).toBe('site-not-found');
  });
});
