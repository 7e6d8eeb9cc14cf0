/**
 * The card for the road in the portal (issue 19), Chromium at 360 px: the
 * holder adds an emergency contact and the "rights and help" panel, downloads
 * the card again and finds them printed (PDF text, a third page); removes the
 * contact and it is gone from the next card; the same screen in Arabic reads
 * right to left.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { holder, type Holder } from '../api/events-fixtures.js';
import { normalise, pageSizes, pageText } from '../unit/pdf/helpers.js';
import { launch, listen, screens } from './pages-helpers.js';

let t: TestContext;
let browser: Browser;
let base: string;
let dir: string;
let a: Holder;
let b: Holder;

beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date() });
  a = await holder(t, 'Road Holder A');
  b = await holder(t, 'Road Holder B');
  dir = mkdtempSync(join(tmpdir(), 'lcc-road-'));
  base = await listen(t);
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(h: Holder, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 360, height: 740 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${base}/me`);
  const form = page.locator('form').filter({ has: page.locator('input[name=login-number]') });
  await form.locator('input[name=login-number]').fill(h.number);
  await form.locator('input[name=pin]').fill('583920');
  await form.locator('button[type=submit]').click();
  await page.locator('#road-h').waitFor();
  return page;
}

async function downloadCard(page: Page, name: string): Promise<Buffer> {
  const dl = page.waitForEvent('download');
  await page.locator('#card-h').locator('xpath=..').getByRole('button').click();
  const path = join(dir, name);
  await (await dl).saveAs(path);
  return readFileSync(path);
}

describe('portal: the card for the road, 360 px', () => {
  it('adds an emergency contact and the rights panel, prints them on the next card, then removes the contact', { timeout: 90_000 }, async () => {
    let page = await signIn(a, 'en-GB');
    let road = page.locator('#road-h').locator('xpath=..');
    // The card's language defaults to the holder's preferred one (Portuguese), the page stays in English.
    expect(await page.locator('#card-lang').inputValue()).toBe('pt');
    const before = await downloadCard(page, 'before.pdf');
    expect(pageSizes(before)).toHaveLength(2);
    expect(normalise(pageText(before, 2))).not.toContain('Samira');

    await road.getByLabel('Emergency contact: name').fill('Samira Benali');
    await road.getByLabel('Emergency contact: phone').fill('+33 6 12 34 56 78');
    await road.getByLabel('Print the emergency contact on my card').check();
    await road.getByLabel('Print the “rights and help” panel on my card').check();
    await road.getByRole('button', { name: 'Save my choices' }).click();
    await road.getByText('Saved. Download your card again to print it.').waitFor();

    const after = await downloadCard(page, 'after.pdf');
    expect(pageSizes(after)).toHaveLength(3);
    const back = normalise(pageText(after, 2));
    expect(back).toContain('Samira Benali');
    expect(back.replace(/\s/g, '')).toContain('+33612345678');

    // Signed in again (the portal keeps its token in memory only), the screen shows what is kept; then the contact is removed.
    await page.context().close();
    page = await signIn(a, 'en-GB');
    road = page.locator('#road-h').locator('xpath=..');
    await expect.poll(() => road.getByLabel('Emergency contact: phone').inputValue()).toBe('+33 6 12 34 56 78');
    await road.getByRole('button', { name: 'Remove the emergency contact' }).click();
    await road.getByText('The emergency contact is removed. Download your card again.').waitFor();
    expect(await road.getByLabel('Emergency contact: phone').inputValue()).toBe('');
    const removed = await downloadCard(page, 'removed.pdf');
    expect(normalise(pageText(removed, 2))).not.toContain('Samira');
    // The rights panel stays as chosen.
    expect(pageSizes(removed)).toHaveLength(3);
    const data = (await t.app.inject({ url: '/v1/self/data', headers: { authorization: `Bearer ${a.token}` } })).json();
    expect(data.resident.emergencyContact).toBeUndefined();
  });

  it('a phone the service refuses gets an error and nothing is saved; Arabic reads right to left', async () => {
    const page = await signIn(b, 'ar');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const road = page.locator('#road-h').locator('xpath=..');
    await expect.poll(() => page.locator('#road-h').textContent()).toBe('بطاقة للطريق');
    await road.getByLabel('جهة الاتصال للطوارئ: الهاتف').fill('1'.repeat(30) + '2');
    // maxlength keeps the field at 30 characters: the page never sends more than the service takes.
    expect((await road.getByLabel('جهة الاتصال للطوارئ: الهاتف').inputValue()).length).toBe(30);
    await road.getByLabel('جهة الاتصال للطوارئ: الهاتف').fill('not a phone <b>');
    await road.getByRole('button', { name: 'احفظ اختياراتي' }).click();
    const error = road.locator('p.error');
    await error.waitFor();
    expect((await error.textContent())!.length).toBeGreaterThan(10);
    const data = (await t.app.inject({ url: '/v1/self/data', headers: { authorization: `Bearer ${b.token}` } })).json();
    expect(data.resident.emergencyContact).toBeUndefined();
    expect(data.resident.printRightsPanel ?? false).toBe(false);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await screens(page, 'portal-road-ar');
  });
});
