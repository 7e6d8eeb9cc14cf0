/**
 * The verifier page (/verify) in headless Chromium, driven by playwright-core
 * (Debian's chromium; never a downloaded browser). A real card is issued, its
 * PDF's back page rendered to a picture and fed to the page through
 * Chromium's fake camera; the page verifies it on the device, then again with
 * the network cut off, then refuses to call it valid once its list is past
 * its grace period. A page left open follows revocations and reinstatements
 * (its two-minute revalidation, "Check for updates now", a reload); officials
 * and partners signed in see what their profile allows, photo included, and
 * the device check when the network is away. Assertions are on what a person sees.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from 'node:crypto';
import { fromQrText, signResidentProof, toQrText } from '../../src/credential/index.js';
import { TEST_PASSWORD, createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, transition, type Issued } from '../helpers/cards.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const NAME = REFERENCE_RESIDENT.names.printed;

let t: TestContext;
let base: string;
let dir: string;
let browser: Browser;
let card: Issued;
let revoked: Issued;
let bundle: { issuedAt: string; graceUntil: string };

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  card = await issue(t, await enrol(t));
  revoked = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Revoked Holder' } }));
  expect((await transition(t, revoked.number, 'revoke', 'stolen')).statusCode).toBe(200);

  // The card's back (page 2, with the QR) → PNG → a Y4M video for the fake camera.
  dir = mkdtempSync(join(tmpdir(), 'lcc-verifier-'));
  const pdf = await t.app.inject({ url: `/v1/cards/${card.number}/pdf`, headers: t.auth('clerk') });
  expect(pdf.statusCode).toBe(200);
  writeFileSync(join(dir, 'card.pdf'), pdf.rawPayload);
  execFileSync('pdftoppm', ['-f', '2', '-l', '2', '-r', '200', '-png', '-singlefile', join(dir, 'card.pdf'), join(dir, 'back')]);
  execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '200', '-png', '-singlefile', join(dir, 'card.pdf'), join(dir, 'front')]);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-i', join(dir, 'back.png'), '-vf',
    'scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p',
    '-t', '1', '-r', '5', join(dir, 'card.y4m')]);

  const jws = (await t.app.inject('/v1/verifier-bundle')).body;
  bundle = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString());

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
      '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${join(dir, 'card.y4m')}`],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const newContext = (opts: { offline?: boolean } = {}) =>
  browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 }, permissions: ['camera'], ...(opts.offline ? { offline: true } : {}) });

/** The big verdict: the result's heading, matched exactly ("Valid" is not "Not yet valid"). */
const verdict = (page: Page, word: string) => page.locator('#result').getByRole('heading', { name: word, exact: true });

/** Waits until the element is visible (vitest's expect has no Playwright matchers). */
const seen = (loc: Locator, timeout = 10_000) => loc.waitFor({ state: 'visible', timeout });

async function paste(page: Page, text: string) {
  await page.getByLabel('Or paste the code text').fill(text);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
}

describe('the verifier page, online then offline, on one device', () => {
  let ctx: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ctx = await newContext();
    page = await ctx.newPage();
  });
  afterAll(() => ctx.close());

  it('verifies a card shown to the camera: "Valid", the printed name, the issuer — and weighs little', async () => {
    const sizes: Array<Promise<number>> = [];
    page.on('requestfinished', (req) => sizes.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
    await page.goto(`${base}/verify`);
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/last checked with the city/);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const firstLoad = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    writeFileSync(join(ARTIFACTS, 'verifier-weight.json'), JSON.stringify({ firstLoadBytes: firstLoad, requests: sizes.length }, null, 2));
    console.log(`verifier page, first load: ${(firstLoad / 1024).toFixed(1)} KB transferred in ${sizes.length} requests`);
    expect(firstLoad).toBeLessThan(120 * 1024);

    await page.getByRole('button', { name: 'Scan with the camera' }).click();
    await seen(verdict(page, 'Valid'), 15_000);
    const result = page.locator('#result');
    await expect.poll(() => result.textContent()).toContain(NAME);
    await expect.poll(() => result.textContent()).toContain('Testville');
    await expect.poll(() => result.textContent()).toContain('November 23, 1987');
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-valid-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-valid-360.png'), fullPage: true });
    // Nothing wider than the screen at 360 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('with the network cut off, reloads from its service worker and verifies again (camera and pasted text)', async () => {
    await ctx.setOffline(true);
    await page.reload();
    await seen(page.getByRole('heading', { name: 'Check a card' }));
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Offline');
    await page.getByRole('button', { name: 'Scan with the camera' }).click();
    await seen(verdict(page, 'Valid'), 15_000);
    await expect.poll(() => page.locator('#result').textContent()).toContain(NAME);
    await page.getByRole('button', { name: 'Check another card' }).click();
    await page.getByRole('button', { name: 'Stop the camera' }).click();
    await paste(page, card.qr);
    await seen(verdict(page, 'Valid'));
  });

  it('past the grace period of its list, says "out of date" and never "valid"', async () => {
    const late = await ctx.newPage();
    await late.clock.setFixedTime(new Date(Date.parse(bundle.graceUntil) + 3600_000));
    await late.goto(`${base}/verify`); // still offline: the shell and the old list come from the device
    await expect.poll(() => late.getByRole('status').first().textContent()).toContain('out of date');
    await paste(late, card.qr);
    await seen(verdict(late, 'Out of date'));
    expect(await verdict(late, 'Valid').count()).toBe(0);
    expect(await late.locator('#result').textContent()).not.toContain(NAME);
    await late.screenshot({ path: join(ARTIFACTS, 'verifier-out-of-date-1280.png'), fullPage: true });
    await late.close();
    await ctx.setOffline(false);
  });
});

describe('the verifier page, each way in and each verdict', () => {
  let ctx: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    ctx = await newContext();
    page = await ctx.newPage();
    await page.goto(`${base}/verify`);
    await page.waitForFunction(() => /last checked/.test(document.getElementById('list-status')?.textContent ?? ''));
  });
  afterAll(() => ctx.close());

  it('pasted text: valid; a revoked card: "Revoked"; rubbish: "Not a card"; a tampered code: "Not genuine"', async () => {
    await paste(page, card.qr);
    await seen(verdict(page, 'Valid'));
    expect(await page.getByLabel('Or paste the code text').inputValue()).toBe(''); // the code is not left on screen

    await paste(page, revoked.qr);
    await seen(verdict(page, 'Revoked'));
    expect(await verdict(page, 'Valid').count()).toBe(0);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-revoked-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    await paste(page, 'hello');
    await seen(verdict(page, 'Not a card'));
    // One bit of the signature changed, compressed and encoded again: well formed, not genuine.
    const cose = fromQrText(card.qr);
    cose[cose.length - 10]! ^= 1;
    await paste(page, toQrText(cose));
    await seen(verdict(page, 'Not genuine'));
  });

  it('the code in the URL fragment is verified, then removed from the address', async () => {
    // Base45 has spaces and '%': the text goes in the fragment percent-encoded.
    await page.goto(`${base}/verify#${encodeURIComponent(card.qr)}`);
    await seen(verdict(page, 'Valid'));
    await expect.poll(() => page.locator('#result').textContent()).toContain(NAME);
    expect(new URL(page.url()).hash).toBe('');
  });

  it('a photo of the card: the front says the code is on the back; the back is valid and clears that error', async () => {
    await page.getByLabel('Or choose a photo of the card').setInputFiles(join(dir, 'front.png'));
    const error = page.locator('#photo-error');
    await seen(error);
    expect(await error.textContent()).toContain('on the back of the card');
    await page.getByLabel('Or choose a photo of the card').setInputFiles(join(dir, 'back.png'));
    await seen(verdict(page, 'Valid'));
    expect(await error.isVisible()).toBe(false);
  });

  it('a resident proof: valid, with the city and no name', async () => {
    const signer = await t.app.services.city.activeSigner();
    const now = new Date();
    const proof = await signResidentProof(
      { issuer: t.config.publicUrl, issuedAt: now, validUntil: new Date(now.getTime() + 600_000), random: (n) => crypto.getRandomValues(new Uint8Array(n)) },
      { kid: signer.kid, privateKey: signer.privateKey, alg: 'EdDSA', signBytes: (data) => sign(null, data, signer.privateKey) },
    );
    await paste(page, proof);
    await seen(verdict(page, 'Valid'));
    await expect.poll(() => page.locator('#result').textContent()).toContain('valid card of Testville');
  });

  it('in Arabic, right to left: the verdict in Arabic', async () => {
    await page.getByLabel('Language').selectOption('ar');
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.getByLabel('أو الصق نص الرمز').fill(card.qr);
    await page.getByRole('button', { name: 'تحقّق', exact: true }).click();
    await seen(verdict(page, 'صالحة'));
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-valid-ar-360.png'), fullPage: true });
    await page.getByLabel('اللغة').selectOption('en');
  });
});

describe('clock safety', () => {
  it('a device clock earlier than the list is refused: "check the device clock"', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.clock.setFixedTime(new Date(Date.parse(bundle.issuedAt) - 2 * 86_400_000));
    await page.goto(`${base}/verify`);
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Check the device clock');
    await paste(page, card.qr);
    await seen(verdict(page, 'Wrong clock'));
    await expect.poll(() => page.locator('#result').textContent()).toContain('Check the device clock');
    expect(await verdict(page, 'Valid').count()).toBe(0);
    await ctx.close();
  });
});

/** A fresh card for one test: its status changes under a page left open. */
async function freshCard(name: string): Promise<Issued> {
  return issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: name } }));
}

const listDate = (page: Page) => page.locator('#list-status').getAttribute('data-issued-at');

describe('a page left open follows changes of status', () => {
  it('every two minutes: a card revoked through the API reads "Revoked" after the next refresh, and after a reload', async () => {
    const c = await freshCard('Left Open Holder');
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.clock.install({ time: new Date() });
    await page.goto(`${base}/verify`);
    await page.waitForFunction(() => /last checked/.test(document.getElementById('list-status')?.textContent ?? ''));
    await paste(page, c.qr);
    await seen(verdict(page, 'Valid'));
    await expect.poll(() => page.locator('#result-age').textContent()).toMatch(/Card statuses as of .* \(last checked with the city\)/);
    const before = await listDate(page);

    expect((await transition(t, c.number, 'revoke', 'stolen')).statusCode).toBe(200);
    await page.clock.runFor(2 * 60_000 + 1000); // the page's own refresh interval, nothing triggered by hand
    await expect.poll(() => listDate(page), { timeout: 10_000 }).not.toBe(before);
    await paste(page, c.qr);
    await seen(verdict(page, 'Revoked'));
    expect(await verdict(page, 'Valid').count()).toBe(0);

    await page.reload();
    await page.waitForFunction(() => /last checked/.test(document.getElementById('list-status')?.textContent ?? ''));
    await paste(page, c.qr);
    await seen(verdict(page, 'Revoked'));
    await ctx.close();
  });

  it('a page opened before a revocation shows "Revoked" after a reload (no copy cached for minutes)', async () => {
    const c = await freshCard('Reload Holder');
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/verify`);
    await page.waitForFunction(() => /last checked/.test(document.getElementById('list-status')?.textContent ?? ''));
    await paste(page, c.qr);
    await seen(verdict(page, 'Valid'));
    expect((await transition(t, c.number, 'revoke', 'stolen')).statusCode).toBe(200);
    await page.reload();
    await page.waitForFunction(() => /last checked/.test(document.getElementById('list-status')?.textContent ?? ''));
    await paste(page, c.qr);
    await seen(verdict(page, 'Revoked'));
    await ctx.close();
  });

  it('"Check for updates now": the result on screen turns "Suspended", then "Valid" again once reinstated', async () => {
    const c = await freshCard('Suspended Holder');
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/verify`);
    await page.waitForFunction(() => /last checked/.test(document.getElementById('list-status')?.textContent ?? ''));
    await paste(page, c.qr);
    await seen(verdict(page, 'Valid'));
    expect((await transition(t, c.number, 'suspend', 'lost')).statusCode).toBe(200);
    await page.getByRole('button', { name: 'Check for updates now' }).click();
    await seen(verdict(page, 'Suspended'));
    expect((await transition(t, c.number, 'reinstate')).statusCode).toBe(200);
    await page.getByRole('button', { name: 'Check for updates now' }).click();
    await seen(verdict(page, 'Valid'));
    await ctx.close();
  });

  it('the server lets every copy revalidate: no-cache and a 304 when unchanged, for the bundle and the status list', async () => {
    for (const url of ['/v1/verifier-bundle', '/v1/status-list']) {
      const first = await fetch(`${base}${url}`);
      expect(first.headers.get('cache-control'), url).toBe('public, no-cache');
      const again = await fetch(`${base}${url}`, { headers: { 'if-none-match': first.headers.get('etag')! } });
      expect(again.status, url).toBe(304);
    }
  });
});

describe('officials and partners, signed in at the verifier page', () => {
  /** Opens the sign-in panel (a <details> that stays open after a sign-out). */
  const openSignIn = async (page: Page) => {
    if (!(await page.locator('#signin-box').evaluate((d: HTMLDetailsElement) => d.open))) await page.getByText('Officials and partners: sign in to see the photo').click();
  };

  it('a signed-in official sees the photo and the whole card; offline, the device check, said on screen', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/verify`);
    await page.waitForFunction(() => /last checked/.test(document.getElementById('list-status')?.textContent ?? ''));
    await openSignIn(page);
    await page.getByLabel('Username').fill('official');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await seen(page.getByText('Signed in as official'));
    // Nothing of the sign-in in the address or in storage.
    expect(page.url()).toBe(`${base}/verify`);
    expect(await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).not.toMatch(/ey[A-Za-z0-9_-]{10,}|correct horse/);

    await paste(page, card.qr);
    await seen(verdict(page, 'Valid'));
    const photo = page.getByRole('img', { name: 'Photo of the card holder, from the city\'s records' });
    await seen(photo);
    expect(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const text = await page.locator('#result').textContent();
    expect(text).toContain(NAME);
    expect(text).toContain('November 23, 1987');
    expect(text).toContain(card.number);
    expect(text).toContain('Checked online with the city');
    await page.screenshot({ path: join(ARTIFACTS, 'verifier-official-photo-1280.png'), fullPage: true });

    await ctx.setOffline(true);
    await paste(page, card.qr);
    await seen(verdict(page, 'Valid'));
    await expect.poll(() => page.locator('#result').textContent()).toContain('No network: checked on this device with its saved list, without the photo.');
    expect(await photo.isVisible()).toBe(false);
    await ctx.setOffline(false);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await paste(page, card.qr);
    await seen(verdict(page, 'Valid'));
    expect(await photo.isVisible()).toBe(false);
    await ctx.close();
  });

  it('a partner with a service key sees only its profile: name, photo and validity, no birth date or number', async () => {
    const key = (await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'Library desk', profile: 'name_and_photo' } })).json().secret as string;
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/verify`);
    await page.waitForFunction(() => /last checked/.test(document.getElementById('list-status')?.textContent ?? ''));
    await openSignIn(page);
    await page.getByLabel('Or paste a partner service key').fill(key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await seen(page.getByText('Using a partner service key'));
    expect(await page.getByLabel('Or paste a partner service key').inputValue()).toBe('');
    expect(page.url()).not.toContain(key);

    await paste(page, card.qr);
    await seen(verdict(page, 'Valid'));
    await seen(page.locator('#result-photo'));
    const text = (await page.locator('#result').textContent())!;
    expect(text).toContain(NAME);
    expect(text).not.toContain('Date of birth');
    expect(text).not.toContain('1987');
    expect(text).not.toContain(card.number);

    const residency = (await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'Shelter', profile: 'residency_only' } })).json().secret as string;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await openSignIn(page);
    await page.getByLabel('Or paste a partner service key').fill(residency);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await paste(page, card.qr);
    await seen(verdict(page, 'Valid'));
    await expect.poll(() => page.locator('#result').textContent()).toContain('Checked online with the city');
    expect(await page.locator('#result').textContent()).not.toContain(NAME);
    expect(await page.locator('#result-photo').isVisible()).toBe(false);
    await ctx.close();
  });

  it('a clerk account is refused here, and a refused key falls back to the device check', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/verify`);
    await page.waitForFunction(() => /last checked/.test(document.getElementById('list-status')?.textContent ?? ''));
    await openSignIn(page);
    await page.getByLabel('Username').fill('clerk');
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await seen(page.getByText('This account cannot check cards: only officials and partner services can.'));
    await page.getByLabel('Or paste a partner service key').fill('lcc_sk_not-a-real-key');
    await page.getByRole('button', { name: 'Use this key' }).click();
    await paste(page, card.qr);
    await seen(verdict(page, 'Valid'));
    await expect.poll(() => page.locator('#result').textContent()).toContain('Your session has ended: checked on this device, without the photo.');
    await ctx.close();
  });
});
