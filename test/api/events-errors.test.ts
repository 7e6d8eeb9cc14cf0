/** Bad input for every events body, and the planning timeline with an injected clock. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { bearer, createEvent, EVENT, staffToken } from './events-fixtures.js';

let now = new Date('2027-03-01T09:00:00Z');
let t: TestContext;
let organiser: string;
beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  organiser = await staffToken(t, 'organiser');
});
afterAll(() => t.close());

describe('POST /v1/events refuses bad input', () => {
  it.each([
    ['end before start', { endsAt: '2027-09-20T17:00:00+02:00' }, 'event-dates-invalid', '/endsAt'],
    ['end equal to start', { endsAt: EVENT.startsAt }, 'event-dates-invalid', '/endsAt'],
    ['capacity 0', { capacity: 0 }, 'validation-failed', '/capacity'],
    ['negative capacity', { capacity: -3 }, 'validation-failed', '/capacity'],
    ['unknown time zone', { timeZone: 'Europe/Atlantis' }, 'time-zone-unknown', '/timeZone'],
    ['unknown language', { languages: ['fr', 'zz'] }, 'language-unknown', '/languages/1'],
    ['title in an unknown language', { title: { en: 'x', xx: 'y' } }, 'validation-failed', '/title'],
    ['title without English', { title: { fr: 'x' } }, 'validation-failed', '/title'],
    ['unknown category', { category: 'karaoke' }, 'validation-failed', '/category'],
    ['time without offset', { startsAt: '2027-09-20 18:00' }, 'validation-failed', '/startsAt'],
    ['unknown access', { access: 'vip' }, 'validation-failed', '/access'],
    ['unknown field', { secretNote: 'x' }, 'validation-failed', ''],
    ['neither place nor space', { place: undefined }, 'validation-failed', '/place'],
    ['RSVP without capacity', { capacity: undefined }, 'validation-failed', '/capacity'],
    ['lottery without draw time', { rsvp: 'lottery' }, 'event-draw-invalid', '/drawAt'],
    ['lottery drawn after the start', { rsvp: 'lottery', drawAt: '2027-09-21T10:00:00Z' }, 'event-draw-invalid', '/drawAt'],
    ['unknown space', { place: undefined, spaceId: '6b0f3f3e-8f43-4c8e-9a52-3c2b1d0e9f11' }, 'space-not-found', undefined],
  ])('%s → %s', async (_name, change, code, path) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(organiser), payload: { ...EVENT, ...change } });
    expect(res.json().code, res.body).toBe(code);
    expect(res.statusCode).toBe(code === 'space-not-found' ? 404 : 400);
    if (path) expect(res.json().errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
  });

  it('PATCH checks the same rules against the stored event', async () => {
    const ev = await createEvent(t, organiser);
    for (const [patch, code] of [
      [{ endsAt: '2027-09-20T15:00:00+02:00' }, 'event-dates-invalid'],
      [{ capacity: 0 }, 'validation-failed'],
      [{ timeZone: 'Mars/Olympus' }, 'time-zone-unknown'],
      [{ languages: ['qq'] }, 'language-unknown'],
      [{}, 'validation-failed'],
    ] as const) {
      const res = await t.app.inject({ method: 'PATCH', url: `/v1/events/${ev.id}`, headers: bearer(organiser), payload: patch });
      expect(res.json().code, JSON.stringify(patch)).toBe(code);
    }
    const ok = await t.app.inject({ method: 'PATCH', url: `/v1/events/${ev.id}`, headers: bearer(organiser), payload: { capacity: 12, timeZone: 'America/Sao_Paulo' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ capacity: 12, timeZone: 'America/Sao_Paulo' });
  });

  it.each([
    ['spaces: unknown kind', '/v1/event-spaces', { name: 'Hall', kind: 'secret', address: 'x' }, 'validation-failed'],
    ['spaces: capacity 0', '/v1/event-spaces', { name: 'Hall', kind: 'public', address: 'x', capacity: 0 }, 'validation-failed'],
    ['spaces: unknown language', '/v1/event-spaces', { name: 'Hall', kind: 'public', address: 'x', languages: ['xx'] }, 'language-unknown'],
    ['editions: end before start', '/v1/event-editions', { name: 'WW 2027', startsOn: '2027-09-20', endsOn: '2027-09-10' }, 'event-dates-invalid'],
    ['editions: not a date', '/v1/event-editions', { name: 'WW 2027', startsOn: '20 Sept', endsOn: '2027-09-10' }, 'validation-failed'],
  ])('%s → %s', async (_n, url, payload, code) => {
    const res = await t.app.inject({ method: 'POST', url, headers: bearer(organiser), payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
  });
});

describe('editions and their timeline', () => {
  it('starts six months before the week; the console shows what is late as the clock moves', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/event-editions', headers: bearer(organiser), payload: { name: 'Welcoming Week 2027', startsOn: '2027-09-13', endsOn: '2027-09-19' } });
    expect(res.statusCode).toBe(201);
    const edition = res.json();
    expect(edition.milestones.map((m: { key: string; dueOn: string }) => `${m.key} ${m.dueOn}`)).toEqual([
      'call-for-partners 2027-03-13',
      'spaces-booked 2027-05-13',
      'programme-drafted 2027-06-13',
      'volunteers 2027-07-13',
      'programme-published 2027-08-02',
      'communication 2027-08-16',
      'the-week 2027-09-13',
      'review 2027-10-19',
    ]);
    expect(edition.milestones.filter((m: { late: boolean }) => m.late)).toEqual([]);

    now = new Date('2027-05-20T09:00:00Z');
    const late = async () => ((await t.app.inject({ url: '/v1/event-editions', headers: bearer(organiser) })).json().items[0].milestones as Array<{ key: string; late: boolean }>).filter((m) => m.late).map((m) => m.key);
    expect(await late()).toEqual(['call-for-partners', 'spaces-booked']);

    const done = await t.app.inject({ method: 'PATCH', url: `/v1/event-editions/${edition.id}/milestones/call-for-partners`, headers: bearer(organiser), payload: { status: 'done', owner: 'Culture team' } });
    expect(done.statusCode).toBe(200);
    expect(done.json().milestones[0]).toMatchObject({ key: 'call-for-partners', status: 'done', owner: 'Culture team', late: false });
    expect(await late()).toEqual(['spaces-booked']);
    const unknown = await t.app.inject({ method: 'PATCH', url: `/v1/event-editions/${edition.id}/milestones/party`, headers: bearer(organiser), payload: { status: 'done' } });
    expect(unknown.json().code).toBe('validation-failed');
    now = new Date('2027-03-01T09:00:00Z');
  });

  it('a partner organisation proposes; the programme shows it only once an organiser publishes it', async () => {
    const proposed = await createEvent(t, t.tokens.partner_service, { title: { en: 'Museum night' }, rsvp: 'none', capacity: undefined, access: 'open' });
    expect(proposed.status).toBe('proposed');
    const titles = async () => ((await t.app.inject('/v1/events')).json().items as Array<{ title: { en: string } }>).map((e) => e.title.en);
    expect(await titles()).not.toContain('Museum night');
    expect((await t.app.inject({ url: '/v1/event-proposals', headers: bearer(organiser) })).json().items.map((e: { id: string }) => e.id)).toContain(proposed.id);
    expect((await t.app.inject({ method: 'POST', url: `/v1/events/${proposed.id}/publish`, headers: bearer(organiser) })).statusCode).toBe(200);
    expect(await titles()).toContain('Museum night');
  });

  it('filters the public programme by category, language, dates and access, with no account', async () => {
    const space = (await t.app.inject({ method: 'POST', url: '/v1/event-spaces', headers: bearer(organiser), payload: { name: 'Médiathèque', kind: 'public', address: '3 rue Haute', capacity: 40, languages: ['fr', 'es'], accessibility: ['step-free'] } })).json();
    await createEvent(t, organiser, { title: { en: 'Football' }, category: 'sport', spaceId: space.id, place: undefined, languages: ['es'], access: 'open', startsAt: '2027-09-15T10:00:00+02:00', endsAt: '2027-09-15T12:00:00+02:00' });
    const q = async (qs: string) => ((await t.app.inject(`/v1/events?${qs}`)).json().items as Array<{ title: { en: string }; place: { name: string } }>).map((e) => e.title.en);
    expect(await q('category=sport')).toEqual(['Football']);
    expect(await q('language=es')).toEqual(['Football']);
    expect(await q('cardHoldersOnly=true')).not.toContain('Football');
    expect(await q('from=2027-09-16T00:00:00Z')).not.toContain('Football');
    expect(await q('to=2027-09-16T00:00:00Z')).toEqual(['Football']);
    const football = (await t.app.inject('/v1/events?category=sport')).json().items[0];
    expect(football.place).toEqual({ name: 'Médiathèque', address: '3 rue Haute' });
    expect((await t.app.inject('/v1/events?category=karaoke')).json().code).toBe('validation-failed');
  });
});
