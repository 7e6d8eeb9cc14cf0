/**
 * The portal's offers panel in Chromium at 360 px, in Arabic and in French:
 * offers in the holder's language (else the city's, said so), by category,
 * with the partner's address and hours; "near" a place typed by the holder,
 * matched against the partners' own addresses and ranked by distance — and
 * the typed text is in no request, no storage and no URL.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createOffer, createPartner } from '../api/benefits-fixtures.js';
import { holder, type Holder } from '../api/events-fixtures.js';
import { axe, launch, listen, screens } from './pages-helpers.js';

let t: TestContext;
let browser: Browser;
let base: string;
let h: Holder;
const place = (line1: string, postalCode: string, locality: string, lat?: number, lon?: number) => ({ line1, postalCode, locality, ...(lat !== undefined ? { lat, lon } : {}) });
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date() });
  const museum = await createPartner(t, { name: 'Musée des Beaux-Arts', category: 'culture', addresses: [place('2 place du Château', '67000', 'Testville', 48.5811, 7.7519)], hours: 'We-Mo 10:00-18:00' });
  const library = await createPartner(t, { name: 'Médiathèque Kuhn', category: 'library', addresses: [place('5 rue Kuhn', '67000', 'Testville', 48.585, 7.736)], hours: 'Tu-Sa 10:00-19:00' });
  const clinic = await createPartner(t, { name: 'Centre de santé Neudorf', category: 'health', addresses: [place('12 avenue de Colmar', '67100', 'Neudorf', 48.558, 7.76)], hours: 'Mo-Fr 08:00-17:00' });
  const far = await createPartner(t, { name: 'Piscine d’Illkirch', category: 'sport', addresses: [place('Route de Lyon', '67400', 'Illkirch', 48.53, 7.715)], hours: 'Mo-Su 09:00-21:00' });
  const bank = await createPartner(t, { name: 'Banque du Rhin', category: 'finance', addresses: [place('8 rue du Dôme', '67000', 'Testville')], hours: 'Mo-Fr 09:00-12:00' });
  await createOffer(t, museum.id, { title: { fr: 'Entrée gratuite au musée', ar: 'دخول مجاني إلى المتحف', en: 'Free museum entry' } });
  await createOffer(t, library.id, { title: { es: 'Carné de biblioteca gratis', fr: 'Carte de bibliothèque gratuite' }, kind: 'membership', limit: { per: 'once' } });
  await createOffer(t, clinic.id, { title: { fr: 'Bilan de santé gratuit', ar: 'فحص صحي مجاني', en: 'Free health check' }, kind: 'service', limit: { per: 'year' } });
  await createOffer(t, far.id, { title: { fr: 'Piscine à moitié prix', ar: 'المسبح بنصف السعر', en: 'Half-price pool' }, kind: 'discount', limit: { per: 'month' } });
  await createOffer(t, bank.id, { title: { fr: 'Compte sans frais', ar: 'حساب بدون رسوم', en: 'Free account' }, kind: 'discount', limit: { per: 'once' } });
  h = await holder(t, 'Offers Holder');
  base = await listen(t);
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
});

async function signIn(locale: string): Promise<{ page: Page; requests: Request[] }> {
  const context = await browser.newContext({ locale, viewport: { width: 360, height: 740 }, bypassCSP: true });
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  await page.goto(`${base}/me`);
  const form = page.locator('form').filter({ has: page.locator('input[name=login-number]') });
  await form.locator('input[name=login-number]').fill(h.number);
  await form.locator('input[name=pin]').fill('583920');
  await form.locator('button[type=submit]').click();
  await page.locator('#offers-h').waitFor();
  return { page, requests };
}

const titles = (page: Page) => page.locator('.portal-offer h3').allTextContents();

describe('portal: the card’s offers at 360 px', () => {
  it.each([
    {
      locale: 'ar', dir: 'rtl', heading: 'عروض بطاقتك', show: 'اعرض العروض', museum: 'دخول مجاني إلى المتحف', clinic: 'فحص صحي مجاني', bank: 'حساب بدون رسوم', pool: 'المسبح بنصف السعر',
      fallback: 'لم يُترجم بعد: معروض بـالفرنسية.', hours: 'ساعات العمل:', health: 'صحة', near: 'اعرض ما هو قريب', all: 'اعرض الكل', noMatch: 'لا يطابق أي عنوان شريك ما كتبته',
    },
    {
      locale: 'fr-FR', dir: 'ltr', heading: 'Les offres de votre carte', show: 'Afficher les offres', museum: 'Entrée gratuite au musée', clinic: 'Bilan de santé gratuit', bank: 'Compte sans frais', pool: 'Piscine à moitié prix',
      fallback: null, hours: 'Horaires :', health: 'Santé', near: 'Afficher ce qui est proche', all: 'Tout afficher', noMatch: 'Aucune adresse de partenaire ne correspond.',
    },
  ])('$locale: in the holder’s language, by category, near a typed place that never leaves the page', async (c) => {
    const { page, requests } = await signIn(c.locale);
    await page.getByRole('heading', { level: 2, name: c.heading }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe(c.dir);
    await page.getByText(c.show).click();
    await page.locator('.portal-offer').nth(4).waitFor();
    // The holder's language; the library wrote no Arabic: Arabic readers get French, the test city's language, and are told so.
    const libraryCard = 'Carte de bibliothèque gratuite';
    expect(await titles(page)).toEqual(expect.arrayContaining([c.museum, c.clinic, c.bank, c.pool, libraryCard]));
    const library = page.locator('.portal-offer', { hasText: libraryCard });
    expect(await library.locator('h3').getAttribute('lang')).toBe('fr');
    if (c.fallback) expect(await library.textContent()).toContain(c.fallback);
    else expect(await library.locator('.hint').count()).toBe(0);
    // The partner's address and hours.
    const museum = page.locator('.portal-offer', { hasText: c.museum });
    expect(await museum.locator('.address').textContent()).toContain('2 place du Château, 67000 Testville');
    expect(await museum.locator('.hours').textContent()).toBe(`${c.hours} We-Mo 10:00-18:00`);

    // By category.
    await page.locator('#offers-category').selectOption({ label: c.health });
    expect(await titles(page)).toEqual([c.clinic]);
    await page.locator('#offers-category').selectOption({ index: 0 });

    // Near a place typed by the holder: accents and case do not matter; nearest first, within 3 km; the far pool is out.
    const before = requests.length;
    const typed = 'CHATEAU testville';
    await page.locator('#offers-near').fill(typed);
    await page.getByRole('button', { name: c.near }).click();
    await page.waitForFunction(() => document.querySelectorAll('.portal-offer').length === 3);
    expect(await titles(page)).toEqual([c.museum, libraryCard, c.clinic]);
    expect(await page.locator('.portal-offer', { hasText: c.clinic }).locator('.address').textContent()).toMatch(/2[.,]6/);
    // A postcode: the bank has no coordinates but its address matches.
    await page.locator('#offers-near').fill('67000');
    await page.getByRole('button', { name: c.near }).click();
    await page.locator('.portal-offer', { hasText: c.bank }).waitFor();
    expect(await titles(page)).not.toContain(c.pool);
    await page.getByRole('button', { name: c.all }).click();
    await page.locator('.portal-offer').nth(4).waitFor();
    // A place no partner is at.
    await page.locator('#offers-near').fill('Zzyzx Road');
    await page.getByRole('button', { name: c.near }).click();
    await page.getByText(c.noMatch).waitFor();
    expect(await page.locator('.portal-offer').count()).toBe(5);

    // Nothing typed left the page: no request after the typing carries it (URL, headers, body), nothing is stored.
    expect(requests.length).toBe(before);
    for (const r of requests) {
      const sent = [r.url(), JSON.stringify(await r.allHeaders()), r.postData() ?? ''].join('\n').toLowerCase();
      for (const s of ['chateau', 'château', 'ch%c3%a2teau', '67000', 'zzyzx']) expect(sent).not.toContain(s);
    }
    // The directory itself was fetched without the holder's token.
    for (const r of requests.filter((r) => /\/v1\/(offers|partners)/.test(r.url()))) expect((await r.allHeaders()).authorization).toBeUndefined();
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie, location.href])).toEqual([0, 0, '', `${base}/me`]);

    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    if (c.dir === 'rtl') {
      const h3 = page.locator('.portal-offer h3').first();
      expect(await h3.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    }
    const { violations } = await axe(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), JSON.stringify(violations)).toEqual([]);
    await screens(page, `portal-offers-${c.locale}`);
    await page.context().close();
  });
});
