/**
 * The console's sliding session in Chromium (issue 15, item 6), with both
 * clocks under the test's hand: the server's injected clock and the page's
 * (Playwright's page.clock), moved forward together. A clerk who keeps
 * working for 20 minutes stays signed in, and keeps the session across a
 * reload and Back; a minute before the idle limit a warning offers to stay;
 * at the limit the session is revoked and a sign-in dialog covers the view,
 * and the enrolment being typed comes back whole after signing in again;
 * switching the language keeps what was typed; sign-out then reload shows
 * the sign-in page. Nothing of the form reaches the browser's storage.
 *
 * Secure cookie over http://127.0.0.1: Chromium counts loopback addresses
 * as secure origins and stores `Secure` and `__Secure-` cookies from them
 * (checked on Chromium 156 before writing this), so the test serves plain
 * http and production keeps the cookie's flags as they are.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { SESSION_COOKIE } from '../../src/modules/staff/staff-session-routes.js';
import { axe, launch, listen } from './pages-helpers.js';

const MIN = 60_000;
const STEP = 30_000;
let now = new Date('2027-03-01T08:00:00Z');
let t: TestContext;
let base: string;
let browser: Browser;
const open: BrowserContext[] = [];

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  base = await listen(t);
  browser = await launch();
}, 60_000);

afterAll(async () => {
  for (const c of open) await c.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

/** A desk's browser whose clock the test moves. */
async function desk(locale = 'en-GB', opts: { bypassCSP?: boolean } = {}): Promise<{ page: Page; context: BrowserContext; refreshes: number[] }> {
  // bypassCSP only where axe-core is injected (the app's CSP forbids inline scripts).
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, ...opts });
  open.push(context);
  const page = await context.newPage();
  await page.clock.install({ time: now });
  const refreshes: number[] = [];
  page.on('response', (r) => r.url().endsWith('/v1/auth/session/refresh') && refreshes.push(r.status()));
  await page.goto(`${base}/console`);
  return { page, context, refreshes };
}

/** Time passes at the desk and on the server alike, half a minute at a time. */
async function pass(page: Page, ms: number) {
  for (let done = 0; done < ms; done += STEP) {
    const step = Math.min(STEP, ms - done);
    now = new Date(now.getTime() + step);
    await page.clock.runFor(step);
  }
}

async function signIn(page: Page) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Username').fill('clerk');
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Find a resident' }).waitFor();
}

async function openEnrolment(page: Page) {
  await page.getByRole('navigation').getByRole('button').nth(1).click();
  await page.locator('input[name=printed]').waitFor();
}

/** Fills part of an enrolment the way a clerk would; returns what the fields must still say later. */
async function typeEnrolment(page: Page, name: string) {
  await page.locator('input[name=printed]').fill(name);
  await page.locator('input[name=legal]').fill(`${name} Legal`);
  await page.locator('input[name=birthDate]').fill('1990-04');
  await page.locator('#addr-address').check();
  await page.locator('input[name=line1]').fill('12 rue des Lilas');
  await page.locator('input[name=locality]').fill('Testville');
  await page.locator('select[name=preferredLanguage]').selectOption('pt');
  await page.locator('#ev-consular-id').check();
  await page.locator('#ev-shelter-letter').check();
}

async function expectEnrolment(page: Page, name: string) {
  expect(await page.locator('input[name=printed]').inputValue()).toBe(name);
  expect(await page.locator('input[name=legal]').inputValue()).toBe(`${name} Legal`);
  expect(await page.locator('input[name=birthDate]').inputValue()).toBe('1990-04');
  expect(await page.locator('#addr-address').isChecked()).toBe(true);
  expect(await page.locator('input[name=line1]').inputValue()).toBe('12 rue des Lilas');
  expect(await page.locator('input[name=locality]').isVisible()).toBe(true);
  expect(await page.locator('input[name=locality]').inputValue()).toBe('Testville');
  expect(await page.locator('select[name=preferredLanguage]').inputValue()).toBe('pt');
  expect(await page.locator('#ev-consular-id').isChecked()).toBe(true);
  expect(await page.locator('#ev-shelter-letter').isChecked()).toBe(true);
}

async function noStorage(page: Page) {
  expect(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }))).toEqual({ local: 0, session: 0, cookie: '' });
}

/** The desk's refresh cookie, as the browser keeps it (scripts in the page cannot read it). */
async function cookieOf(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
}
/** Asks the server directly whether a refresh token still works; only ever for a token that should be dead (a live one would be rotated away from the browser). */
const refreshWith = async (token: string) =>
  (await t.app.inject({ method: 'POST', url: '/v1/auth/session/refresh', headers: { cookie: `${SESSION_COOKIE}=${token}` }, remoteAddress: '10.9.9.9' })).statusCode;

describe('console session', () => {
  it('a clerk working for 20 minutes stays signed in, and a reload and Back keep the session', async () => {
    const { page, context, refreshes } = await desk();
    await signIn(page);
    refreshes.length = 0; // the page's try on load, before signing in, was refused (no cookie yet)
    const cookie = await cookieOf(context);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/v1/auth/session' });
    await openEnrolment(page);
    // A keystroke every minute for 20 minutes: past the 15-minute access token and the 15-minute idle limit.
    const field = page.locator('input[name=printed]');
    for (let minute = 1; minute <= 20; minute++) {
      await pass(page, MIN);
      await field.press('End');
      await field.pressSequentially(String(minute % 10));
      expect(await page.getByRole('dialog').count()).toBe(0);
      expect(await page.getByRole('alertdialog').count()).toBe(0);
    }
    expect(await field.inputValue()).toBe('12345678901234567890');
    expect(refreshes.length).toBeGreaterThan(0);
    expect(refreshes.every((s) => s === 200)).toBe(true);
    // The first cookie was exchanged: presenting it again would end the session, so it is not tried here.
    expect((await cookieOf(context))?.value).not.toBe(cookie?.value);

    // F5: the session comes back from the cookie, 20 minutes after sign-in.
    await page.reload();
    await page.getByRole('heading', { name: 'Find a resident' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    // Back, after leaving for another page.
    await page.goto(`${base}/me`);
    await page.goBack();
    await page.getByRole('heading', { name: 'Find a resident' }).waitFor();
    // And the session works: a search goes through.
    await page.getByLabel('Name or card number').fill('Nobody Here');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('No one found.', { exact: false }).waitFor();
    await noStorage(page);
  });

  it('warns a minute before the idle limit; "Stay signed in" keeps the session; at the limit a sign-in dialog covers the view and the enrolment survives it', async () => {
    const { page, context } = await desk('en-GB', { bypassCSP: true });
    await signIn(page);
    await openEnrolment(page);
    await typeEnrolment(page, 'Nour Haddad');
    const serious = async () => (await axe(page)).violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => v.id);

    await pass(page, 13 * MIN);
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await pass(page, MIN);
    const warning = page.getByRole('alertdialog', { name: 'Are you still there?' });
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/You will be signed out in (60|59|58) s\./);
    // Focus is on the way out of it, and axe finds nothing serious with it open.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Stay signed in');
    expect(await serious()).toEqual([]);
    const stayed = page.waitForResponse((r) => r.url().endsWith('/v1/auth/session/refresh'));
    await warning.getByRole('button', { name: 'Stay signed in' }).click();
    expect((await stayed).status()).toBe(200);
    await warning.waitFor({ state: 'detached' });
    await expectEnrolment(page, 'Nour Haddad');

    // Nobody at the desk: the warning again, then the lock.
    const live = (await cookieOf(context))!.value;
    await pass(page, 14 * MIN);
    await warning.waitFor();
    const revoked = page.waitForResponse((r) => r.url().endsWith('/v1/auth/session') && r.request().method() === 'DELETE');
    await pass(page, MIN);
    const dialog = page.getByRole('dialog', { name: 'Sign in again' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('nobody used the console for 15 min');
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('password');
    expect(await serious()).toEqual([]);
    // While locked, the record being typed is out of sight (still in the page).
    expect(await page.locator('input[name=printed]').isVisible()).toBe(false);
    // The lock revoked the session: a reload could not skip it.
    expect((await revoked).status()).toBe(204);
    expect(await cookieOf(context)).toBeUndefined();
    expect(await refreshWith(live)).toBe(401);
    await noStorage(page);

    // A wrong password is refused in the dialog; the right one brings the form back as it was.
    await dialog.getByLabel('Password').fill('not the password');
    await dialog.getByRole('button', { name: 'Sign in and carry on' }).click();
    await dialog.getByRole('alert').filter({ hasText: /./ }).waitFor();
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByLabel('Password').fill(TEST_PASSWORD);
    await dialog.getByRole('button', { name: 'Sign in and carry on' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectEnrolment(page, 'Nour Haddad');
    await page.getByRole('button', { name: 'Save the record' }).click();
    await page.getByRole('heading', { name: 'Resident: Nour Haddad' }).waitFor();
  });

  it('a session ended on the server (all of the account\'s sessions revoked) asks for the password over the form, which survives', async () => {
    const { page, refreshes } = await desk();
    await signIn(page);
    await openEnrolment(page);
    await typeEnrolment(page, 'Yusuf Demir');
    refreshes.length = 0;
    await t.app.services.staffSessions.endAllFor(t.ids.clerk);
    // The clerk was typing: the next renewal (before the token's 15 minutes) is refused, and the console says so at once.
    await pass(page, 12.5 * MIN);
    const dialog = page.getByRole('dialog', { name: 'Sign in again' });
    await dialog.waitFor();
    expect(refreshes).toEqual([401]);
    expect(await dialog.textContent()).toContain('Your session has ended');
    await dialog.getByLabel('Password').fill(TEST_PASSWORD);
    await dialog.getByRole('button', { name: 'Sign in and carry on' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectEnrolment(page, 'Yusuf Demir');
    await page.getByRole('button', { name: 'Save the record' }).click();
    await page.getByRole('heading', { name: 'Resident: Yusuf Demir' }).waitFor();
  });

  it('switching the language keeps what was typed in the form, in all five languages', async () => {
    const { page } = await desk();
    await signIn(page);
    await openEnrolment(page);
    await typeEnrolment(page, 'Amina Rodríguez');
    const titles: string[] = [];
    for (const lang of ['fr', 'es', 'pt', 'ar', 'en']) {
      const picker = page.locator('#lang-picker');
      await picker.selectOption(lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      await page.locator('input[name=printed]').waitFor();
      await expectEnrolment(page, 'Amina Rodríguez');
      // The evidence meters follow the restored ticks: 3 of 3 identity points.
      expect(await page.locator('form meter').first().getAttribute('value')).toBe('3');
      titles.push((await page.locator('h1').textContent()) ?? '');
      // The picker keeps the focus, so a keyboard user can go on choosing.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('lang-picker');
    }
    expect(new Set(titles).size).toBe(5);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    await noStorage(page);
  });

  it('the idle warning and the sign-in dialog speak each of the five languages', async () => {
    const seen: Record<string, string[]> = {};
    for (const locale of ['en-GB', 'fr-FR', 'es-ES', 'pt-PT', 'ar']) {
      const { page } = await desk(locale);
      await page.locator('input[autocomplete=username]').fill('clerk');
      await page.locator('input[type=password]').fill(TEST_PASSWORD);
      await page.locator('form button[type=submit]').click();
      await page.locator('input[name=q]').waitFor();
      await pass(page, 14 * MIN);
      const warning = page.getByRole('alertdialog');
      await warning.waitFor();
      const warned = (await warning.textContent()) ?? '';
      await pass(page, MIN);
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      const locked = (await dialog.textContent()) ?? '';
      expect(warned).not.toMatch(/\{\{|session\./);
      expect(locked).not.toMatch(/\{\{|session\./);
      expect(locked).toContain('15');
      seen[locale] = [warned, locked];
      if (locale === 'ar') expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await page.context().close();
    }
    // Five languages, five different texts each.
    expect(new Set(Object.values(seen).map((s) => s[0])).size).toBe(5);
    expect(new Set(Object.values(seen).map((s) => s[1])).size).toBe(5);
  });

  it('sign-out revokes the session: a reload then shows the sign-in page', async () => {
    const { page, context } = await desk();
    await signIn(page);
    const cookie = (await cookieOf(context))!.value;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await refreshWith(cookie)).toBe(401);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await noStorage(page);
  });
});
