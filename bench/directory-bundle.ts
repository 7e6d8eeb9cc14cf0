/**
 * The world directory on the verifier page (issue 19):
 * `npx tsx bench/directory-bundle.ts [issuers] [countries]` (defaults 35,000 and 10).
 *
 * 1. A city (GR) knows `issuers` cities of `countries` other countries through
 *    the world directory: each with a real Ed25519 signing key (one in five
 *    also a retired one, as after a rotation) and a real signed status list
 *    (IETF Token Status List, 2 bits, ≥ 131,072 slots, doubling when half
 *    full). Cards per city follow a Zipf law within each country (the
 *    largest 200,000, the smallest a few dozen), 2 % of them revoked or
 *    suspended at random slots. The rows are written as the federation sync
 *    leaves them (state active, keys and last good status list), without
 *    running 35,000 syncs: what is measured is the bundle, not the sync.
 * 2. GET /v1/verifier-directory over HTTP: bytes raw and gzip as served, time
 *    to build it once.
 * 3. In Debian's Chromium, on the city's /verify origin: the page's own code
 *    (bench/lib/directory-probe.ts bundles src/web/verify) fetches the
 *    bundle, opens it (one signature check + index), checks one card of a
 *    city in the directory (first card of that city: its keys imported and
 *    its status list verified; then a second card of the same city); and
 *    the real page, ticking "cards from any city in the directory", until it
 *    says the directory is kept, then reloaded offline (the kept copy is
 *    opened on the first card that needs it) and two cards pasted.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { encodeStatusList, generateCardNumber, issueCardQrText, signStatusList } from '../src/credential/index.js';
import { createFederationRepository } from '../src/modules/federation/federation-repository.js';
import { federationPartners, type PartnerKey } from '../src/modules/federation/federation-tables.js';
import { bundleScript } from '../src/web/assets.js';
import { fromRoot } from '../src/paths.js';
import { createBenchApp, table } from './lib/bench-app.js';

const ISSUERS = Number(process.argv[2] ?? 35_000);
const COUNTRIES = ['FR', 'DE', 'IT', 'ES', 'PT', 'NL', 'BE', 'AT', 'CH', 'PL'].slice(0, Number(process.argv[3] ?? 10));
const kB = (n: number) => `${(n / 1024).toFixed(0)} kB`;
const MB = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;

/** Deterministic random numbers (mulberry32), so every run builds the same directory. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function edKey(): { privateKey: KeyObject; jwk: Record<string, string>; kid: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { x } = publicKey.export({ format: 'jwk' }) as { x: string };
  const jwk = { kty: 'OKP', crv: 'Ed25519', x };
  // RFC 7638: SHA-256 of the required members in lexicographic order.
  const kid = createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
  return { privateKey, jwk, kid };
}

interface Made {
  id: string;
  uri: string;
  signing: ReturnType<typeof edKey>;
  free: number;
}

async function main() {
  const bench = await createBenchApp({ env: { CITY_ID: 'gr-athina', CITY_NAME: 'Athina', COUNTRY: 'GR', FEDERATION_SYNC_SECONDS: '0' } });
  const { db } = bench.database;
  const random = rng(19);
  const now = new Date();
  const iat = Math.floor(now.getTime() / 1000);
  const perCountry = Math.ceil(ISSUERS / COUNTRIES.length);
  let t0 = performance.now();
  let rows: Array<typeof federationPartners.$inferInsert> = [];
  let made: Made | undefined;
  let listBytes = 0;
  let cards = 0;
  for (let i = 0; i < ISSUERS; i++) {
    const country = COUNTRIES[i % COUNTRIES.length]!;
    const rank = Math.floor(i / COUNTRIES.length) + 1;
    const id = `${country.toLowerCase()}-city-${String(rank).padStart(5, '0')}`;
    const uri = `https://${id}.example`;
    const issued = Math.max(20, Math.round(200_000 / rank ** 1.1));
    cards += issued;
    let slots = 131_072;
    while (issued > slots / 2) slots *= 2;
    const statuses = new Uint8Array(slots);
    const cancelled = Math.round(issued * 0.02);
    for (let k = 0; k < cancelled; k++) statuses[Math.floor(random() * slots)] = random() < 0.75 ? 1 : 2;
    const signing = edKey();
    const keys: PartnerKey[] = [{ kid: signing.kid, jwk: signing.jwk, alg: 'EdDSA', status: 'active', notBefore: new Date(now.getTime() - 200 * 86_400_000).toISOString(), notAfter: new Date(now.getTime() + 3 * 365 * 86_400_000).toISOString() }];
    if (random() < 0.2) {
      const old = edKey();
      keys.push({ kid: old.kid, jwk: old.jwk, alg: 'EdDSA', status: 'retired', notBefore: new Date(now.getTime() - 800 * 86_400_000).toISOString(), notAfter: new Date(now.getTime() + 300 * 86_400_000).toISOString() });
    }
    const statusListUrl = `${uri}/v1/status-list`;
    const jwt = await signStatusList(encodeStatusList(statuses, 2, slots), { id, statusListUrl }, { kid: signing.kid, privateKey: signing.privateKey, alg: 'EdDSA' }, iat - 3600, 300, iat + 2 * 86_400);
    listBytes += jwt.length;
    if (rank === 42 && country === COUNTRIES[Math.min(4, COUNTRIES.length - 1)]) {
      let free = 7;
      while (statuses[free] !== 0) free++;
      made = { id, uri, signing, free };
    }
    rows.push({
      id, name: `City ${rank} (${country})`, country, source: 'directory', state: 'active', rootFingerprint: edKey().kid,
      metadataUrl: `${uri}/.well-known/lcc-issuer`, keys, statusListUrl, statusListJwt: jwt, statusListFetchedAt: now, lastSyncAt: now,
    });
    if (rows.length === 500 || i === ISSUERS - 1) {
      await db.insert(federationPartners).values(rows);
      rows = [];
    }
  }
  // As the sync does after a change: every instance rebuilds its bundles.
  await createFederationRepository().bumpVersion(db);
  const setup = performance.now() - t0;

  // 2. As served. First, what the build starts with: every active partner row from the database.
  t0 = performance.now();
  const active = await createFederationRepository().active(db);
  const readRows = performance.now() - t0;
  t0 = performance.now();
  const first = await fetch(`${bench.url}/v1/verifier-directory`);
  const jws = await first.text();
  const build = performance.now() - t0;
  const rssAfterBuild = process.memoryUsage().rss;
  const etag = first.headers.get('etag')!;
  const gz = await fetch(`${bench.url}/v1/verifier-directory`, { headers: { 'accept-encoding': 'gzip' } });
  const servedGzip = gz.headers.get('content-encoding') === 'gzip';
  const gzipBytes = servedGzip ? Number(gz.headers.get('content-length') ?? (await gz.arrayBuffer()).byteLength) : gzipSync(jws).length;
  t0 = performance.now();
  const again = await fetch(`${bench.url}/v1/verifier-directory`);
  await again.text();
  const cached = performance.now() - t0;
  const notModified = (await fetch(`${bench.url}/v1/verifier-directory`, { headers: { 'if-none-match': etag } })).status;
  const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as { issuers: unknown[] };

  // A card of one of those cities (rank 42 of the fifth country), as its holder would show it.
  const m = made!;
  const card = (name: string) => issueCardQrText(
    { issuer: m.uri, number: generateCardNumber(randomBytes), name, birthDate: '1991-04-02', country: m.id.slice(0, 2).toUpperCase(), issuedOn: now.toISOString().slice(0, 10), expiresOn: '2031-01-31', statusIndex: m.free, statusUri: `${m.uri}/v1/status-list` } as never,
    { kid: m.signing.kid, privateKey: m.signing.privateKey, alg: 'EdDSA', signBytes: (d: Uint8Array) => sign(null, d, m.signing.privateKey) } as never,
  );
  const qr1 = await card('Yonas Tesfaye');
  const qr2 = await card('Amina Haddad');

  // 3. In Chromium, on the page's origin.
  const probe = (await bundleScript(fromRoot('bench', 'lib', 'directory-probe.ts'), { target: ['chrome111'] })).toString();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  const ctx = await browser.newContext({ bypassCSP: true, locale: 'en-GB' });
  const page = await ctx.newPage();
  await page.goto(`${bench.url}/verify`);
  await page.addScriptTag({ content: probe });
  const inPage = await page.evaluate(async ({ qr1, qr2 }) => {
    const p = (globalThis as unknown as { __probe: any }).__probe;
    const root = await p.pinRoot(await (await fetch('/.well-known/lcc-issuer')).text());
    const loaded = await p.openBundle(await (await fetch('/v1/verifier-bundle')).text(), root, new Date());
    let t = performance.now();
    const text = await (await fetch('/v1/verifier-directory', { cache: 'no-store' })).text();
    const fetched = performance.now() - t;
    t = performance.now();
    const dir = await p.openDirectory(text, root);
    const opened = performance.now() - t;
    t = performance.now();
    const v1 = await p.check(qr1, loaded, new Date(), dir);
    const firstCheck = performance.now() - t;
    t = performance.now();
    const v2 = await p.check(qr2, loaded, new Date(), dir);
    const secondCheck = performance.now() - t;
    const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    return { fetched, opened, firstCheck, secondCheck, issuers: dir.issuers, countries: dir.countries, v1: [v1.outcome, v1.genuine, v1.claims?.name], v2: [v2.outcome, v2.genuine], heap };
  }, { qr1, qr2 });
  if (inPage.v1[1] !== true || inPage.v2[1] !== true) throw new Error(`the card did not check: ${JSON.stringify(inPage)}`);

  // The real page: tick the box, wait for "Directory: … kept on this device"; then offline, reload from Cache Storage.
  const real = await browser.newContext({ locale: 'en-GB' });
  const rp = await real.newPage();
  await rp.goto(`${bench.url}/verify`);
  await rp.waitForFunction(() => /last checked with the city/.test(document.getElementById('list-status')?.textContent ?? ''));
  await rp.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  t0 = performance.now();
  await rp.locator('#directory-toggle').check();
  await rp.waitForFunction(() => /Directory: \d+ cities/.test(document.getElementById('list-status')?.textContent ?? ''), undefined, { timeout: 120_000 });
  const optIn = performance.now() - t0;
  await real.setOffline(true);
  t0 = performance.now();
  await rp.reload();
  await rp.waitForFunction(() => /Directory: \d+ cities/.test(document.getElementById('list-status')?.textContent ?? ''), undefined, { timeout: 120_000 });
  const offlineReload = performance.now() - t0;
  t0 = performance.now();
  await rp.locator('#qr-text').fill(qr1);
  await rp.locator('#paste button[type=submit]').click();
  await rp.locator('#result').getByRole('heading', { name: 'Genuine card', exact: true }).waitFor({ timeout: 60_000 });
  const pasteToVerdict = performance.now() - t0;
  await rp.getByRole('button', { name: 'Check another card' }).click();
  t0 = performance.now();
  await rp.locator('#qr-text').fill(qr2);
  await rp.locator('#paste button[type=submit]').click();
  await rp.locator('#result').getByRole('heading', { name: 'Genuine card', exact: true }).waitFor({ timeout: 60_000 });
  const secondPaste = performance.now() - t0;
  await browser.close();

  table(`World directory on the verifier page — ${payload.issuers.length.toLocaleString('en')} issuers in ${COUNTRIES.length} countries, ${cards.toLocaleString('en')} cards (${bench.kind})`, [
    ['set-up: keys, status lists signed, rows written', ms(setup)],
    ['status lists (JWTs) in all', `${MB(listBytes)}, mean ${(listBytes / ISSUERS).toFixed(0)} B`],
    ['GET /v1/verifier-directory, raw', `${jws.length.toLocaleString('en')} B (${MB(jws.length)})`],
    [`  gzip${servedGzip ? ' (as served, Accept-Encoding: gzip)' : ' (NOT served compressed; gzip -6 of it)'}`, `${gzipBytes.toLocaleString('en')} B (${MB(gzipBytes)})`],
    ['  first build and send, over HTTP', ms(build)],
    [`    of which reading the ${active.length.toLocaleString('en')} partner rows (alone, before)`, ms(readRows)],
    ['  again (cached), over HTTP', ms(cached)],
    ['  server RSS after the build (bench process, PGlite in it)', MB(rssAfterBuild)],
    ['  revalidation with If-None-Match', String(notModified)],
    ['Chromium: fetch it (loopback)', ms(inPage.fetched)],
    ['Chromium: open it (signature check + index)', `${ms(inPage.opened)} (${inPage.issuers} issuers, ${inPage.countries} countries)`],
    ['Chromium: check a card, first of its city (keys + status list)', `${inPage.firstCheck.toFixed(1)} ms → ${inPage.v1.join(', ')}`],
    ['Chromium: check a second card of that city', `${inPage.secondCheck.toFixed(1)} ms → ${inPage.v2.join(', ')}`],
    ['Chromium: JS heap after opening', MB(inPage.heap)],
    ['real page: tick the box → "Directory: … kept"', ms(optIn)],
    ['real page: reload offline → status line with the directory (not opened yet)', ms(offlineReload)],
    ['real page: first foreign card pasted → "Genuine card" (opens the directory)', ms(pasteToVerdict)],
    ['real page: another card of that city → "Genuine card"', ms(secondPaste)],
  ]);
  await bench.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
