/**
 * axe-core on every page of the console and the portal, as each user sees
 * it (signed out, signed in, forms open, results shown), in English and in
 * Arabic (right to left): no serious or critical violation. Each page is
 * also photographed at 360 px and 1280 px into test-artifacts/screens/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, type Issued } from '../helpers/cards.js';
import { axe, axeContext, launch, listen, screens } from './pages-helpers.js';

let t: TestContext;
let base: string;
let browser: Browser;
let card: Issued;
const PIN = '593017';

beforeAll(async () => {
  t = await createTestApp();
  base = await listen(t);
  const id = await enrol(t, { ...REFERENCE_RESIDENT, gender: { pronouns: 'she/her', marker: 'F', printMarker: false } });
  card = await issue(t, id);
  const claim = await t.app.inject({ method: 'POST', url: '/v1/self/claim', payload: { number: card.number, claimCode: card.claimCode, pin: PIN } });
  expect(claim.statusCode).toBe(200);
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const found: Record<string, unknown> = {};

/** Checks the page, photographs it, and records what axe found (the assertion shows every page's findings at once). */
async function check(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  const { violations, passes } = await axe(page);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length) found[name] = serious;
  const minor = violations.filter((v) => !serious.includes(v)).map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
  console.log(`axe ${name}: ${passes} rules passed; ${serious.length} serious/critical; minor/moderate: ${minor.join(', ') || 'none'}`);
  await screens(page, name);
}

async function signIn(page: Page, user: string) {
  await page.goto(`${base}/console`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('accessibility (axe-core): no serious or critical violations', () => {
  it('clerk console', async () => {
    const context = await axeContext(browser, 'en-GB');
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    await check(page, 'console-signin');
    await signIn(page, 'clerk');
    await page.getByRole('heading', { name: 'Find a resident' }).waitFor();
    await page.getByLabel('Name or card number').fill('Maria');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: /^Open/ }).first().waitFor();
    await check(page, 'console-search');
    await page.getByRole('button', { name: /^Open/ }).first().click();
    await page.getByRole('heading', { name: /^Resident/ }).waitFor();
    await check(page, 'console-resident');
    await page.getByRole('navigation').getByRole('button', { name: 'Enrol' }).click();
    await page.getByLabel('Name on the card').waitFor();
    await page.getByLabel('An address').check();
    await check(page, 'console-enrol');
    await context.close();
  });

  it('console in Arabic (right to left)', async () => {
    const context = await axeContext(browser, 'ar');
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await check(page, 'console-signin-ar');
    await context.close();
  });

  it('administrator pages', async () => {
    const context = await axeContext(browser, 'en-GB');
    const page = await context.newPage();
    await signIn(page, 'admin');
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    await page.getByRole('cell', { name: 'clerk', exact: true }).first().waitFor();
    await check(page, 'admin-staff');
    const nav = page.getByRole('navigation');
    await nav.getByRole('button', { name: 'Service keys' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Library network');
    await page.getByRole('button', { name: 'Create the key' }).click();
    await page.getByText(/shown only once/).waitFor();
    await check(page, 'admin-service-keys');
    await nav.getByRole('button', { name: 'Signing keys' }).click();
    await page.getByRole('button', { name: 'Rotate the signing key' }).waitFor();
    await check(page, 'admin-keys');
    await nav.getByRole('button', { name: 'Partner cities' }).click();
    await page.getByRole('heading', { name: 'National trust list' }).waitFor();
    await check(page, 'admin-partners');
    await nav.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('button', { name: 'Check the chain' }).click();
    await page.getByText(/The chain is intact/).waitFor();
    await check(page, 'admin-audit');
    await context.close();
  });

  it('resident portal, in English and Arabic', async () => {
    for (const locale of ['en-GB', 'ar']) {
      const suffix = locale === 'ar' ? '-ar' : '';
      const context = await axeContext(browser, locale);
      const page = await context.newPage();
      await page.goto(`${base}/me`);
      await check(page, `portal-start${suffix}`);
      await page.locator('input[name="login-number"]').fill(card.number);
      await page.locator('input[name="pin"]').fill(PIN);
      await page.locator('input[name="pin"]').press('Enter');
      await page.locator('#data-h').waitFor();
      await page.locator('#proof-h').locator('xpath=..').getByRole('button').first().click();
      await page.locator('img.qr').waitFor();
      await page.locator('#erase-h').locator('xpath=..').getByRole('button').first().click();
      await check(page, `portal-data${suffix}`);
      await context.close();
    }
  });

  it('found nothing serious or critical', () => {
    expect(found).toEqual({});
  });
});
