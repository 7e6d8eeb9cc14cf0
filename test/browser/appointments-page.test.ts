/**
 * /appointments in headless Chromium at 360 px (issue 18): a booking in
 * Spanish and one in Arabic (right-to-left), each ending with a reference,
 * a PIN and the documents to bring in that language; no contact is asked
 * without a reminder sender; nothing stays in the browser; the page is light.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createSite, movableClock, ZONE } from '../api/appointments-fixtures.js';
import { firstLoadBytes, launch, listen } from './pages-helpers.js';

const time = movableClock('2027-03-25T07:30:00+01:00');
let t: TestContext;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp({ clock: time.clock, env: { TIME_ZONE: ZONE } });
  await createSite(t);
  base = await listen(t);
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function bookIn(locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`${base}/appointments`);
  return page;
}

async function fitsWidth(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

describe('/appointments', () => {
  it('books in Spanish at 360 px: site, time, reference, PIN, documents in Spanish', async () => {
    const page = await bookIn('es-ES');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Pedir cita para su tarjeta');
    await expect.poll(() => page.getByText('Próxima plaza libre: jueves, 25 de marzo, 09:00.').count()).toBe(1);
    await expect.poll(() => page.getByText('Hoy: 6 plazas para personas sin cita.').count()).toBe(1);
    await fitsWidth(page);
    await page.getByRole('button', { name: 'Elegir este lugar' }).click();
    await page.getByRole('button', { name: '09:30 · quedan 3' }).click();
    // No reminder sender configured: no contact field.
    expect(await page.getByLabel('Correo electrónico para un recordatorio').count()).toBe(0);
    await fitsWidth(page);
    await page.getByRole('button', { name: 'Reservar' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Su cita está reservada');
    expect(await page.getByTestId('reference').textContent()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await page.getByTestId('pin').textContent()).toMatch(/^\d{6}$/);
    expect(await page.getByText('Matrícula consular — identidad 3, residencia 0').count()).toBe(1);
    expect(await page.getByText('Cuándo: jueves, 25 de marzo, 09:30').count()).toBe(1);
    await fitsWidth(page);
    const kept = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
    expect(kept).toEqual({ local: 0, session: 0, cookie: '' });
    expect(new URL(page.url()).pathname).toBe('/appointments');
    await page.context().close();
  });

  it('books in Arabic, right to left, and the booking is read back and cancelled with its PIN', async () => {
    const page = await bookIn('ar');
    await expect.poll(() => page.locator('h1').textContent()).toBe('احجز موعدًا لبطاقتك');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByRole('button', { name: 'اختر هذا المكان' }).click();
    await page.getByRole('button', { name: /^10:00/ }).click();
    await page.getByRole('button', { name: 'احجز', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('تم حجز موعدك');
    expect(await page.getByText('بطاقة هوية قنصلية — هوية 3، إقامة 0').count()).toBe(1);
    await fitsWidth(page);
    const reference = (await page.getByTestId('reference').textContent())!;
    const pin = (await page.getByTestId('pin').textContent())!;
    const api = await t.app.inject({ method: 'GET', url: `/v1/appointments/${reference}`, headers: { 'appointment-pin': pin } });
    expect(api.json()).toMatchObject({ status: 'confirmed', start: '2027-03-25T10:00:00+01:00', language: 'ar' });
    await page.getByRole('button', { name: 'رجوع' }).click();
    await page.getByLabel('المرجع').fill(reference);
    await page.getByLabel('رمز PIN').fill(pin);
    await page.getByRole('button', { name: 'اعرض' }).click();
    await page.getByRole('button', { name: 'ألغِ هذا الموعد' }).click();
    await expect.poll(() => page.getByText('أُلغي موعدك. المكان متاح لشخص آخر.').count()).toBe(1);
    expect((await t.app.inject({ method: 'GET', url: `/v1/appointments/${reference}`, headers: { 'appointment-pin': pin } })).statusCode).toBe(404);
    await page.context().close();
  });

  it('is light on a slow line', async () => {
    const { bytes, requests } = await firstLoadBytes(browser, `${base}/appointments`);
    expect(requests).toBeLessThanOrEqual(5);
    expect(bytes).toBeLessThan(40_000);
  });
});
