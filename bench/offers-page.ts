/**
 * /offers on a cheap phone, for a directory of 500 partners and 2,000
 * offers: `npx tsx bench/offers-page.ts [partners] [offers]` (PostgreSQL
 * with BENCH_DATABASE_URL or TEST_DATABASE_URL, else in-memory PGlite).
 * Debian's Chromium at 360 × 740, throttled through the DevTools protocol
 * like Lighthouse's mobile profile (150 ms round trip, 1.6 Mbit/s down,
 * 750 kbit/s up, CPU 4× slower). Prints the bytes over the wire of a first
 * visit (headers and bodies as the server encoded them) per request, and
 * the time from navigation to usable: the first offers and the places that
 * accept the card as ID on screen, the filters answering. Median of 3 cold
 * loads (a fresh browser context each, so no cache).
 */
import { chromium, type Page } from 'playwright-core';
import { createBenchApp, fmt, table } from './lib/bench-app.js';

const PARTNERS = Number(process.argv[2] ?? 500);
const OFFERS = Number(process.argv[3] ?? 2000);
const CATEGORIES = ['culture', 'library', 'health', 'finance', 'transport', 'sport', 'food', 'education', 'legal-aid', 'social-services', 'other'];
const KINDS = ['membership', 'discount', 'free-entry', 'service', 'other'];
const LIMITS = ['none', 'once', 'year', 'month'];

const bench = await createBenchApp({ poolSize: 10 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'] });
try {
  const admin = { authorization: `Bearer ${await bench.token('admin')}` };
  const ids: string[] = [];
  for (let i = 0; i < PARTNERS; i++) {
    const res = await bench.app.inject({
      method: 'POST',
      url: '/v1/partners',
      headers: admin,
      payload: {
        name: `Partner ${String(i).padStart(3, '0')} ${CATEGORIES[i % CATEGORIES.length]}`,
        category: CATEGORIES[i % CATEGORIES.length],
        description: { fr: `Une organisation du quartier numéro ${i}, ouverte à tous les résidents.`, en: `A neighbourhood organisation number ${i}, open to every resident.`, ar: `منظمة حي رقم ${i}، مفتوحة لكل المقيمين.` },
        addresses: [{ line1: `${i} rue de la République`, postalCode: `670${String(i % 100).padStart(2, '0')}`, locality: 'Benchville', lat: 48.55 + (i % 50) / 1000, lon: 7.7 + (i % 70) / 1000 }],
        hours: 'Mo-Fr 09:00-18:00; Sa 10:00-13:00',
        languages: ['fr', 'en', 'ar'].slice(0, 1 + (i % 3)),
        website: `https://partner${i}.example.org`,
        phone: '+33 3 88 00 00 00',
        // One in five accepts the card as ID: banks, clinics, pharmacies, schools.
        acceptsCardAsId: i % 5 === 0,
      },
    });
    ids.push(res.json().id);
  }
  for (let i = 0; i < OFFERS; i++) {
    await bench.app.inject({
      method: 'POST',
      url: `/v1/partners/${ids[i % ids.length]}/offers`,
      headers: admin,
      payload: {
        title: { fr: `Offre ${i} : entrée à tarif réduit`, en: `Offer ${i}: reduced entry`, ar: `العرض ${i}: دخول بسعر مخفض` },
        description: { fr: 'Sur présentation de la carte, au guichet.', en: 'On showing the card at the counter.' },
        kind: KINDS[i % KINDS.length],
        limit: { per: LIMITS[i % LIMITS.length] },
        ...(i % 7 === 0 ? { ageMin: 18 } : {}),
      },
    });
  }

  async function visit(): Promise<{ ms: number; requests: Array<{ url: string; bytes: number; encoding: string }> }> {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page: Page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const requests: Array<Promise<{ url: string; bytes: number; encoding: string }>> = [];
    page.on('requestfinished', (req) =>
      requests.push(Promise.all([req.sizes(), req.response()]).then(async ([s, res]) => ({ url: req.url().replace(bench.url, ''), bytes: s.responseBodySize + s.responseHeadersSize, encoding: (await res?.headerValue('content-encoding')) ?? 'identity' }))),
    );
    await page.goto(`${bench.url}/offers`, { waitUntil: 'commit' });
    // Usable: the first page of offers and the accepted-as-ID list are on screen.
    await page.waitForFunction(() => document.querySelectorAll('.offer').length > 0 && document.querySelectorAll('.place').length > 0, undefined, { polling: 50, timeout: 120_000 });
    const ms = await page.evaluate(() => performance.now());
    await page.waitForLoadState('networkidle');
    const all = await Promise.all(requests);
    await context.close();
    return { ms, requests: all };
  }

  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await visit());
  runs.sort((a, b) => a.ms - b.ms);
  const median = runs[1]!;
  const total = median.requests.reduce((s, r) => s + r.bytes, 0);
  const api = await bench.app.inject({ method: 'GET', url: '/v1/offers?limit=50&offset=0' });
  table(`/offers, first visit, ${PARTNERS} partners and ${OFFERS} offers (${bench.kind}; Chromium 360 px, 150 ms RTT, 1.6 Mbit/s, CPU ×4; Node ${process.version})`, [
    ['bytes over the wire, first load', `${fmt(total / 1024, 1)} KB in ${median.requests.length} requests`],
    ...median.requests.map((r): [string, string] => [`  ${r.url.length > 50 ? `${r.url.slice(0, 47)}…` : r.url}`, `${fmt(r.bytes / 1024, 1)} KB (${r.encoding})`]),
    ['time to usable (median of 3, cold)', `${fmt(median.ms)} ms (runs: ${runs.map((r) => fmt(r.ms)).join(', ')})`],
    ['GET /v1/offers?limit=50, uncompressed', `${fmt(api.body.length / 1024, 1)} KB`],
  ]);
} finally {
  await browser.close();
  await bench.close();
}
