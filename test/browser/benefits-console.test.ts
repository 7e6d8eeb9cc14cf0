/**
 * The administrators' benefits screen in Chromium: create a partner
 * organisation that accepts the card as ID, see its texts previewed in each
 * language (a missing one falls back to the city's, and says so), add an
 * offer, edit it, retire it; "Confirm today" on a place last confirmed long
 * ago; a service key and a partner_service account tied to the
 * organisation. Then the screen in Arabic at 360 px.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, createTestApp, type TestContext } from '../helpers/app.js';
import { createPartner } from '../api/benefits-fixtures.js';
import { axe, launch, listen, screens } from './pages-helpers.js';

let t: TestContext;
let browser: Browser;
let base: string;
let oldBank: string;
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date() });
  oldBank = (await createPartner(t, { name: 'Caisse du Port', category: 'finance', acceptsCardAsId: true })).id;
  // Confirmed with the city long ago.
  await t.database.db.execute(sql`update benefit_partners set acceptance_confirmed_on = '2024-05-02' where id = ${oldBank}`);
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
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${base}/console`);
  await page.locator('input[autocomplete=username]').fill('admin');
  await page.locator('input[type=password]').fill(TEST_PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.locator('nav.tabs button').first().waitFor();
  return page;
}

const api = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: t.auth('admin') })).json();
const today = () => new Intl.DateTimeFormat('en-u-nu-latn', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date());

describe('console: benefits for administrators', () => {
  it('partner, offer with previews, edit, retire; confirm accepted-as-ID today; keys and accounts tied to the organisation', async () => {
    const page = await signIn('en-GB', 1280);
    await page.getByRole('button', { name: 'Benefits' }).click();
    await page.getByRole('heading', { level: 1, name: 'Benefits: partners and offers' }).waitFor();

    // The old confirmation is flagged; "Confirm today" records today.
    const old = page.locator(`.accepted-table tr[data-partner="${oldBank}"]`);
    expect(await old.locator('.confirmed-on').textContent()).toBe('May 2, 2024more than a year ago');
    await old.getByRole('button', { name: 'Confirm today Caisse du Port' }).click();
    await page.getByText('Confirmed today: Caisse du Port.').first().waitFor();
    expect(await page.locator(`.accepted-table tr[data-partner="${oldBank}"] .confirmed-on`).textContent()).toBe(today());

    // A new partner organisation, previewed in each language as it is typed.
    const form = page.locator('form.partner-form');
    await form.getByLabel('Name', { exact: true }).fill('Banque du Rhin');
    await form.getByLabel('Category').selectOption({ label: 'Bank and finance' });
    await form.getByLabel('Description (Français)').fill('Un compte pour chaque résident');
    await form.getByLabel('Description (العربية)').fill('حساب لكل مقيم');
    await form.getByLabel('Street and number').fill('8 rue du Dôme');
    await form.getByLabel('Postcode').fill('67000');
    await form.getByLabel('Town').fill('Testville');
    await form.getByLabel('Latitude').fill('48.5822');
    await form.getByLabel('Longitude').fill('7.7490');
    await form.getByLabel('Opening hours').fill('Mo-Fr 09:00-12:00');
    await form.getByLabel('Languages spoken at the counter').fill('fr, ar');
    await form.getByLabel('Phone').fill('+33 3 88 00 00 00');
    await form.getByLabel('Accepts the card as ID').check();
    expect(await form.locator('.preview[data-lang=ar] .preview-text').textContent()).toBe('حساب لكل مقيم');
    expect(await form.locator('.preview[data-lang=ar]').getAttribute('dir')).toBe('rtl');
    // No Spanish: Spanish readers get the city's language (French in the test city), and the screen says so.
    expect(await form.locator('.preview[data-lang=es] .preview-text').textContent()).toBe('Un compte pour chaque résident');
    expect(await form.locator('.preview[data-lang=es]').textContent()).toContain('Not written in this language: residents see the Français text.');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Created: Banque du Rhin.').first().waitFor();
    const bank = (await api('/v1/partners?q=Rhin')).items[0];
    expect(bank).toMatchObject({ name: 'Banque du Rhin', category: 'finance', acceptsCardAsId: true, hours: 'Mo-Fr 09:00-12:00', languages: ['fr', 'ar'], addresses: [{ line1: '8 rue du Dôme', postalCode: '67000', locality: 'Testville', lat: 48.5822, lon: 7.749 }], description: { fr: 'Un compte pour chaque résident', ar: 'حساب لكل مقيم' } });
    const row = page.locator(`.accepted-table tr[data-partner="${bank.id}"]`);
    expect(await row.locator('.confirmed-on').textContent()).toBe(today());

    // An offer, previewed in the five languages.
    await page.locator(`.partners-table tr[data-partner="${bank.id}"]`).getByRole('button', { name: 'Offers Banque du Rhin' }).click();
    await page.getByRole('heading', { level: 2, name: 'Offers of Banque du Rhin' }).waitFor();
    const offer = page.locator('form.offer-form');
    await offer.getByLabel('Title (English)').fill('Free account');
    await offer.getByLabel('Title (Français)').fill('Compte sans frais');
    await offer.getByLabel('Title (العربية)').fill('حساب بدون رسوم');
    await offer.getByLabel('Kind').selectOption({ label: 'Discount' });
    await offer.getByLabel('How often per holder').selectOption({ label: 'Once per card' });
    await offer.getByLabel('Minimum age').fill('18');
    const previewTitles = await offer.locator('.preview .preview-title').allTextContents();
    // The test city's language is French: Spanish and Portuguese readers get the French title, and the screen says so.
    expect(previewTitles).toEqual(['Free account', 'Compte sans frais', 'Compte sans frais', 'Compte sans frais', 'حساب بدون رسوم']);
    expect(await offer.locator('.preview[data-lang=pt]').textContent()).toContain('Not written in this language: residents see the Français text.');
    expect(await offer.locator('.preview[data-lang=fr]').textContent()).not.toContain('Not written');
    await offer.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Created: Free account.').first().waitFor();
    const [created] = (await api(`/v1/offers?partner=${bank.id}`)).items;
    expect(created).toMatchObject({ title: { en: 'Free account', fr: 'Compte sans frais', ar: 'حساب بدون رسوم' }, kind: 'discount', limit: { per: 'once' }, ageMin: 18, ageMax: null });

    // Edit: a Spanish title, and the age rule cleared.
    const offerRow = page.locator(`.offers-table tr[data-offer="${created.id}"]`);
    await offerRow.getByRole('button', { name: 'Edit Free account' }).click();
    await page.getByRole('heading', { level: 3, name: 'Edit the offer' }).waitFor();
    const edit = page.locator('form.offer-form');
    expect(await edit.getByLabel('Title (Français)').inputValue()).toBe('Compte sans frais');
    await edit.getByLabel('Title (Español)').fill('Cuenta sin comisiones');
    await edit.getByLabel('Minimum age').fill('');
    expect(await edit.locator('.preview[data-lang=es] .preview-title').textContent()).toBe('Cuenta sin comisiones');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved: Free account.').first().waitFor();
    expect((await api(`/v1/offers?partner=${bank.id}`)).items[0]).toMatchObject({ title: { es: 'Cuenta sin comisiones' }, ageMin: null });

    // Retire the offer: it leaves the directory.
    await page.locator(`.offers-table tr[data-offer="${created.id}"]`).getByRole('button', { name: 'Retire Free account' }).click();
    await page.getByText('No current offer.').waitFor();
    expect((await api(`/v1/offers?partner=${bank.id}`)).total).toBe(0);

    // A service key of the organisation, and a partner_service account tied to it.
    await page.getByRole('button', { name: 'Service keys' }).click();
    await page.locator('#new-key-organisation').selectOption({ label: 'Banque du Rhin' });
    await page.locator('form').getByLabel('Name').fill('Rhin counter');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#new-secret').waitFor();
    const key = (await api('/v1/service-keys')).items.find((k: { name: string }) => k.name === 'Rhin counter');
    expect(key.partnerId).toBe(bank.id);
    expect(await page.locator('tr', { hasText: 'Rhin counter' }).locator('.organisation').textContent()).toBe('Banque du Rhin');
    await page.getByRole('button', { name: 'Staff' }).click();
    await page.locator('input[name=new-username]').fill('rhin.desk');
    await page.locator('input[name=new-password]').fill('a long enough password');
    await page.locator('#new-role').selectOption('partner_service');
    await page.locator('#new-organisation').selectOption({ label: 'Banque du Rhin' });
    await page.locator('form').getByRole('button', { name: 'Create' }).click();
    await page.locator('tr', { hasText: 'rhin.desk' }).waitFor();
    const desk = (await api('/v1/staff')).items.find((s: { username: string }) => s.username === 'rhin.desk');
    expect(desk).toMatchObject({ role: 'partner_service', partnerId: bank.id });
    expect(await page.locator(`#org-${desk.id}`).inputValue()).toBe(bank.id);

    // Retire the partner: it leaves both lists.
    await page.getByRole('button', { name: 'Benefits' }).click();
    await page.locator(`.partners-table tr[data-partner="${bank.id}"]`).getByRole('button', { name: 'Retire Banque du Rhin' }).click();
    await page.getByText('Retired: Banque du Rhin.').first().waitFor();
    expect(await page.locator(`tr[data-partner="${bank.id}"]`).count()).toBe(0);
    expect((await api('/v1/partners?q=Rhin')).total).toBe(0);
    const { violations } = await axe(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), JSON.stringify(violations)).toEqual([]);
    await page.context().close();
  });

  it('in Arabic at 360 px: right to left, nothing wider than the screen', async () => {
    const page = await signIn('ar', 360);
    await page.getByRole('button', { name: 'المزايا' }).click();
    await page.getByRole('heading', { level: 1, name: 'المزايا: الشركاء والعروض' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'مقبولة كوثيقة هوية' }).waitFor();
    // The list loads after its heading: wait for the row, not a count taken at once.
    await page.locator(`.accepted-table tr[data-partner="${oldBank}"]`).getByRole('button', { name: 'أكّد اليوم' }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    await page.locator('form.partner-form').getByLabel('الوصف (English)').fill('The harbour bank');
    // Neither Arabic nor French (the city's language): the first text written.
    expect(await page.locator('.preview[data-lang=ar]').textContent()).toContain('غير مكتوب بهذه اللغة: يرى المقيمون النص بـEnglish.');
    expect(await page.locator('.preview[data-lang=ar] .preview-text').getAttribute('dir')).toBe('ltr');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await screens(page, 'console-benefits-ar');
    await page.context().close();
  });
});
