/**
 * The verifier page at an event's door, in Chromium at 360 px: a volunteer
 * opens the door with the printed door code, tickets pasted from the portal
 * are admitted once (online, then with the network cut off from the
 * downloaded hash list), and what was admitted offline reaches the city when
 * the phone reconnects. At a card-holders event without RSVP a card admits.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue } from '../helpers/cards.js';
import { bearer, createEvent, holder, staffToken, type Holder } from '../api/events-fixtures.js';
import { launch, listen, screens } from './pages-helpers.js';

let t: TestContext;
let browser: Browser;
let base: string;
let organiser: string;
let eventId: string;
let code: string;
let holders: Holder[];
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date() });
  organiser = await staffToken(t, 'organiser');
  const start = new Date(Date.now() + 3 * 3600_000);
  eventId = (await createEvent(t, organiser, { capacity: 3, access: 'open', startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 2 * 3600_000).toISOString() })).id;
  holders = [];
  for (let i = 0; i < 3; i++) {
    const h = await holder(t, `Door Holder ${i}`);
    holders.push(h);
    await t.app.inject({ method: 'POST', url: `/v1/self/events/${eventId}/rsvp`, headers: bearer(h.token) });
  }
  code = (await t.app.inject({ method: 'POST', url: `/v1/events/${eventId}/door-code`, headers: bearer(organiser) })).json().code;
  base = await listen(t);
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
});

const ticket = async (h: Holder, id = eventId) =>
  ((await t.app.inject({ url: '/v1/self/events', headers: bearer(h.token) })).json().items as Array<{ event: { id: string }; ticket?: { qr: string } }>).find((i) => i.event.id === id)!.ticket!.qr;
const admitted = async (id = eventId) => (await t.app.inject({ url: `/v1/events/${id}/counts`, headers: bearer(organiser) })).json().admitted as number;

async function paste(page: Page, text: string): Promise<string> {
  await page.evaluate(() => (document.getElementById('door-result')!.hidden = true));
  await page.locator('#qr-text').fill(text);
  await page.locator('#paste button[type=submit]').click();
  await page.locator('#door-result:not([hidden])').waitFor();
  const word = (await page.locator('#door-result .word').textContent()) ?? '';
  await page.locator('#qr-text').fill('');
  return word;
}

async function openDoor(context: BrowserContext, c: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/verify`);
  await page.locator('#door summary').click();
  await page.getByLabel('Door code').fill(c.toLowerCase());
  await page.getByRole('button', { name: 'Open the door' }).click();
  await page.locator('#door-opened:not([hidden])').waitFor();
  return page;
}

describe('the verifier at an event’s door, 360 px', () => {
  it('a wrong code opens nothing; the right one shows the event and its list', async () => {
    const context = await browser.newContext({ locale: 'en', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${base}/verify`);
    await page.locator('#door summary').click();
    await page.getByLabel('Door code').fill('ABCD-EFGH-JKMN');
    await page.getByRole('button', { name: 'Open the door' }).click();
    await page.getByText('This door code is not valid').waitFor();
    await page.getByLabel('Door code').fill(code);
    await page.getByRole('button', { name: 'Open the door' }).click();
    await page.locator('#door-opened:not([hidden])').waitFor();
    expect(await page.locator('.door-event').textContent()).toContain('Cooking together');
    expect(await page.locator('#door-stats').textContent()).toContain('3 tickets with a place, 0 admitted');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('admits a ticket once online, then offline from the downloaded list, and sends the offline ones on reconnecting', async () => {
    const context = await browser.newContext({ locale: 'en', viewport: { width: 360, height: 740 } });
    const page = await openDoor(context, code);
    const [a, b, c] = await Promise.all(holders.map((h) => ticket(h)));
    expect(await paste(page, a!)).toBe('Admitted');
    expect(await paste(page, a!)).toBe('Already admitted');
    expect(await admitted()).toBe(1);

    await context.setOffline(true);
    expect(await paste(page, b!)).toBe('Admitted (offline, will be sent)');
    expect(await paste(page, b!)).toBe('Already admitted');
    expect(await paste(page, a!)).toBe('Already admitted');
    const elsewhere = `LCT1.${Buffer.from(JSON.stringify({ e: 'another-event', t: 'x', exp: 9_999_999_999 })).toString('base64url')}.${'A'.repeat(43)}`;
    expect(await paste(page, elsewhere)).toBe('This ticket is for another event');
    expect(await page.locator('#door-stats').textContent()).toContain('1 admitted offline, to send when connected');
    expect(await admitted()).toBe(1);
    await screens(page, 'verify-door-offline');

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(admitted, { timeout: 10_000 }).toBe(2);
    await expect.poll(async () => page.locator('#door-stats').textContent(), { timeout: 10_000 }).toContain('3 tickets with a place, 2 admitted');
    // The ticket admitted offline was sent once: scanning it online now says so.
    expect(await paste(page, b!)).toBe('Already admitted');
    expect(await paste(page, c!)).toBe('Admitted');
    // Closing the door leaves nothing of it on the phone.
    await page.locator('#door-close').click();
    expect(await page.evaluate(() => localStorage.getItem('lcc-door'))).toBeNull();
    await context.close();
  });

  it('Arabic, right to left; a card-holders event without RSVP admits on a valid card', async () => {
    const ev = (await createEvent(t, organiser, { rsvp: 'none', capacity: undefined, access: 'card-holders' })).id;
    const c = (await t.app.inject({ method: 'POST', url: `/v1/events/${ev}/door-code`, headers: bearer(organiser) })).json().code;
    const card = await issue(t, await enrol(t));
    const context = await browser.newContext({ locale: 'ar', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${base}/verify`);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.locator('#door summary').click();
    await page.getByLabel('رمز الباب').fill(c);
    await page.getByRole('button', { name: 'افتح الباب' }).click();
    await page.locator('#door-opened:not([hidden])').waitFor();
    expect(await paste(page, card.qr)).toBe('بطاقة صالحة: مسموح بالدخول');
    expect(await admitted(ev)).toBe(1);
    expect(await paste(page, 'LCT1.x.y')).toBe('غير صالحة لهذه الفعالية');
    await screens(page, 'verify-door-ar');
    await context.close();
  });
});
