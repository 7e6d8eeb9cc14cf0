/**
 * The small things at the desk and on the phone (issue 15, should fix), in
 * Chromium: search results show the chosen name only; the receipt prints the
 * city's PUBLIC_URL, not the address this desk reaches the service by; a
 * suspended card offers no print; a claim code typed with O for 0 and I/L
 * for 1 works in the portal; every page has an icon.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { enrol, givePhoto, issue } from '../helpers/cards.js';
import { launch, listen } from './pages-helpers.js';

const PUBLIC_URL = 'https://card.testville.example';
let t: TestContext;
let base: string;
let browser: Browser;
let residentId: string;

beforeAll(async () => {
  t = await createTestApp({ env: { PUBLIC_URL } });
  base = await listen(t);
  browser = await launch();
  residentId = await enrol(t, {
    names: { printed: 'Alex Moreau', legal: 'Alexandre Jean Moreau' },
    birthDate: '1991-02-03',
    preferredLanguage: 'fr',
    languages: ['fr'],
    evidence: [{ type: 'passport' }, { type: 'utility-bill' }],
  });
  await givePhoto(t, residentId);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function clerk(): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${base}/console`);
  await page.getByLabel('Username').fill('clerk');
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Find a resident' }).waitFor();
  return page;
}

async function search(page: Page, q: string) {
  await page.getByLabel('Name or card number').fill(q);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('main tbody tr').first().waitFor();
}

describe('desk details', () => {
  it('search by the legal name lists the chosen name only; the record shows both', async () => {
    const page = await clerk();
    await search(page, 'Alexandre');
    const results = (await page.locator('main table').textContent()) ?? '';
    expect(results).toContain('Alex Moreau');
    expect(results).not.toContain('Alexandre');
    await page.locator('main tbody tr').first().getByRole('button').click();
    await page.getByRole('heading', { name: 'Resident: Alex Moreau' }).waitFor();
    expect(await page.locator('dl.facts').first().textContent()).toContain('Alexandre Jean Moreau');
    await page.context().close();
  });

  it("the receipt sends the holder to the city's PUBLIC_URL, not to this desk's address", async () => {
    const page = await clerk();
    await search(page, 'Alex');
    await page.locator('main tbody tr').first().getByRole('button').click();
    await page.getByRole('button', { name: 'Issue the card' }).click();
    const receipt = page.locator('#receipt');
    await receipt.waitFor();
    const text = (await receipt.textContent()) ?? '';
    expect(text).toContain(`${PUBLIC_URL}/me`);
    expect(text).not.toContain(base);
    await page.context().close();
  });

  it('a suspended card offers no print and no download until it is reinstated', async () => {
    const id = await enrol(t, { names: { printed: 'Sami Kader' }, preferredLanguage: 'ar', evidence: [{ type: 'passport' }, { type: 'utility-bill' }] });
    const card = await issue(t, id);
    const page = await clerk();
    await search(page, 'Sami');
    await page.locator('main tbody tr').first().getByRole('button').click();
    await page.getByRole('button', { name: 'Print the card' }).waitFor();
    const res = await t.app.inject({ method: 'POST', url: `/v1/cards/${card.number}/suspend`, headers: t.auth('clerk'), payload: {} });
    expect(res.statusCode).toBe(200);
    await page.reload();
    await page.getByRole('heading', { name: 'Find a resident' }).waitFor();
    await search(page, 'Sami');
    await page.locator('main tbody tr').first().getByRole('button').click();
    await page.locator('#cards-h').waitFor();
    await page.getByRole('button', { name: 'Reinstate', exact: false }).first().waitFor();
    for (const name of ['Print the card', 'Print on an A4 sheet', 'Download the PDF', 'Preview']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    await page.context().close();
  });

  it('renewing too early says the day renewal opens, in the clerk\'s words', async () => {
    const id = await enrol(t, { names: { printed: 'Rena Early' }, preferredLanguage: 'es', evidence: [{ type: 'passport' }, { type: 'utility-bill' }] });
    const card = await issue(t, id);
    const page = await clerk();
    await search(page, 'Rena');
    await page.locator('main tbody tr').first().getByRole('button').click();
    await page.getByRole('button', { name: 'Renew' }).click();
    // 90 days before expiry (templates/rules/card-rules.json), in the page's date format.
    const opens = new Date(Date.parse(`${card.expiresAt}T00:00:00Z`) - 90 * 86_400_000);
    const date = new Intl.DateTimeFormat('en-u-nu-latn', { dateStyle: 'long', timeZone: 'UTC' }).format(opens);
    await page.getByText(`Too early to renew: renewal opens on ${date}.`).waitFor();
    await page.context().close();
  });

  it('the portal takes a claim code typed with O for 0 and I or L for 1, in lower case, with a dash', async () => {
    const id = await enrol(t, { names: { printed: 'Ines Costa' }, preferredLanguage: 'pt', evidence: [{ type: 'passport' }, { type: 'utility-bill' }] });
    let card = await issue(t, id);
    // A code with a 0 and a 1 in it, so the test shows what it claims (a fresh code until one has both).
    for (let i = 0; i < 40 && !(/0/.test(card.claimCode) && /1/.test(card.claimCode)); i++) {
      const res = await t.app.inject({ method: 'POST', url: `/v1/cards/${card.number}/claim-code`, headers: t.auth('clerk') });
      card = { ...card, claimCode: res.json().claimCode };
    }
    expect(card.claimCode).toMatch(/0/);
    expect(card.claimCode).toMatch(/1/);
    const typed = card.claimCode.replace(/0/g, 'O').replace(/1/, 'I').replace(/1/g, 'l').toLowerCase();
    const typedWithDash = `${typed.slice(0, 5)}-${typed.slice(5)}`;
    const ctx = await browser.newContext({ locale: 'pt-PT', viewport: { width: 360, height: 740 }, isMobile: true });
    const me = await ctx.newPage();
    await me.goto(`${base}/me`);
    await me.locator('input[name="claim-number"]').fill(card.number);
    await me.locator('input[name="claim-code"]').fill(typedWithDash);
    await me.locator('input[name="new-pin"]').fill('824613');
    await me.locator('input[name="new-pin-again"]').fill('824613');
    await me.locator('input[name="new-pin-again"]').press('Enter');
    await me.locator('#data-h').waitFor();
    expect(await me.locator('dl.facts').textContent()).toContain('Ines Costa');
    await ctx.close();
  });

  it('every page has an icon', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    for (const path of ['/console', '/me', '/offers', '/events', '/appointments', '/network', '/verify']) {
      await page.goto(`${base}${path}`);
      const href = await page.locator('link[rel="icon"]').getAttribute('href');
      expect(href, path).toBeTruthy();
      if (href!.startsWith('data:')) {
        expect(href).toMatch(/^data:image\/svg\+xml,%3Csvg/); // the verifier works offline: its icon is inline
        continue;
      }
      const res = await page.request.get(new URL(href!, `${base}${path}`).toString());
      expect(res.status(), path).toBe(200);
      expect(res.headers()['content-type']).toContain('image/svg+xml');
      expect(await res.text()).toContain('<svg');
    }
    await ctx.close();
  });
});
