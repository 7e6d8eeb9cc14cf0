/**
 * /network in Chromium at 360 px, in French and in Arabic (right to left):
 * Palermo (IT) knows Roma (a partner registered by hand) and, through the
 * world directory over two national trust lists, Strasbourg (FR) and Berlin
 * (DE). With no account the page lists the four by country, says how
 * Palermo knows each and whether its cards are recognised here, and shows
 * what each publishes: since when it issues the card, its languages, its
 * website, a few lines on its reception actions, Palermo's offers and next
 * Welcoming Week; the cities with coordinates are dots on an SVG, no tiles.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDirectory } from '../../src/modules/federation/directory.js';
import { signTrustList } from '../../src/modules/federation/trust-list.js';
import { createNetwork, metadataOf, newKey, register, syncPartner, type City } from '../multi-city/network.js';
import { axe, launch, screens } from './pages-helpers.js';

const net = createNetwork();
const DIRECTORY_URL = 'https://network-coordinator.example/directory.jwt';
const FR_LIST = 'https://coordination-fr.example/trust-list.jwt';
const DE_LIST = 'https://koordination-de.example/trust-list.jwt';
const YEAR = new Date().getUTCFullYear() + 1;
const WEEK = `Settimana dell’accoglienza ${YEAR}`;
let palermo: City;
let base: string;
let browser: Browser;

async function listFor(city: City, key: Awaited<ReturnType<typeof newKey>>, country: string, iat: number) {
  const m = await metadataOf(city);
  return signTrustList({ country, iat, exp: iat + 86_400, issuers: [{ id: city.id, name: String(m.payload.name), country, rootFingerprint: m.fingerprint, metadataUrl: city.metadataUrl }] }, key.privateJwk);
}

beforeAll(async () => {
  const [coordinator, fr, de] = await Promise.all([newKey(), newKey(), newKey()]);
  let strasbourg: City, berlin: City, roma: City;
  [palermo, strasbourg, berlin, roma] = await Promise.all([
    net.city('it-palermo', 'Palermo', 'IT', { DIRECTORY_ANCHOR_JWK: JSON.stringify(coordinator.jwk), DIRECTORY_URL }),
    net.city('fr-strasbourg', 'Strasbourg', 'FR'),
    net.city('de-berlin', 'Berlin', 'DE'),
    net.city('it-roma', 'Roma', 'IT'),
  ]);
  const iat = Math.floor(Date.now() / 1000);
  net.override(FR_LIST, await listFor(strasbourg, fr, 'FR', iat));
  net.override(DE_LIST, await listFor(berlin, de, 'DE', iat));
  net.override(DIRECTORY_URL, await signDirectory({ iat, exp: iat + 86_400, entries: [
    { country: 'FR', coordinatorJwk: fr.jwk, fingerprint: fr.kid, trustListUrl: FR_LIST },
    { country: 'DE', coordinatorJwk: de.jwk, fingerprint: de.kid, trustListUrl: DE_LIST },
  ] }, coordinator.privateJwk));
  const admin = palermo.t.auth('admin');
  expect((await palermo.t.app.inject({ method: 'POST', url: '/v1/federation/directory/sync', headers: admin })).json()).toMatchObject({ lastError: null });
  for (const id of ['fr-strasbourg', 'de-berlin']) expect((await syncPartner(palermo, id)).json()).toMatchObject({ state: 'active', lastError: null });
  expect((await register(palermo, { url: roma.metadataUrl, fingerprint: (await metadataOf(roma)).fingerprint })).statusCode).toBe(201);
  const edition = await palermo.t.app.inject({ method: 'POST', url: '/v1/event-editions', headers: admin, payload: { name: WEEK, startsOn: `${YEAR}-09-13`, endsOn: `${YEAR}-09-19` } });
  expect(edition.statusCode).toBe(201);

  await palermo.t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = palermo.t.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await net.close();
});

describe('/network at 360 px, no account', () => {
  it.each([
    {
      lang: 'fr', dir: 'ltr', title: 'Le réseau des villes', countries: ['Allemagne', 'France', 'Italie'],
      intro: 'que Palermo connaît', directory: 'Dans l’annuaire mondial', foreign: 'Autre pays : l’authenticité de ses cartes peut être vérifiée',
      since: 'Délivre la carte depuis janvier 2026', languages: 'Langues : français, anglais et arabe', website: 'Site web de Strasbourg',
      actions: ['fr', 'Exemple : accueil des nouveaux arrivants'], partner: 'Ville partenaire', recognised: 'Ses cartes sont reconnues ici',
      self: 'Cette ville', offers: 'Offres pour les titulaires de la carte : 0', week: `Semaine de l’accueil : ${WEEK}, du 13 septembre ${YEAR} au 19 septembre ${YEAR}`,
    },
    {
      lang: 'ar', dir: 'rtl', title: 'شبكة المدن', countries: ['ألمانيا', 'فرنسا', 'إيطاليا'],
      intro: 'والتي تعرفها Palermo', directory: 'في الدليل العالمي', foreign: 'بلد آخر: يمكن التحقق من أن بطاقاتها أصلية',
      since: `تصدر البطاقة منذ ${new Intl.DateTimeFormat('ar-u-nu-latn', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 0, 1)))}`,
      languages: 'اللغات: الفرنسية والإنجليزية والعربية', website: 'الموقع الإلكتروني لمدينة Strasbourg',
      // No Arabic text from Strasbourg: its English one, marked as English.
      actions: ['en', 'Example: welcome desk for newcomers'], partner: 'مدينة شريكة', recognised: 'بطاقاتها معترف بها هنا',
      self: 'هذه المدينة', offers: 'العروض لحاملي البطاقة: 0', week: `أسبوع الترحيب: ${WEEK}`,
    },
  ])('$lang: the partners and the directory’s cities, by country, with what each publishes', async (x) => {
    const context = await browser.newContext({ locale: x.lang, viewport: { width: 360, height: 740 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/network`);
    await page.getByRole('heading', { level: 1, name: x.title }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Strasbourg' }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([x.lang, x.dir]);
    expect(await page.locator('main').textContent()).toContain(x.intro);
    expect(await page.locator('section h2[id^="c-"]').allTextContents()).toEqual(x.countries);
    expect(await page.locator('.city h3').allTextContents()).toEqual(['Berlin', 'Strasbourg', 'Palermo', 'Roma']);

    const strasbourg = page.locator('.city[data-city="fr-strasbourg"]');
    const text = (await strasbourg.textContent()) ?? '';
    for (const s of [x.directory, x.foreign, x.since, x.languages]) expect(text).toContain(s);
    const link = strasbourg.getByRole('link', { name: x.website });
    expect(await link.getAttribute('href')).toBe('https://www.strasbourg.eu');
    const actions = strasbourg.locator('.actions span');
    expect(await actions.getAttribute('lang')).toBe(x.actions[0]);
    expect(await actions.textContent()).toContain(x.actions[1]);
    // Berlin publishes nothing beyond its name: listed, with how it is known.
    expect(await page.locator('.city[data-city="de-berlin"]').textContent()).toContain(x.directory);
    const roma = (await page.locator('.city[data-city="it-roma"]').textContent()) ?? '';
    expect(roma).toContain(x.partner);
    expect(roma).toContain(x.recognised);
    const own = (await page.locator('.city[data-city="it-palermo"]').textContent()) ?? '';
    for (const s of [x.self, x.offers, x.week]) expect(own).toContain(s);

    // Strasbourg is the only city that publishes coordinates: one dot would say nothing, so no map.
    expect(await page.locator('figure.map').count()).toBe(0);

    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    if (x.dir === 'rtl') {
      const h3 = page.locator('.city h3').first();
      expect(await h3.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
      const box = await h3.boundingBox();
      expect(box!.x + box!.width).toBeGreaterThan(300);
    }
    await screens(page, `network-${x.lang}`);
    await page.setViewportSize({ width: 360, height: 740 });
    const { violations } = await axe(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), JSON.stringify(violations)).toEqual([]);
    await context.close();
  });

  it('a directory of many cities: 50 at a time, and a map drawn from their coordinates, no tiles', async () => {
    // The page's paging and map over a long answer of the same shape as GET /v1/network (120 cities, 10 countries).
    const all = Array.from({ length: 120 }, (_, i) => ({
      id: `c${String(i % 10)}-city-${String(i).padStart(3, '0')}`, name: `City ${i}`, country: ['AT', 'BE', 'CH', 'DE', 'ES', 'FR', 'GR', 'IT', 'NL', 'PT'][i % 10]!,
      source: 'directory', recognised: false, verified: true, coordinates: { lat: 36 + (i % 17), lon: -9 + (i % 31) },
    })).sort((a, b) => (a.country + a.id < b.country + b.id ? -1 : 1));
    const asked: string[] = [];
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 740 } });
    await context.route('**/v1/network?*', async (route) => {
      const u = new URL(route.request().url());
      asked.push(u.search);
      const after = u.searchParams.get('after');
      const rest = all.filter((c) => !after || `${c.country}/${c.id}` > after);
      const items = rest.slice(0, Number(u.searchParams.get('limit')));
      const last = items[items.length - 1]!;
      await route.fulfill({ json: { city: 'it-palermo', name: 'Palermo', country: 'IT', items, ...(rest.length > items.length ? { next: `${last.country}/${last.id}` } : {}) } });
    });
    const page = await context.newPage();
    await page.goto(`${base}/network`);
    await page.getByRole('heading', { level: 1, name: 'The network of cities' }).waitFor();
    await page.locator('.city').first().waitFor();
    expect(await page.locator('.city').count()).toBe(50);
    expect(await page.getByRole('status').textContent()).toBe('Cities shown: 50');
    expect(await page.locator('figure.map svg circle').count()).toBe(50);
    expect(await page.getByRole('img', { name: 'The positions of 50 cities relative to each other' }).count()).toBe(1);
    // Past a few dozen dots the names would cover each other: the list has them.
    expect(await page.locator('figure.map svg text').count()).toBe(0);
    await page.getByRole('button', { name: 'Show more' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.city').length === 100);
    await page.getByRole('button', { name: 'Show more' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.city').length === 120);
    expect(await page.getByRole('button', { name: 'Show more' }).count()).toBe(0);
    expect(await page.locator('section h2[id^="c-"]').count()).toBe(10);
    expect(asked).toEqual(['?limit=50', `?limit=50&after=${encodeURIComponent(`${all[49]!.country}/${all[49]!.id}`)}`, `?limit=50&after=${encodeURIComponent(`${all[99]!.country}/${all[99]!.id}`)}`]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await context.close();
  });
});
