/**
 * /offers in Chromium at 360 px, in French and in Arabic (right to left):
 * the offers in the reader's language with no account, 50 at a time, the
 * category filter, and the places that accept the card as ID with their
 * confirmation date.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createOffer, createPartner } from '../api/benefits-fixtures.js';
import { axe, launch, listen, screens } from './pages-helpers.js';

let t: TestContext;
let browser: Browser;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date('2027-03-10T09:00:00Z') });
  const museum = (await createPartner(t)).id;
  await createOffer(t, museum, { title: { fr: 'Entrée gratuite au musée', ar: 'دخول مجاني إلى المتحف', en: 'Free museum entry' }, ageMin: 18, limit: { per: 'year' } });
  const bank = (await createPartner(t, { name: 'Banque du Rhin', category: 'finance', acceptsCardAsId: true, languages: ['fr', 'ar'] })).id;
  await createOffer(t, bank, { title: { fr: 'Compte sans frais', ar: 'حساب بدون رسوم', en: 'Free account' }, kind: 'discount', limit: { per: 'once' } });
  const pool = (await createPartner(t, { name: 'Piscine du Wacken', category: 'sport' })).id;
  for (let i = 0; i < 52; i++) await createOffer(t, pool, { title: { en: `Swim ${String(i).padStart(2, '0')}` }, kind: 'discount', limit: { per: 'month' } });
  base = await listen(t);
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
});

describe('/offers at 360 px', () => {
  it.each([
    ['fr', 'ltr', 'Offres de la carte', 'Entrée gratuite au musée', 'Compte sans frais', 'Où la carte est acceptée comme pièce d’identité', 'Confirmé le 10 mars 2027', 'Une fois par an', 'Afficher plus', 'Banque et finance'],
    ['ar', 'rtl', 'عروض البطاقة', 'دخول مجاني إلى المتحف', 'حساب بدون رسوم', 'أين تُقبل البطاقة كوثيقة هوية', 'تم التأكيد في', 'مرة في السنة', 'عرض المزيد', 'بنوك ومالية'],
  ])('%s: offers with no account, 50 at a time, a filter, and where the card is accepted', async (lang, dir, heading, museum, bank, accepted, confirmed, yearly, more, finance) => {
    const context = await browser.newContext({ locale: lang, viewport: { width: 360, height: 740 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/offers`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.getByRole('heading', { level: 3, name: bank }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, dir]);
    // 54 offers, 50 shown first; the rest on demand.
    expect(await page.locator('.offer').count()).toBe(50);
    await page.getByRole('button', { name: more }).click();
    await page.locator('.offer').nth(53).waitFor();
    expect(await page.getByRole('button', { name: more }).count()).toBe(0);
    const museumCard = page.locator('.offer', { has: page.getByRole('heading', { name: museum }) });
    expect(await museumCard.textContent()).toContain(yearly);
    // The places that accept the card as ID, with the date the city confirmed it.
    await page.getByRole('heading', { level: 2, name: accepted }).waitFor();
    const place = page.locator('.place');
    expect(await place.count()).toBe(1);
    expect(await place.textContent()).toContain('Banque du Rhin');
    expect(await place.textContent()).toContain(confirmed);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    if (dir === 'rtl') {
      const h3 = page.locator('.offer h3').first();
      expect(await h3.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
      const box = await h3.boundingBox();
      expect(box!.x + box!.width).toBeGreaterThan(300);
    }
    await screens(page, `offers-${lang}`);
    await page.setViewportSize({ width: 360, height: 740 });
    // The category filter asks the server again.
    await page.locator('#category').selectOption({ label: finance });
    await page.locator('.offer').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.offer').length === 1);
    expect(await page.locator('.offer h3').textContent()).toBe(bank);
    const { violations } = await axe(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), JSON.stringify(violations)).toEqual([]);
    await context.close();
  });
});
