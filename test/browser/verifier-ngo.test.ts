/**
 * An NGO worker on the road (issue 19), in Chromium at 360 px, with no
 * account: the verifier page of Athina (GR, a transit country) trusts the
 * world directory, which names the French and German national lists, which
 * name Strasbourg and Berlin. Online once, the worker opts in to "cards from
 * any city in the directory"; then, with the network cut off and the page
 * reloaded from its service worker, a Berlin card shown to the (fake) camera
 * reads in Spanish "a genuine resident card of Berlin, Germany", with the
 * holder's name and how long the card is valid; a photo of a Strasbourg
 * card's back reads the same in Arabic, right to left. The steps are the ones
 * src/web/verify/README.md gives an NGO worker ("Checking a card from another
 * country").
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDirectory } from '../../src/modules/federation/directory.js';
import { signTrustList } from '../../src/modules/federation/trust-list.js';
import { enrol, issue, REFERENCE_RESIDENT, type Issued } from '../helpers/cards.js';
import { createNetwork, metadataOf, newKey, syncPartner, type City } from '../multi-city/network.js';
import { launch } from './pages-helpers.js';

const net = createNetwork();
const DIRECTORY_URL = 'https://network-coordinator.example/directory.jwt';
const FR_LIST = 'https://coordination-fr.example/trust-list.jwt';
const DE_LIST = 'https://koordination-de.example/trust-list.jwt';
let athina: City;
let base: string;
let dir: string;
let browser: Browser;
let berliner: Issued;
let strasbourgeois: Issued;

async function listFor(city: City, key: Awaited<ReturnType<typeof newKey>>, country: string, iat: number) {
  const m = await metadataOf(city);
  return signTrustList({ country, iat, exp: iat + 86_400, issuers: [{ id: city.id, name: String(m.payload.name), country, rootFingerprint: m.fingerprint, metadataUrl: city.metadataUrl }] }, key.privateJwk);
}

/** The card's back (page 2, with the QR code) as a PNG, as a phone photo of it would be. */
async function backOf(city: City, card: Issued, name: string): Promise<string> {
  const pdf = await city.t.app.inject({ url: `/v1/cards/${card.number}/pdf`, headers: city.t.auth('clerk') });
  expect(pdf.statusCode).toBe(200);
  writeFileSync(join(dir, `${name}.pdf`), pdf.rawPayload);
  execFileSync('pdftoppm', ['-f', '2', '-l', '2', '-r', '200', '-png', '-singlefile', join(dir, `${name}.pdf`), join(dir, name)]);
  return join(dir, `${name}.png`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lcc-ngo-'));
  const [coordinator, fr, de] = await Promise.all([newKey(), newKey(), newKey()]);
  let strasbourg: City, berlin: City;
  [athina, strasbourg, berlin] = await Promise.all([
    net.city('gr-athina', 'Athina', 'GR', { DIRECTORY_ANCHOR_JWK: JSON.stringify(coordinator.jwk), DIRECTORY_URL }),
    net.city('fr-strasbourg', 'Strasbourg', 'FR'),
    net.city('de-berlin', 'Berlin', 'DE'),
  ]);
  const iat = Math.floor(Date.now() / 1000);
  net.override(FR_LIST, await listFor(strasbourg, fr, 'FR', iat));
  net.override(DE_LIST, await listFor(berlin, de, 'DE', iat));
  net.override(DIRECTORY_URL, await signDirectory({ iat, exp: iat + 86_400, entries: [
    { country: 'FR', coordinatorJwk: fr.jwk, fingerprint: fr.kid, trustListUrl: FR_LIST },
    { country: 'DE', coordinatorJwk: de.jwk, fingerprint: de.kid, trustListUrl: DE_LIST },
  ] }, coordinator.privateJwk));
  expect((await athina.t.app.inject({ method: 'POST', url: '/v1/federation/directory/sync', headers: athina.t.auth('admin') })).json()).toMatchObject({ lastError: null });
  for (const id of ['fr-strasbourg', 'de-berlin']) expect((await syncPartner(athina, id)).json()).toMatchObject({ state: 'active', lastError: null });

  berliner = await issue(berlin.t, await enrol(berlin.t, { ...REFERENCE_RESIDENT, names: { printed: 'Yonas Tesfaye' } }));
  strasbourgeois = await issue(strasbourg.t, await enrol(strasbourg.t, { ...REFERENCE_RESIDENT, names: { printed: 'Amina Haddad' } }));
  const berlinBack = await backOf(berlin, berliner, 'berlin-back');
  await backOf(strasbourg, strasbourgeois, 'strasbourg-back');
  // The Berlin card held up to the phone: its back as a one-second video for Chromium's fake camera.
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-i', berlinBack, '-vf',
    'scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p', '-t', '1', '-r', '5', join(dir, 'card.y4m')]);

  await athina.t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = athina.t.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await launch(join(dir, 'card.y4m'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await net.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const verdict = (page: Page, word: string) => page.locator('#result').getByRole('heading', { name: word, exact: true });
/** The card's expiry as the page writes it: a long date with Latin digits (src/web/verify/i18n.ts). */
const longDate = (lang: string, iso: string) => new Intl.DateTimeFormat(`${lang}-u-nu-latn`, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));

/** Steps 1–3 of the README: open the page online, tick the directory box, wait until it says the directory is kept on the device; then the network goes. */
async function optInThenGoOffline(ctx: BrowserContext, toggle: string, kept: RegExp): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${base}/verify`);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.getByLabel(toggle).check();
  await expect.poll(() => page.locator('#list-status').textContent(), { timeout: 10_000 }).toMatch(kept);
  await ctx.setOffline(true);
  await page.reload();
  await expect.poll(() => page.locator('#list-status').textContent(), { timeout: 10_000 }).toMatch(kept);
  return page;
}

async function shown(page: Page) {
  const fields = await page.locator('#result .fields').evaluate((dl) => {
    const out: Record<string, string> = {};
    for (const dt of Array.from(dl.querySelectorAll('dt'))) out[dt.textContent ?? ''] = (dt.nextElementSibling as HTMLElement | null)?.textContent ?? '';
    return out;
  });
  return { explain: (await page.locator('#result .explain').textContent()) ?? '', fields };
}

describe('an NGO worker in a transit country, no account, offline', () => {
  it('Spanish: a Berlin card shown to the camera is "a genuine resident card of Berlin, Germany", with the name and validity', async () => {
    const ctx = await browser.newContext({ locale: 'es-ES', viewport: { width: 360, height: 740 }, permissions: ['camera'] });
    const page = await optInThenGoOffline(ctx, 'Comprobar también las tarjetas de cualquier ciudad del directorio (otros países)', /Directorio: 2 ciudades en 2 países/);
    await page.getByRole('button', { name: 'Escanear con la cámara' }).click();
    await verdict(page, 'Tarjeta auténtica').waitFor({ timeout: 20_000 });
    const expires = longDate('es', berliner.expiresAt);
    const { explain, fields } = await shown(page);
    expect(explain).toContain(`Una tarjeta de residente auténtica de Berlin, Alemania, válida allí hasta el ${expires}`);
    expect(fields).toMatchObject({ 'Emitida por': 'Berlin', Nombre: 'Yonas Tesfaye', 'Válida hasta': expires });
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await ctx.close();
  });

  it('Arabic, right to left: a photo of a Strasbourg card’s back reads "a genuine resident card of Strasbourg, France"', async () => {
    const ctx = await browser.newContext({ locale: 'ar', viewport: { width: 360, height: 740 } });
    const page = await optInThenGoOffline(ctx, 'التحقق أيضًا من بطاقات أي مدينة في الدليل (بلدان أخرى)', /2/);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByLabel('أو اختر صورة للبطاقة').setInputFiles(join(dir, 'strasbourg-back.png'));
    await verdict(page, 'بطاقة أصلية').waitFor({ timeout: 20_000 });
    const expires = longDate('ar', strasbourgeois.expiresAt);
    const { explain, fields } = await shown(page);
    expect(explain).toContain(`بطاقة إقامة أصلية من Strasbourg، فرنسا، صالحة هناك حتى ${expires}`);
    expect(fields).toMatchObject({ الاسم: 'Amina Haddad', 'صالحة حتى': expires });
    await ctx.close();
  });
});
