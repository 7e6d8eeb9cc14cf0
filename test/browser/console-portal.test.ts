/**
 * The clerk console (/console) and the resident portal (/me) in headless
 * Chromium (Debian's, via playwright-core). One person's whole path: a clerk
 * enrols a resident with an Arabic name and no gender, photographs them with
 * the (fake) laptop camera, issues the card and downloads its PDF; the
 * resident claims the card in the portal in Arabic, downloads it, reads their
 * data and erases themselves; the card then verifies as revoked.
 * Assertions are on what people see and on what the browser keeps.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { fakeCameraVideo, firstLoadBytes, launch, listen, screens } from './pages-helpers.js';

const NAME = 'أمينة حداد';
const PIN = '824613';

let t: TestContext;
let base: string;
let dir: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  base = await listen(t);
  dir = mkdtempSync(join(tmpdir(), 'lcc-console-'));
  browser = await launch(await fakeCameraVideo(dir));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function saved(download: Promise<Download>, name: string): Promise<string> {
  const path = join(dir, name);
  await (await download).saveAs(path);
  return path;
}

function pdfInfo(path: string): { pages: number; size: string } {
  const out = execFileSync('pdfinfo', [path]).toString();
  return { pages: Number(/Pages:\s+(\d+)/.exec(out)?.[1]), size: /Page size:\s+(.+)/.exec(out)?.[1] ?? '' };
}

/** Nothing about the resident may stay in the browser: no storage, no URL, no title. */
async function leavesNoTrace(page: Page, path: string) {
  const kept = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, title: document.title }));
  expect(kept).toMatchObject({ local: 0, session: 0, cookie: '' });
  expect(kept.title).not.toContain(NAME);
  expect(new URL(page.url()).pathname + new URL(page.url()).search + new URL(page.url()).hash).toBe(path);
}

describe('console and portal', () => {
  it('first loads are light', async () => {
    const console_ = await firstLoadBytes(browser, `${base}/console`);
    const portal = await firstLoadBytes(browser, `${base}/me`);
    console.log(`first load: /console ${(console_.bytes / 1024).toFixed(1)} KB in ${console_.requests} requests; /me ${(portal.bytes / 1024).toFixed(1)} KB in ${portal.requests} requests`);
    // A sanity cap, not a budget: a page that pulled in a framework or a font would cross it.
    expect(console_.bytes).toBeLessThan(150 * 1024);
    expect(portal.bytes).toBeLessThan(150 * 1024);
  });

  it('a clerk enrols and issues; the resident claims in Arabic, downloads, reads and erases; the card is then revoked', async () => {
    // --- Clerk, on a laptop, in English.
    const clerk = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, permissions: ['camera'], acceptDownloads: true });
    const page = await clerk.newPage();
    await page.goto(`${base}/console`);
    await page.getByLabel('Username').fill('clerk');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Find a resident' }).waitFor();

    await page.getByRole('navigation').getByRole('button', { name: 'Enrol' }).click();
    await page.getByRole('heading', { name: 'Enrol a resident' }).waitFor();
    await page.getByLabel('Name on the card').fill(NAME);
    await page.getByLabel('Name in the original script').fill(NAME);
    await page.getByLabel('Transliteration').fill('Amina Haddad');
    await page.getByLabel('Date of birth', { exact: false }).first().fill('1990-04');
    await page.getByLabel('Preferred language').selectOption('ar');
    await page.locator('input[name="languages"][value="ar"]').check();
    await page.locator('input[name="languages"][value="fr"]').check();
    // Every gender field is optional and stays empty.
    expect(await page.getByLabel('Gender, in the person\'s own words').inputValue()).toBe('');
    await page.getByLabel('Consular identity card').check();
    await page.getByLabel('Letter from an accredited shelter or NGO').check();
    await page.getByText('Identity: 3 of 3 points ✓').waitFor();
    await page.getByText('Residency: 1 of 1 point ✓').waitFor();
    await page.getByRole('button', { name: 'Save the record' }).click();

    await page.getByRole('heading', { name: `Resident: ${NAME}` }).waitFor();
    expect(await page.locator('dl.facts').first().textContent()).toContain('Amina Haddad');

    // The photo through the fake camera, cropped to 4:5, saved.
    await page.getByRole('button', { name: 'Use the camera' }).click();
    await page.waitForFunction(() => (document.querySelector('video.camera') as HTMLVideoElement | null)?.videoWidth! > 0);
    await page.getByRole('button', { name: 'Take the photo' }).click();
    await page.locator('canvas.crop').focus();
    await page.keyboard.press('+');
    await page.keyboard.press('ArrowUp');
    const photoPut = page.waitForResponse((r) => r.url().endsWith('/photo') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save the photo' }).click();
    expect((await photoPut).status()).toBe(200);
    await page.getByRole('img', { name: 'Card photo' }).waitFor();

    // Issue: the receipt with the one-time code, in the resident's language.
    const issuedRes = page.waitForResponse((r) => /\/v1\/residents\/[^/]+\/cards$/.test(r.url()) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Issue the card' }).click();
    const issued = (await (await issuedRes).json()) as { number: string; claimCode: string; qr: string };
    const receipt = page.locator('#receipt');
    await receipt.waitFor();
    expect(await receipt.getAttribute('dir')).toBe('rtl');
    expect(await receipt.locator('[data-claim-code]').textContent()).toBe(issued.claimCode);
    expect(await receipt.textContent()).toContain(issued.number);
    expect(await receipt.textContent()).not.toContain(NAME); // a lost slip names no one

    // The PDF: previewed in the page, downloaded, a real two-page ID-1 card.
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('iframe.pdf-frame').waitFor();
    const clerkDl = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the PDF' }).click();
    const pdfPath = await saved(clerkDl, 'clerk-card.pdf');
    const info = pdfInfo(pdfPath);
    expect(info.pages).toBe(2);
    expect(info.size).toMatch(/^242\.\d+ x 153\.\d+ pts/);
    await screens(page, 'console-resident');
    await leavesNoTrace(page, '/console');
    await clerk.close();

    // --- Resident, on a phone, in Arabic.
    const phone = await browser.newContext({ locale: 'ar', viewport: { width: 360, height: 740 }, acceptDownloads: true, isMobile: true, hasTouch: true });
    const me = await phone.newPage();
    await me.goto(`${base}/me`);
    expect(await me.evaluate(() => [document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.body).direction])).toEqual(['ar', 'rtl', 'rtl']);
    await me.locator('input[name="claim-number"]').fill(issued.number);
    await me.locator('input[name="claim-code"]').fill(issued.claimCode);
    await me.locator('input[name="new-pin"]').fill(PIN);
    await me.locator('input[name="new-pin-again"]').fill(PIN);
    await me.locator('input[name="new-pin-again"]').press('Enter');
    await me.locator('#data-h').waitFor();
    await me.locator('dl.facts').getByText(NAME).first().waitFor();
    await screens(me, 'portal-data-ar');

    await me.locator('#card-lang').selectOption('ar');
    const cardDl = me.waitForEvent('download');
    await me.locator('#card-h').locator('xpath=..').getByRole('button').click();
    const mine = pdfInfo(await saved(cardDl, 'my-card.pdf'));
    expect(mine.pages).toBe(2);

    const jsonDl = me.waitForEvent('download');
    await me.locator('#data-h').locator('xpath=..').getByRole('button').last().click();
    const data = JSON.parse(readFileSync(await saved(jsonDl, 'my-data.json'), 'utf8'));
    expect(data.resident.names.printed).toBe(NAME);
    expect(data.resident.gender).toEqual({ printMarker: false });

    // Erase: a clear statement of what happens, a ticked box, then the button.
    await me.locator('#erase-h').locator('xpath=..').getByRole('button').first().click();
    const confirmBox = me.locator('#erase-confirm');
    expect(await confirmBox.textContent()).toContain(issued.number);
    const erase = confirmBox.getByRole('button').first();
    expect(await erase.isDisabled()).toBe(true);
    await confirmBox.getByRole('checkbox').check();
    const deleted = me.waitForResponse((r) => r.url().endsWith('/v1/self') && r.request().method() === 'DELETE');
    await erase.click();
    expect((await deleted).status()).toBe(204);
    await me.locator('input[name="claim-number"]').waitFor();
    await leavesNoTrace(me, '/me');
    await phone.close();

    // The card now checks as revoked (the trust store refreshes every 2 s).
    await new Promise((r) => setTimeout(r, 2100));
    const check = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: t.auth('official'), payload: { qr: issued.qr } });
    expect(check.json().result).toBe('revoked');
  }, 80_000);
});
