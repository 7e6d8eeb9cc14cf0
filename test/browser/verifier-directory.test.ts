/**
 * "Cards from any city in the directory" on the verifier page (issue 19), in
 * headless Chromium (Debian's, through playwright-core). Palermo (IT) trusts
 * the world directory, which names the French national list, which names
 * Strasbourg. A worker opts in once online; then, with the network cut off
 * and the page reloaded from its service worker, a Strasbourg card reads "a
 * genuine resident card of Strasbourg, France", a revoked one "not in force",
 * a forged one "not genuine". Without the opt-in the page does not know
 * Strasbourg at all.
 */
import { sign, type KeyObject } from 'node:crypto';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCardQrText } from '../../src/credential/index.js';
import { signDirectory } from '../../src/modules/federation/directory.js';
import { signTrustList } from '../../src/modules/federation/trust-list.js';
import { enrol, issue, REFERENCE_RESIDENT, transition, type Issued } from '../helpers/cards.js';
import { createNetwork, metadataOf, newKey, syncPartner, type City } from '../multi-city/network.js';

const net = createNetwork();
const DIRECTORY_URL = 'https://network-coordinator.example/directory.jwt';
const FR_LIST = 'https://coordination-fr.example/trust-list.jwt';
const NAME = 'Amina Haddad';
let palermo: City;
let strasbourg: City;
let base: string;
let browser: Browser;
let card: Issued;
let revoked: Issued;
let forged: string;

beforeAll(async () => {
  const [network, fr] = await Promise.all([newKey(), newKey()]);
  [palermo, strasbourg] = await Promise.all([
    net.city('it-palermo', 'Palermo', 'IT', { DIRECTORY_ANCHOR_JWK: JSON.stringify(network.jwk), DIRECTORY_URL }),
    net.city('fr-strasbourg', 'Strasbourg', 'FR'),
  ]);
  const m = await metadataOf(strasbourg);
  const iat = Math.floor(Date.now() / 1000);
  net.override(FR_LIST, await signTrustList({ country: 'FR', iat, exp: iat + 86_400, issuers: [{ id: 'fr-strasbourg', name: 'Strasbourg', country: 'FR', rootFingerprint: m.fingerprint, metadataUrl: strasbourg.metadataUrl }] }, fr.privateJwk));
  net.override(DIRECTORY_URL, await signDirectory({ iat, exp: iat + 86_400, entries: [{ country: 'FR', coordinatorJwk: fr.jwk, fingerprint: fr.kid, trustListUrl: FR_LIST }] }, network.privateJwk));

  card = await issue(strasbourg.t, await enrol(strasbourg.t, { ...REFERENCE_RESIDENT, names: { printed: NAME } }));
  revoked = await issue(strasbourg.t, await enrol(strasbourg.t, { ...REFERENCE_RESIDENT, names: { printed: 'Revoked Holder' } }));
  expect((await transition(strasbourg.t, revoked.number, 'revoke', 'stolen')).statusCode).toBe(200);
  const attacker = await newKey();
  const signer = (k: { kid: string; privateKey: KeyObject }) => ({ kid: k.kid, privateKey: k.privateKey, alg: 'EdDSA' as const, signBytes: (d: Uint8Array) => sign(null, d, k.privateKey) });
  forged = await issueCardQrText({ number: card.number.replace(/-/g, ''), name: 'Impostor', birthDate: null, country: 'FR', issuedOn: new Date().toISOString().slice(0, 10), expiresOn: '2031-01-01', statusIndex: 9, statusUri: `${strasbourg.url}/v1/status-list`, issuer: strasbourg.url } as never, signer(attacker));

  const admin = palermo.t.auth('admin');
  expect((await palermo.t.app.inject({ method: 'POST', url: '/v1/federation/directory/sync', headers: admin })).json().countries[0]).toMatchObject({ country: 'FR', issuers: 1, lastError: null });
  expect((await syncPartner(palermo, 'fr-strasbourg')).json()).toMatchObject({ state: 'active', lastError: null });

  await palermo.t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = palermo.t.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await net.close();
});

const verdict = (page: Page, word: string) => page.locator('#result').getByRole('heading', { name: word, exact: true });

async function paste(page: Page, text: string) {
  await page.getByLabel('Or paste the code text').fill(text);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
}

describe('an NGO worker in a transit country', () => {
  it('without the directory, the page does not know Strasbourg', async () => {
    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/verify`);
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/last checked with the city/);
    await paste(page, card.qr);
    await verdict(page, 'Unknown issuer').waitFor({ timeout: 10_000 });
    await ctx.close();
  });

  it('opts in once online, then offline checks Strasbourg cards in plain words', async () => {
    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/verify`);
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/last checked with the city/);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.getByLabel('Also check cards from any city in the directory (other countries)').check();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 }).toMatch(/Directory: 1 cities in 1 countries/);

    await ctx.setOffline(true);
    await page.reload();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 }).toMatch(/Directory: 1 cities in 1 countries/);
    await paste(page, card.qr);
    await verdict(page, 'Genuine card').waitFor({ timeout: 10_000 });
    const text = await page.locator('#result').textContent();
    expect(text).toContain('A genuine resident card of Strasbourg, France');
    expect(text).toContain(NAME);

    await page.getByRole('button', { name: 'Check another card' }).click();
    await paste(page, revoked.qr);
    await verdict(page, 'Not in force').waitFor({ timeout: 10_000 });
    expect(await page.locator('#result').textContent()).toContain('no longer in force there: revoked');

    await page.getByRole('button', { name: 'Check another card' }).click();
    await paste(page, forged);
    await verdict(page, 'Not genuine').waitFor({ timeout: 10_000 });
    await ctx.close();
  });

  it('reads in the checker’s language too: French, and Arabic right to left', async () => {
    for (const [locale, word, words] of [
      ['fr-FR', 'Carte authentique', 'Une carte de résident authentique de Strasbourg, France'],
      ['ar', 'بطاقة أصلية', 'بطاقة إقامة أصلية من Strasbourg'],
    ] as const) {
      const ctx = await browser.newContext({ locale, viewport: { width: 360, height: 740 } });
      const page = await ctx.newPage();
      await page.goto(`${base}/verify`);
      await page.locator('#directory-toggle').check();
      await expect.poll(() => page.locator('#list-status').getAttribute('data-issued-at'), { timeout: 10_000 }).not.toBe('');
      await expect.poll(async () => (await page.locator('#list-status').textContent()) ?? '', { timeout: 10_000 }).toMatch(/1/);
      await page.locator('#qr-text').fill(card.qr);
      await page.locator('#paste button[type=submit]').click();
      await verdict(page, word).waitFor({ timeout: 10_000 });
      expect(await page.locator('#result').textContent()).toContain(words);
      if (locale === 'ar') expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await ctx.close();
    }
  });
});
