/**
 * Screenshots of the views issue 15 fixed, at 360 and 1280 px, in Arabic and
 * English, for review without running anything:
 *   npx tsx scripts/screenshots.ts
 * Starts the service on an in-memory PGlite with sample data (a resident with
 * a 62-character name, a card, a Welcoming Week event, a partner's offer), drives Debian's
 * Chromium through each view and writes PNGs (palette-reduced when over
 * 300 KB) to test-artifacts/screens/i15-<view>-<lang>-<width>.png. The card
 * itself is the PDF the console previews, rendered by pdftoppm.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { wrapPglite } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';

const OUT = join(process.cwd(), 'test-artifacts', 'screens');
const MAX_BYTES = 300 * 1024;
const PASSWORD = 'correct horse battery staple';
const LONG_NAME = 'María de los Ángeles Rodríguez-Villanueva Castillo de la Fuente'; // 62 characters, wide letters
const LANGS = ['ar', 'en'] as const;
const WIDTHS = [360, 1280] as const;
const EDIT = Object.fromEntries(LANGS.map((l) => [l, (JSON.parse(readFileSync(join(process.cwd(), 'src', 'i18n', 'locales', l, 'console-edit.json'), 'utf8')) as Record<string, string>)['resident.edit']!]));

async function start() {
  const database = wrapPglite(await PGlite.create());
  await migrate(database);
  const config = {
    ...loadConfig({ CITY_ID: 'fr-testville', CITY_NAME: 'Testville', COUNTRY: 'FR', OFFICIAL_LANGUAGE: 'fr', DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent', PASSWORD_SCRYPT_LOG2N: '12', ADMIN_PASSWORD: PASSWORD, PUBLIC_URL: 'https://card.testville.example' }),
    masterKey: randomBytes(32),
  };
  const app = await buildApp({ config, database, logger: false });
  await app.services.city.bootstrap({ id: config.cityId, name: config.cityName, country: config.country, adminPassword: PASSWORD, staff: app.services.staff });
  await app.ready();
  const call = async (method: string, url: string, token: string | null, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: method as 'GET', url, payload: payload as string, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res;
  };
  const login = async (username: string) => (await call('POST', '/v1/auth/login', null, { username, password: PASSWORD })).json().accessToken as string;
  const admin = await login('admin');
  for (const [username, role] of [['clerk', 'clerk'], ['organiser', 'organiser']]) await call('POST', '/v1/staff', admin, { username, password: PASSWORD, role });
  const clerk = await login('clerk');
  const organiser = await login('organiser');

  // A resident with a long name, a photo and a card; the holder claims it in the portal.
  const id = (await call('POST', '/v1/residents', clerk, {
    names: { printed: LONG_NAME, original: 'ماريا دي لوس أنخيليس رودريغيث', transliteration: 'Maria de los Angeles Rodriguez' },
    birthDate: '1988-06-14',
    preferredLanguage: 'ar',
    languages: ['ar', 'es', 'fr'],
    evidence: [{ type: 'consular-id' }, { type: 'shelter-letter' }],
  })).json().resident.id as string;
  const photo = await sharp({ create: { width: 600, height: 750, channels: 3, background: { r: 176, g: 140, b: 112 } } }).jpeg().toBuffer();
  await call('PUT', `/v1/residents/${id}/photo`, clerk, photo, { 'content-type': 'image/jpeg' });
  const card = (await call('POST', `/v1/residents/${id}/cards`, clerk)).json() as { number: string; claimCode: string; qr: string };
  await call('POST', '/v1/self/claim', null, { number: card.number, claimCode: card.claimCode, pin: '824613' });
  const pdf = { ar: (await call('GET', `/v1/cards/${card.number}/pdf?lang=ar`, clerk)).rawPayload, en: (await call('GET', `/v1/cards/${card.number}/pdf?lang=en`, clerk)).rawPayload };

  // Welcoming Week: an open event in a few days, so the portal's panel has something to offer.
  const at = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
  const event = (await call('POST', '/v1/events', organiser, {
    title: { en: 'Cooking together', fr: 'Cuisiner ensemble', pt: 'Cozinhar juntos', ar: 'نطبخ معًا', es: 'Cocinar juntos' },
    category: 'cooking', startsAt: at(50), endsAt: at(53), place: { name: 'Maison des associations', address: '1 place de la Gare, Testville' },
    languages: ['fr', 'ar'], capacity: 20, access: 'open', rsvp: 'first-come',
  })).json() as { id: string };

  // A partner with an offer, so the portal's offers panel shows one.
  const partner = (await call('POST', '/v1/partners', admin, {
    name: 'Musée des Beaux-Arts', category: 'culture', description: { fr: 'Le musée de la ville', en: 'The city museum', ar: 'متحف المدينة' },
    addresses: [{ line1: '2 place du Château', postalCode: '67000', locality: 'Testville', lat: 48.5811, lon: 7.7519 }],
    hours: 'We-Mo 10:00-18:00', languages: ['fr', 'ar', 'en'], acceptsCardAsId: true,
  })).json() as { id: string };
  await call('POST', `/v1/partners/${partner.id}/offers`, admin, { title: { fr: 'Entrée gratuite au musée', en: 'Free museum entry', ar: 'دخول مجاني إلى المتحف' }, kind: 'free-entry', limit: { per: 'year' } });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return { app, database, base, card, pdf, event };
}

async function save(png: Buffer, name: string): Promise<void> {
  let out = png;
  // Screens are mostly flat colour: a palette keeps them small and sharp.
  if (out.length > MAX_BYTES) out = await sharp(png).png({ palette: true, colours: 128, compressionLevel: 9 }).toBuffer();
  if (out.length > MAX_BYTES) out = await sharp(png).resize({ height: 4000, withoutEnlargement: true }).png({ palette: true, colours: 64, compressionLevel: 9 }).toBuffer();
  const path = join(OUT, `${name}.png`);
  writeFileSync(path, out);
  console.log(`${path.slice(process.cwd().length + 1)}  ${(statSync(path).size / 1024).toFixed(0)} KB`);
}

async function shoot(page: Page, name: string, lang: string, width: number, fullPage = true) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await save(await page.screenshot({ fullPage }), `i15-${name}-${lang}-${width}`);
}

async function signIn(page: Page, base: string) {
  await page.goto(`${base}/console`);
  await page.locator('input[name="username"]').fill('clerk');
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('input[name="password"]').press('Enter');
  await page.locator('nav button').first().waitFor();
}

async function run(browser: Browser, s: Awaited<ReturnType<typeof start>>, lang: (typeof LANGS)[number], width: number) {
  const context = await browser.newContext({ locale: lang, viewport: { width, height: width < 600 ? 740 : 900 }, deviceScaleFactor: 1 });

  // The verifier with a result and the age of its status lists.
  const v = await context.newPage();
  await v.goto(`${s.base}/verify#${encodeURIComponent(s.card.qr)}`);
  await v.locator('#result').filter({ hasText: /\S/ }).waitFor();
  await v.waitForTimeout(300);
  await shoot(v, 'verifier-result', lang, width);
  await v.close();

  // Console: enrolment with a long name typed in.
  const page = await context.newPage();
  await signIn(page, s.base);
  await page.locator('nav button').nth(1).click();
  await page.locator('input[name="printed"]').fill(LONG_NAME);
  await page.locator('input[name="original"]').fill('ماريا دي لوس أنخيليس رودريغيث');
  await page.locator('input[name="languages"][value="ar"]').check();
  await page.locator('input[name="languages"][value="es"]').check();
  await page.locator('input[name="evidence"][value="consular-id"]').check();
  await page.locator('input[name="evidence"][value="shelter-letter"]').check();
  await shoot(page, 'console-enrol-long-name', lang, width);

  // The record with its card (the name whole in the heading), then the session warning over it.
  await page.locator('nav button').first().click();
  await page.locator('input[name="q"]').fill('María');
  await page.locator('input[name="q"]').press('Enter');
  await page.locator('main tbody tr button').first().click();
  await page.locator('#cards-h').waitFor();
  await shoot(page, 'console-record-card', lang, width);
  // The edit form (issue 15, item 5), from the record.
  await page.locator('main .row button').filter({ hasText: EDIT[lang] }).click();
  await page.locator('input[name="printed"]').waitFor();
  await shoot(page, 'console-edit-form', lang, width);
  await page.context().clearCookies();
  await page.close();

  // The idle warning: the page's clock moved to a minute before the idle limit.
  const idle = await context.newPage();
  await idle.clock.install();
  await signIn(idle, s.base);
  await idle.clock.runFor(14 * 60_000 + 5_000);
  await idle.getByRole('alertdialog').waitFor();
  await shoot(idle, 'console-session-warning', lang, width, false);
  await idle.close();

  // Portal home: the card, the proof, Welcoming Week.
  const me = await context.newPage();
  await me.goto(`${s.base}/me`);
  await me.locator('input[name="login-number"]').fill(s.card.number);
  await me.locator('input[name="pin"]').fill('824613');
  await me.locator('input[name="pin"]').press('Enter');
  await me.locator('#data-h').waitFor();
  await me.locator('#events-h').waitFor();
  await me.locator('#offers-h').waitFor();
  await shoot(me, 'portal-home', lang, width);
  await context.close();
}

/** The card PDF as the console previews it: both sides, rendered by poppler, at each width. */
async function cardImages(pdf: Buffer, lang: string, dir: string) {
  const file = join(dir, `card-${lang}.pdf`);
  writeFileSync(file, pdf);
  for (const width of WIDTHS) {
    const sides: Buffer[] = [];
    for (const p of [1, 2]) {
      const out = join(dir, `card-${lang}-${p}-${width}`);
      execFileSync('pdftoppm', ['-f', String(p), '-l', String(p), '-scale-to-x', String(width < 600 ? width - 24 : 640), '-scale-to-y', '-1', '-png', '-singlefile', file, out]);
      sides.push(readFileSync(`${out}.png`));
    }
    const metas = await Promise.all(sides.map((b) => sharp(b).metadata()));
    const w = width < 600 ? width : Math.max(...metas.map((m) => m.width!)) * 2 + 36;
    const h = width < 600 ? metas.reduce((a, m) => a + m.height!, 0) + 36 : Math.max(...metas.map((m) => m.height!)) + 24;
    const composite = width < 600
      ? [{ input: sides[0]!, left: 12, top: 12 }, { input: sides[1]!, left: 12, top: metas[0]!.height! + 24 }]
      : [{ input: sides[0]!, left: 12, top: 12 }, { input: sides[1]!, left: metas[0]!.width! + 24, top: 12 }];
    const png = await sharp({ create: { width: w, height: h, channels: 3, background: '#e8ebef' } }).composite(composite).png().toBuffer();
    await save(png, `i15-card-pdf-${lang}-${width}`);
  }
}

mkdirSync(OUT, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'lcc-screens-'));
const s = await start();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
try {
  for (const lang of LANGS) {
    for (const width of WIDTHS) await run(browser, s, lang, width);
    await cardImages(s.pdf[lang], lang, dir);
  }
} finally {
  await browser.close();
  await s.app.close();
  await s.database.close();
  rmSync(dir, { recursive: true, force: true });
}
