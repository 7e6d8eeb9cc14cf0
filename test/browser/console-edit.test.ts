/**
 * The record edit form and passwords in the clerk console (issue 15, items
 * 5 and 8), in headless Chromium: a new address saved and shown; a record
 * changed through the API while the form is open shows both versions and
 * saves the clerk's choice; a new printed name offers to replace the card;
 * an administrator resets a clerk's password, the clerk signs in with it and
 * must choose their own; a clerk changes their own password, in Arabic.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';
import { axe, launch, listen, screens } from './pages-helpers.js';

let t: TestContext;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await createTestApp();
  base = await listen(t);
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function console_(locale = 'en-GB', width = 1280): Promise<Page> {
  // CSP bypassed only so that axe.min.js can be injected (the app's CSP forbids it).
  const context = await browser.newContext({ locale, viewport: { width, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/console`);
  return page;
}

async function signIn(page: Page, username: string, password: string) {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('input[name="password"]').press('Enter');
}

/** Signs in as the clerk, finds the resident by name and opens the record's edit form. */
async function editFormOf(name: string): Promise<Page> {
  const page = await console_();
  await signIn(page, 'clerk', TEST_PASSWORD);
  await page.getByRole('heading', { name: 'Find a resident' }).waitFor();
  await page.getByLabel('Name or card number').fill(name);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByRole('heading', { name: `Resident: ${name}` }).waitFor();
  await page.getByRole('button', { name: 'Edit the record' }).click();
  await page.getByRole('heading', { name: 'Edit the record' }).waitFor();
  return page;
}

async function noSeriousAxe(page: Page) {
  const { violations } = await axe(page);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
}

const patchSent = (page: Page) => page.waitForRequest((r) => /\/v1\/residents\/[^/]+$/.test(r.url()) && r.method() === 'PATCH');

describe('editing a record', () => {
  it('a new address is saved, only the change is sent, and the record shows it', async () => {
    const name = 'Ana Beatriz Costa';
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: name } });
    await issue(t, id);
    const { version } = (await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') })).json();
    const page = await editFormOf(name);
    // The form holds the record as it is.
    expect(await page.getByLabel('Name on the card').inputValue()).toBe(name);
    expect(await page.getByLabel('Street and number').inputValue()).toBe('12 rue des Lilas');
    expect(await page.getByLabel('Passport').isChecked()).toBe(true);
    await page.getByLabel('Street and number').fill('5 place Kléber');

    const sent = patchSent(page);
    await page.getByRole('button', { name: 'Save the changes' }).click();
    const req = await sent;
    expect(req.headers()['if-match']).toBe(`"${version}"`);
    expect(req.postDataJSON()).toEqual({ address: { line1: '5 place Kléber', postalCode: '67000', locality: 'Testville' } });

    await page.getByRole('heading', { name: `Resident: ${name}` }).waitFor();
    await page.locator('#main').getByText('The changes were saved.').waitFor();
    expect(await page.locator('dl.facts').first().textContent()).toContain('5 place Kléber, 67000, Testville');
    // The card prints no address: nothing to replace.
    expect(await page.locator('#replace-offer').count()).toBe(0);
    await page.context().close();
  });

  it('a change saved by someone else meanwhile shows both versions; the clerk chooses per field and the retry saves', async () => {
    const name = 'Joana Ribeiro Lopes';
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: name }, gender: { pronouns: 'she/her' } });
    const page = await editFormOf(name);
    await page.getByLabel('Street and number').fill('9 quai des Bateliers');
    await page.getByLabel('Pronouns').fill('they/them');

    // Someone else, through the API, between opening the form and saving.
    const other = await t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': '"1"' }, payload: { gender: { pronouns: 'elle' }, languages: ['pt', 'es'] } });
    expect(other.statusCode).toBe(200);

    await page.getByRole('button', { name: 'Save the changes' }).click();
    const conflict = page.locator('#conflict');
    await conflict.getByRole('heading', { name: 'Someone else changed this record while you were editing it' }).waitFor();
    const row = (field: string) => conflict.getByRole('row').filter({ has: page.getByRole('rowheader', { name: field }) });
    const cells = async (field: string) => (await row(field).getByRole('cell').allTextContents()).slice(0, 2);
    expect(await cells('Address')).toEqual(['12 rue des Lilas, 67000, Testville', '9 quai des Bateliers, 67000, Testville']);
    expect(await cells('Gender (all optional)')).toEqual(['elle', 'they/them']);
    expect(await cells('Languages spoken')).toEqual(['Portuguese and Spanish', 'Portuguese and French']);
    // What the clerk changed defaults to theirs-or-mine as they left it; what they did not touch, to the saved one.
    expect(await row('Address').getByLabel('Keep yours').isChecked()).toBe(true);
    expect(await row('Languages spoken').getByLabel('Keep theirs').isChecked()).toBe(true);
    await row('Gender (all optional)').getByLabel('Keep theirs').check();
    await screens(page, 'console-edit-conflict');
    await noSeriousAxe(page);

    const sent = patchSent(page);
    await page.getByRole('button', { name: 'Save with these choices' }).click();
    expect((await sent).headers()['if-match']).toBe('"2"');
    await page.locator('#main').getByText('The changes were saved.').waitFor();
    const facts = await page.locator('dl.facts').first().textContent();
    expect(facts).toContain('9 quai des Bateliers');
    expect(facts).toContain('elle');
    expect(facts).toContain('Portuguese and Spanish');
    const stored = (await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') })).json();
    expect(stored).toMatchObject({ version: 3, gender: { pronouns: 'elle' }, languages: ['pt', 'es'], address: { line1: '9 quai des Bateliers' } });
    await page.context().close();
  });

  it('a new name on the card offers to replace the card; replacing gives a new card and receipt', async () => {
    const name = 'Rosa Maria Duarte';
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: name } });
    const old = await issue(t, id);
    const page = await editFormOf(name);
    await page.getByLabel('Name on the card').fill('Rosa Duarte');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.getByRole('heading', { name: 'Resident: Rosa Duarte' }).waitFor();
    const offer = page.locator('#replace-offer');
    await offer.getByRole('heading', { name: 'The card shows the old details' }).waitFor();
    expect(await offer.textContent()).toContain(`Card ${old.number} prints what you changed (Name on the card)`);

    const replaced = page.waitForResponse((r) => r.url().endsWith(`/v1/cards/${old.number}/replace`));
    await offer.getByRole('button', { name: 'Replace the card' }).click();
    const { newCard } = (await (await replaced).json()) as { newCard: { number: string; claimCode: string } };
    await page.locator('#main').getByText(`Card ${old.number} was replaced by card ${newCard.number}.`).waitFor();
    expect(await page.locator('#receipt [data-claim-code]').textContent()).toBe(newCard.claimCode);
    expect(await page.locator('#replace-offer').count()).toBe(0);
    const oldNow = (await t.app.inject({ url: `/v1/cards/${old.number}`, headers: t.auth('clerk') })).json();
    expect(oldNow.status).not.toBe('active');
    await page.context().close();
  });
});

describe('passwords', () => {
  it('an administrator resets a clerk’s password; the clerk signs in with it and must choose their own', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'desk7', password: TEST_PASSWORD, role: 'clerk' } });
    expect(made.statusCode).toBe(201);
    const admin = await console_();
    await signIn(admin, 'admin', TEST_PASSWORD);
    await admin.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    await admin.getByRole('button', { name: 'Reset password desk7' }).click();
    await admin.getByLabel('New password for desk7').fill('given at the desk 42');
    expect(await admin.getByLabel('One-time: they choose their own at their next sign-in').first().isChecked()).toBe(true);
    await admin.getByRole('button', { name: 'Set the password' }).click();
    await admin.locator('#main').getByText('New password set for desk7; their sessions have ended.', { exact: false }).waitFor();
    await admin.getByRole('row').filter({ hasText: 'desk7' }).getByText('must choose a new password').waitFor();
    await admin.context().close();

    const clerk = await console_();
    await signIn(clerk, 'desk7', TEST_PASSWORD);
    await clerk.getByText('Wrong username or password').waitFor();
    await signIn(clerk, 'desk7', 'given at the desk 42');
    await clerk.getByRole('heading', { name: 'Change your password' }).waitFor();
    await clerk.getByText('Your password was given to you for one use only.').waitFor();
    expect(await clerk.getByRole('navigation').isHidden()).toBe(true);
    await noSeriousAxe(clerk);
    await clerk.getByLabel('Current password').fill('given at the desk 42');
    await clerk.getByLabel('New password', { exact: true }).fill('my own desk passphrase');
    await clerk.getByLabel('New password again').fill('my own desk passphrase');
    await clerk.getByRole('button', { name: 'Change the password' }).click();
    await clerk.getByRole('heading', { name: 'Find a resident' }).waitFor();
    // The change ended the old session; the console holds a new one, which a reload resumes, no longer asking.
    await clerk.reload();
    await clerk.getByRole('heading', { name: 'Find a resident' }).waitFor();
    expect(await clerk.getByRole('navigation').getByRole('button', { name: 'My password' }).isVisible()).toBe(true);

    await clerk.getByRole('button', { name: 'Sign out' }).click();
    await signIn(clerk, 'desk7', 'my own desk passphrase');
    await clerk.getByRole('heading', { name: 'Find a resident' }).waitFor();
    await clerk.context().close();
  });

  it('an official with a one-time password chooses their own in the console, then is sent to the verifier page', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'officer9', password: TEST_PASSWORD, role: 'official', mustChangePassword: true } });
    const page = await console_('fr-FR');
    await signIn(page, 'officer9', TEST_PASSWORD);
    await page.getByRole('heading', { name: 'Changer votre mot de passe' }).waitFor();
    await page.getByLabel('Mot de passe actuel').fill(TEST_PASSWORD);
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('une phrase de passe à moi');
    await page.getByLabel('Nouveau mot de passe, à nouveau').fill('une phrase de passe à moi');
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await page.locator('#main').getByText('Votre mot de passe est changé. Les agents', { exact: false }).waitFor();
    expect(await page.locator('#main').getByRole('link', { name: 'Ouvrir la page de vérification' }).getAttribute('href')).toBe('/verify');
    const signed = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'officer9', password: 'une phrase de passe à moi' } });
    expect(signed.json()).toMatchObject({ role: 'official', passwordChangeRequired: false });
    await page.context().close();
  });

  it('a clerk changes their own password, in Arabic on a phone; a wrong current one is refused in Arabic', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'desk8', password: TEST_PASSWORD, role: 'clerk' } });
    const elsewhere = (await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'desk8', password: TEST_PASSWORD } })).json().accessToken;
    const page = await console_('ar', 360);
    await signIn(page, 'desk8', TEST_PASSWORD);
    await page.getByRole('navigation').getByRole('button', { name: 'كلمة مروري' }).click();
    await page.getByRole('heading', { name: 'تغيير كلمة المرور' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');

    await page.locator('input[name="current-password"]').fill('not my password at all');
    await page.locator('input[name="new-password"]').fill('كلمات سرية جديدة طويلة');
    await page.locator('input[name="new-password-again"]').fill('كلمات سرية جديدة طويلة');
    await page.getByRole('button', { name: 'تغيير كلمة المرور' }).click();
    await page.locator('#main').getByText('كلمة المرور الحالية غير صحيحة').waitFor();

    await page.locator('input[name="current-password"]').fill(TEST_PASSWORD);
    await page.locator('input[name="new-password"]').fill('كلمات سرية جديدة طويلة');
    await page.locator('input[name="new-password-again"]').fill('كلمات سرية جديدة طويلة');
    await page.getByRole('button', { name: 'تغيير كلمة المرور' }).click();
    await page.locator('#main').getByText('تغيّرت كلمة المرور. انتهت جلساتك الأخرى.').waitFor();
    await screens(page, 'console-password-ar');

    // The console goes on with its new token; the session elsewhere has ended.
    await page.getByRole('navigation').getByRole('button', { name: 'البحث عن مقيم' }).click();
    await page.locator('input[name="q"]').fill('Costa');
    await page.locator('input[name="q"]').press('Enter');
    await page.getByText('Ana Beatriz Costa').first().waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'البحث عن مقيم' }).waitFor();
    expect((await t.app.inject({ url: '/v1/evidence-rules', headers: { authorization: `Bearer ${elsewhere}` } })).json().code).toBe('token-invalid');
    const again = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'desk8', password: 'كلمات سرية جديدة طويلة' } });
    expect(again.statusCode).toBe(200);
    await page.context().close();
  });
});
