/**
 * The organisers' Welcoming Week screen in the console, in Chromium: an
 * organiser signs in, sees what is late in the edition's timeline and marks
 * it done, adds a space and an event, runs a lottery's draw (its seed shown,
 * the public record redoes it), makes a door code that opens the door, and
 * publishes a partner's proposal. Then the same screen in Arabic at 360 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawOrder } from '../../src/modules/events/events-draw.js';
import { TEST_PASSWORD, createTestApp, type TestContext } from '../helpers/app.js';
import { bearer, createEvent, holder, staffToken } from '../api/events-fixtures.js';
import { axe, launch, listen, screens } from './pages-helpers.js';

let t: TestContext;
let browser: Browser;
let base: string;
let organiser: string;
let lottery: string;
let drawAt: number;
let proposal: string;
const day = (months: number) => {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date() });
  organiser = await staffToken(t, 'organiser');
  // The week in five months: the call for partners (six months before) is a month late.
  await t.app.inject({ method: 'POST', url: '/v1/event-editions', headers: bearer(organiser), payload: { name: 'Welcoming Week', startsOn: day(5), endsOn: day(5) } });
  const start = new Date(Date.now() + 48 * 3600_000);
  const entrants = [];
  for (let i = 0; i < 3; i++) entrants.push(await holder(t, `Console Entrant ${i}`));
  lottery = (await createEvent(t, organiser, { title: { en: 'Testimonies', ar: 'شهادات' }, rsvp: 'lottery', capacity: 2, access: 'open', drawAt: new Date((drawAt = Date.now() + 8000)).toISOString(), startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 7200_000).toISOString() })).id;
  for (const h of entrants) expect((await t.app.inject({ method: 'POST', url: `/v1/self/events/${lottery}/rsvp`, headers: bearer(h.token) })).statusCode).toBe(201);
  proposal = (await createEvent(t, t.tokens.partner_service, { title: { en: 'Museum night' }, rsvp: 'none', capacity: undefined, access: 'open', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 7200_000).toISOString() })).id;
  base = await listen(t);
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
});

async function signIn(locale: string, width: number): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/console`);
  await page.locator('input[autocomplete=username]').fill('organiser');
  await page.locator('input[type=password]').fill(TEST_PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.locator('#ev-editions-h').waitFor();
  return page;
}

describe('console: Welcoming Week for organisers', () => {
  it('timeline with what is late, a space, an event, the draw, a door code, a proposal published', async () => {
    const page = await signIn('en-GB', 1280);
    await page.getByRole('heading', { level: 1, name: 'Welcoming Week' }).waitFor();
    const call = page.locator('tr[data-milestone="call-for-partners"]');
    expect(await call.getAttribute('class')).toBe('late');
    expect(await call.textContent()).toContain('Call for partners (late)');
    expect(await page.locator('tr.late').count()).toBe(1);
    expect(await page.locator('.late-count').textContent()).toContain('1 late');
    await call.locator('select').selectOption('done');
    await call.locator('input').fill('Culture team');
    await call.getByRole('button').click();
    await expect.poll(() => page.locator('tr.late').count()).toBe(0);
    const editions = (await t.app.inject({ url: '/v1/event-editions', headers: bearer(organiser) })).json().items;
    expect(editions[0].milestones[0]).toMatchObject({ key: 'call-for-partners', status: 'done', owner: 'Culture team', late: false });

    const spaces = page.locator('section[aria-labelledby=ev-spaces-h]');
    await spaces.getByLabel('Name').fill('Maison des solidarités');
    await spaces.getByLabel('Kind').selectOption('solidarity');
    await spaces.getByLabel('Address').fill('4 rue du Port');
    await spaces.getByLabel('Capacity').fill('40');
    await spaces.getByRole('button', { name: 'Create' }).click();
    await spaces.getByRole('cell', { name: 'Maison des solidarités' }).waitFor();

    const form = page.locator('#new-event');
    await form.getByLabel('Title (en)').fill('Cooking from home');
    await form.getByLabel('Title (pt)').fill('Cozinha de casa');
    await form.getByLabel('Category').selectOption('cooking');
    await form.getByLabel('Starts').fill('2031-09-20T18:00');
    await form.getByLabel('Ends').fill('2031-09-20T21:00');
    await form.getByLabel('Space').selectOption({ label: 'Maison des solidarités' });
    await form.getByLabel('Capacity').fill('12');
    await form.getByLabel('Places').selectOption('first-come');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.locator('#events-table th', { hasText: 'Cooking from home' }).waitFor();
    const created = ((await t.app.inject('/v1/events')).json().items as Array<{ title: { en: string }; place: { name: string }; capacity: number }>).find((e) => e.title.en === 'Cooking from home');
    expect(created).toMatchObject({ place: { name: 'Maison des solidarités' }, capacity: 12 });

    // The draw time has passed by now: the button draws, and the page shows the seed anyone can check the draw with.
    await new Promise((r) => setTimeout(r, Math.max(0, drawAt + 500 - Date.now())));
    // The reload keeps the organiser signed in (the console's session, issue 15 item 6).
    await page.reload();
    const row = page.locator(`tr[data-event="${lottery}"]`);
    await row.waitFor();
    expect(await row.locator('.counts').textContent()).toContain('3 entered');
    await row.getByRole('button', { name: /Draw now/ }).click();
    await page.locator('#events-msg', { hasText: 'Drawn. Seed' }).waitFor();
    const record = (await t.app.inject(`/v1/events/${lottery}/draw`)).json();
    expect(await page.locator('#events-msg').textContent()).toContain(record.seed);
    expect(drawOrder(Buffer.from(record.seed, 'hex'), record.entries)).toEqual(record.order);
    await expect.poll(async () => row.locator('.counts').textContent()).toContain('2 places, 1 waiting');

    await row.getByRole('button', { name: /New door code/ }).click();
    const shown = (await page.locator('#events-msg', { hasText: 'Door code for' }).textContent())!;
    const code = /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(shown)![1]!;
    expect((await t.app.inject({ method: 'POST', url: '/v1/door', payload: { code } })).json().eventId).toBe(lottery);

    await page.locator(`li[data-proposal="${proposal}"] button`).click();
    await page.locator('#events-msg', { hasText: 'Published.' }).waitFor();
    expect(((await t.app.inject('/v1/events')).json().items as Array<{ id: string }>).map((e) => e.id)).toContain(proposal);
    const { violations } = await axe(page);
    expect(violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => v.id)).toEqual([]);
    await page.context().close();
  });

  it('Arabic, right to left, at 360 px', async () => {
    const page = await signIn('ar', 360);
    await page.getByRole('heading', { level: 1, name: 'أسبوع الترحيب' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.locator('tr[data-milestone="call-for-partners"] th').textContent()).toBe('دعوة الشركاء');
    await screens(page, 'console-events-ar');
    await page.context().close();
  });
});
