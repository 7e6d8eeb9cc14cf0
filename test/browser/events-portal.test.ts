/**
 * The portal's Welcoming Week panel in Chromium at 360 px, in Portuguese: a
 * holder on the waiting list sees "waiting list, position 1"; one with a
 * place sees "you have a place" and a ticket QR that, decoded from the
 * picture, the door admits; a holder asks for a place at another event.
 */
import sharp from 'sharp';
import jsQRModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { bearer, createEvent, holder, staffToken, type Holder } from '../api/events-fixtures.js';
import { launch, listen, screens } from './pages-helpers.js';

type JsQR = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQR = (jsQRModule as unknown as { default?: JsQR }).default ?? (jsQRModule as unknown as JsQR);

let t: TestContext;
let browser: Browser;
let base: string;
let organiser: string;
let door: string;
let first: string;
let second: string;
let a: Holder;
let b: Holder;
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date() });
  organiser = await staffToken(t, 'organiser');
  door = await staffToken(t, 'door');
  const at = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
  first = (await createEvent(t, organiser, { capacity: 1, access: 'open', startsAt: at(5), endsAt: at(7) })).id;
  second = (await createEvent(t, organiser, { title: { en: 'Music of the world', pt: 'Músicas do mundo' }, category: 'music', capacity: 20, access: 'open', startsAt: at(30), endsAt: at(32) })).id;
  a = await holder(t, 'Portal Holder A');
  b = await holder(t, 'Portal Holder B');
  for (const h of [a, b]) await t.app.inject({ method: 'POST', url: `/v1/self/events/${first}/rsvp`, headers: bearer(h.token) });
  base = await listen(t);
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
});

async function signIn(h: Holder): Promise<Page> {
  const context = await browser.newContext({ locale: 'pt-BR', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(`${base}/me`);
  const form = page.locator('form').filter({ has: page.locator('input[name=login-number]') });
  await form.locator('input[name=login-number]').fill(h.number);
  await form.locator('input[name=pin]').fill('583920');
  await form.locator('button[type=submit]').click();
  await page.locator('#events-h').waitFor();
  return page;
}

describe('portal: Welcoming Week places, pt, 360 px', () => {
  it('waiting list, position 1; asking for a place at another event', async () => {
    const page = await signIn(b);
    const mine = page.locator(`.event-place[data-event="${first}"]`);
    await mine.waitFor();
    expect(await mine.locator('.rsvp-state').textContent()).toBe('Lista de espera, posição 1');
    expect(await mine.getByRole('button', { name: 'Mostrar o meu ingresso' }).count()).toBe(0);
    await page.locator(`.event-offer[data-event="${second}"] button`).click();
    await page.locator(`.event-place[data-event="${second}"]`).waitFor();
    expect(await page.locator(`.event-place[data-event="${second}"] .rsvp-state`).textContent()).toBe('Você tem um lugar');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it('you have a place, with a ticket QR the door admits; giving it up moves the waiting list', async () => {
    const page = await signIn(a);
    const mine = page.locator(`.event-place[data-event="${first}"]`);
    await mine.waitFor();
    expect(await mine.locator('.rsvp-state').textContent()).toBe('Você tem um lugar');
    await mine.getByRole('button', { name: 'Mostrar o meu ingresso' }).click();
    const img = mine.locator('img.qr');
    await img.waitFor();
    expect(await mine.locator('.countdown').textContent()).toMatch(/Válido por 1[45]:\d\d/);
    await screens(page, 'portal-events-pt');
    // Decode the picture itself, not the attribute.
    const src = (await img.getAttribute('src'))!;
    const svg = decodeURIComponent(src.slice(src.indexOf(',') + 1));
    const { data, info } = await sharp(Buffer.from(svg), { density: 300 }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const read = jsQR(new Uint8ClampedArray(data), info.width, info.height);
    expect(read?.data).toMatch(/^LCT1\./);
    expect(read!.data).toBe(await img.getAttribute('data-qr'));
    const payload = JSON.parse(Buffer.from(read!.data.split('.')[1]!, 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['e', 'exp', 't']);
    const admit = await t.app.inject({ method: 'POST', url: `/v1/events/${first}/check-ins`, headers: bearer(door), payload: { qr: read!.data } });
    expect(admit.statusCode).toBe(201);

    await mine.getByRole('button', { name: 'Desistir do meu lugar' }).click();
    await page.locator('section[aria-labelledby=events-h] p[role=status]', { hasText: 'Feito: já não tem lugar em Cozinhar juntos.' }).waitFor();
    const bNow = ((await t.app.inject({ url: '/v1/self/events', headers: bearer(b.token) })).json().items as Array<{ event: { id: string }; status: string }>).find((i) => i.event.id === first);
    expect(bNow?.status).toBe('confirmed');
    await page.context().close();
  });
});
