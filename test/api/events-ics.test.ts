/**
 * The programme as iCalendar, read back by an independent parser (node-ical)
 * and by ical.js's own time-zone engine from the VTIMEZONE we wrote: local
 * times hold across the spring and autumn changes in Europe/Paris and
 * America/Sao_Paulo (which kept daylight time until 2019).
 */
import ICAL from 'ical.js';
import ical, { type CalendarComponent, type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { bearer, createEvent, staffToken } from './events-fixtures.js';

let t: TestContext;
let organiser: string;
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date('2018-01-05T10:00:00Z'), env: { TIME_ZONE: 'Europe/Paris' } });
  organiser = await staffToken(t, 'organiser');
});
afterAll(() => t.close());

const wall = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);

// Each pair: the same 10:00–12:00 local slot on either side of a change.
const CASES = [
  ['Europe/Paris', 'spring', '2027-03-27T10:00:00+01:00', '2027-03-28T10:00:00+02:00'],
  ['Europe/Paris', 'autumn', '2027-10-30T10:00:00+02:00', '2027-10-31T10:00:00+01:00'],
  ['America/Sao_Paulo', 'spring (Nov 2018)', '2018-11-03T10:00:00-03:00', '2018-11-04T10:00:00-02:00'],
  ['America/Sao_Paulo', 'autumn (Feb 2019)', '2019-02-16T10:00:00-02:00', '2019-02-17T10:00:00-03:00'],
  ['America/Sao_Paulo', 'no change since 2019', '2027-02-13T10:00:00-03:00', '2027-11-06T10:00:00-03:00'],
] as const;

describe('GET /v1/events.ics', () => {
  it.each(CASES)('%s %s: 10:00 stays 10:00 on both sides', async (zone, _season, before, after) => {
    const ids: string[] = [];
    for (const startsAt of [before, after]) {
      const endsAt = startsAt.replace('T10:', 'T12:');
      ids.push((await createEvent(t, organiser, { title: { en: `Language café ${zone} ${startsAt}` }, category: 'language-exchange', startsAt, endsAt, timeZone: zone, rsvp: 'none', capacity: undefined, access: 'open' })).id);
    }
    const res = await t.app.inject('/v1/events.ics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const text = res.body;

    // node-ical: an independent reader.
    const parsed = ical.sync.parseICS(text);
    for (const [i, startsAt] of [before, after].entries()) {
      const ev = Object.values(parsed).find((c: CalendarComponent | undefined) => c?.type === 'VEVENT' && c.uid?.startsWith(ids[i]!)) as VEvent | undefined;
      expect(ev, startsAt).toBeDefined();
      expect(ev!.start.toISOString()).toBe(new Date(startsAt).toISOString());
      expect(wall(ev!.start, zone)).toMatch(/ 10:00$/);
      expect(wall(ev!.end!, zone)).toMatch(/ 12:00$/);
    }

    // ical.js resolving times through the VTIMEZONE we wrote (not its own data: it has none).
    const comp = new ICAL.Component(ICAL.parse(text));
    const vtz = comp.getAllSubcomponents('vtimezone').find((c) => c.getFirstPropertyValue('tzid') === zone)!;
    const tz = new ICAL.Timezone(vtz);
    for (const [i, startsAt] of [before, after].entries()) {
      const v = comp.getAllSubcomponents('vevent').find((c) => String(c.getFirstPropertyValue('uid')).startsWith(ids[i]!))!;
      const start = v.getFirstProperty('dtstart')!;
      expect(start.getParameter('tzid')).toBe(zone);
      const time = start.getFirstValue() as ICAL.Time;
      expect(time.hour).toBe(10);
      const utc = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute) - tz.utcOffset(time) * 1000;
      expect(new Date(utc).toISOString()).toBe(new Date(startsAt).toISOString());
    }
  });

  it('per-event calendar, in the asked language; an unpublished or unknown event is not found', async () => {
    const ev = await createEvent(t, organiser, { title: { en: 'Meeting of card holders', pt: 'Encontro de portadores do cartão', ar: 'لقاء حاملي البطاقة' }, category: 'card-holder-meeting', rsvp: 'none', capacity: undefined, access: 'card-holders' });
    const pt = await t.app.inject(`/v1/events/${ev.id}.ics?lang=pt`);
    expect(pt.statusCode).toBe(200);
    const one = Object.values(ical.sync.parseICS(pt.body)).filter((c) => c?.type === 'VEVENT') as VEvent[];
    expect(one).toHaveLength(1);
    expect(String(one[0]!.summary)).toBe('Encontro de portadores do cartão');
    const ar = Object.values(ical.sync.parseICS((await t.app.inject(`/v1/events/${ev.id}.ics?lang=ar`)).body)).find((c) => c?.type === 'VEVENT') as VEvent;
    expect(String(ar.summary)).toBe('لقاء حاملي البطاقة');
    expect((await t.app.inject('/v1/events/6b0f3f3e-8f43-4c8e-9a52-3c2b1d0e9f11.ics')).statusCode).toBe(404);
    const proposal = await createEvent(t, t.tokens.partner_service, { rsvp: 'none', capacity: undefined });
    expect((await t.app.inject(`/v1/events/${proposal.id}.ics`)).json().code).toBe('event-not-found');
    const filtered = Object.values(ical.sync.parseICS((await t.app.inject('/v1/events.ics?category=card-holder-meeting')).body)).filter((c) => c?.type === 'VEVENT');
    expect(filtered).toHaveLength(1);
  });
});
