/**
 * At the counter: offers in the verify answer, redemptions under
 * concurrency, 409 with the date, 422 for a card that is not valid, and what
 * a seized database holds afterwards (no card number, resident id or name;
 * no pseudonym that MASTER_KEY and the card number can recompute).
 */
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, transition, type Issued } from '../helpers/cards.js';
import { dumpDatabase, forms } from '../helpers/dump.js';
import { deriveKey } from '../../src/security/derive.js';
import { formatCardNumber } from '../../src/credential/index.js';
import { redemptionKeyOf } from '../../src/modules/benefits/counter-hook.js';
import { bearer, createOffer, createPartner, partnerKey } from './benefits-fixtures.js';

let now = new Date('2027-03-10T09:00:00Z');
let t: TestContext;
let museum: string;
let library: string;
let museumKey: { id: string; secret: string };
let libraryKey: { id: string; secret: string };
let card: Issued;
let residentId: string;
let yearly: string;
let once: string;
let monthly: string;
let free: string;
let seniors: string;
let youth: string;
let libraryOnce: string;

const redeem = (offerId: string, qr: string, headers: Record<string, string>) => t.app.inject({ method: 'POST', url: `/v1/offers/${offerId}/redemptions`, headers, payload: { qr } });
const pseudonyms = async () =>
  ((await t.database.db.execute(sql.raw(`select offer_id, period, encode(pseudonym, 'hex') as p from benefit_redemptions`))) as unknown as { rows: Array<{ offer_id: string; period: string; p: string }> }).rows;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  museum = (await createPartner(t)).id;
  library = (await createPartner(t, { name: 'Médiathèque', category: 'library' })).id;
  museumKey = await partnerKey(t, museum);
  libraryKey = await partnerKey(t, library, 'residency_only');
  yearly = (await createOffer(t, museum, { title: { fr: 'Pass annuel', en: 'Year pass' }, limit: { per: 'year' } })).id;
  once = (await createOffer(t, museum, { title: { en: 'Welcome gift' }, kind: 'other', limit: { per: 'once' } })).id;
  monthly = (await createOffer(t, museum, { title: { en: 'Monthly concert' }, limit: { per: 'month' } })).id;
  free = (await createOffer(t, museum, { title: { en: 'Reduced entry' }, kind: 'discount', limit: { per: 'none' } })).id;
  seniors = (await createOffer(t, museum, { title: { en: 'Seniors' }, limit: { per: 'none' }, ageMin: 65 })).id;
  youth = (await createOffer(t, museum, { title: { en: 'Under 37' }, limit: { per: 'none' }, ageMax: 36 })).id;
  libraryOnce = (await createOffer(t, library, { title: { en: 'Library card' }, kind: 'membership', limit: { per: 'once' } })).id;
  residentId = await enrol(t);
  card = await issue(t, residentId);
});
afterAll(() => t.close());

describe('POST /v1/verify for a partner principal', () => {
  it('lists that partner’s offers with eligible and redeemable; other callers get no offers', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: { ...bearer(museumKey.secret), 'accept-language': 'fr' }, payload: { qr: card.qr } });
    expect(res.statusCode, res.body).toBe(200);
    const offers = res.json().offers as Array<{ id: string; title: string; eligible: unknown; redeemable: boolean }>;
    expect(offers.map((o) => o.id)).toEqual([yearly, once, monthly, free, seniors, youth]);
    expect(offers[0]).toMatchObject({ title: 'Pass annuel', eligible: true, redeemable: true, limit: { per: 'year' } });
    expect(offers.find((o) => o.id === seniors)).toMatchObject({ eligible: false, redeemable: false });
    // Born 1987-11-23: 39 on 2027-03-10.
    expect(offers.find((o) => o.id === youth)).toMatchObject({ eligible: false });
    const lib = (await t.app.inject({ method: 'POST', url: '/v1/verify', headers: bearer(libraryKey.secret), payload: { qr: card.qr } })).json();
    expect(lib.offers.map((o: { id: string }) => o.id)).toEqual([libraryOnce]);
    expect(lib.card).toBeUndefined();
    for (const headers of [t.auth('official'), t.auth('partner_service')]) {
      const plain = (await t.app.inject({ method: 'POST', url: '/v1/verify', headers, payload: { qr: card.qr } })).json();
      expect(plain.result).toBe('valid');
      expect(plain.offers).toBeUndefined();
    }
  });

  it('a partial birth date never excludes: check-by-hand where it could go either way, a clear answer where it cannot', async () => {
    const c1990 = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Year Only' }, birthDate: '1990' }));
    const unknown = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'No Date' }, birthDate: null }));
    const at = async (qr: string) => Object.fromEntries(((await t.app.inject({ method: 'POST', url: '/v1/verify', headers: bearer(museumKey.secret), payload: { qr } })).json().offers as Array<{ id: string; eligible: unknown }>).map((o) => [o.id, o.eligible]));
    const y = await at(c1990.qr);
    expect([y[free], y[youth], y[seniors]]).toEqual([true, 'check-by-hand', false]);
    const u = await at(unknown.qr);
    expect([u[free], u[youth], u[seniors]]).toEqual([true, 'check-by-hand', 'check-by-hand']);
    const r = await redeem(youth, c1990.qr, bearer(museumKey.secret));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().eligible).toBe('check-by-hand');
  });
});

describe('POST /v1/offers/:id/redemptions', () => {
  it('20 concurrent redemptions of one card for a once-a-year offer: exactly one 201; then 409 with the date', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => redeem(yearly, card.qr, bearer(museumKey.secret))));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    const won = results.find((r) => r.statusCode === 201)!.json();
    expect(won).toEqual({ offerId: yearly, period: '2027', availableAgain: '2028-01-01', eligible: true });
    for (const lost of results.filter((r) => r.statusCode === 409)) expect(lost.json()).toMatchObject({ code: 'offer-already-redeemed', availableAgain: '2028-01-01' });
    const second = await redeem(yearly, card.qr, bearer(museumKey.secret));
    expect([second.statusCode, second.json().code, second.json().availableAgain]).toEqual([409, 'offer-already-redeemed', '2028-01-01']);
    const counter = (await t.app.inject({ method: 'POST', url: '/v1/verify', headers: bearer(museumKey.secret), payload: { qr: card.qr } })).json().offers.find((o: { id: string }) => o.id === yearly);
    expect(counter).toMatchObject({ redeemable: false, availableAgain: '2028-01-01' });
    expect((await pseudonyms()).filter((r) => r.offer_id === yearly)).toHaveLength(1);
  });

  it('once: 409 with availableAgain null; month: again on the 1st of next month, in the city’s time zone', async () => {
    expect((await redeem(once, card.qr, bearer(museumKey.secret))).statusCode).toBe(201);
    const never = await redeem(once, card.qr, bearer(museumKey.secret));
    expect([never.statusCode, never.json().availableAgain]).toEqual([409, null]);
    expect((await redeem(monthly, card.qr, bearer(museumKey.secret))).json()).toMatchObject({ period: '2027-03', availableAgain: '2027-04-01' });
    expect((await redeem(monthly, card.qr, bearer(museumKey.secret))).json().availableAgain).toBe('2027-04-01');
    // 23:30 UTC on 31 March is already 1 April in Europe/Paris (the test city's zone).
    now = new Date('2027-03-31T23:30:00Z');
    try {
      const april = await redeem(monthly, card.qr, bearer(museumKey.secret));
      expect(april.json()).toMatchObject({ period: '2027-04', availableAgain: '2027-05-01' });
      // March's pseudonym is gone: the table holds only the current period.
      expect((await pseudonyms()).filter((r) => r.offer_id === monthly).map((r) => r.period)).toEqual(['2027-04']);
    } finally {
      now = new Date('2027-03-10T09:00:00Z');
    }
  });

  it('a card that is not valid → 422 with its result; nothing recorded', async () => {
    const other = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Suspended Holder' } }));
    expect((await transition(t, other.number, 'suspend', 'holder-request')).statusCode).toBe(200);
    const before = (await pseudonyms()).length;
    for (const [qr, result] of [
      [other.qr, 'suspended'],
      ['NOT A CARD', 'malformed'],
    ] as const) {
      const res = await redeem(once, qr, bearer(museumKey.secret));
      expect([res.statusCode, res.json().code, res.json().result]).toEqual([422, 'redemption-card-invalid', result]);
    }
    expect((await pseudonyms()).length).toBe(before);
  });

  it('refuses another partner’s offer, an ineligible holder, a retired offer, and limited offers through a staff account', async () => {
    const notYours = await redeem(libraryOnce, card.qr, bearer(museumKey.secret));
    expect([notYours.statusCode, notYours.json().code]).toEqual([403, 'offer-not-yours']);
    const plainKey = (await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'plain', profile: 'residency_only' } })).json().secret;
    expect((await redeem(free, card.qr, bearer(plainKey))).json().code).toBe('offer-not-yours');
    const old = await redeem(seniors, card.qr, bearer(museumKey.secret));
    expect([old.statusCode, old.json().code]).toEqual([422, 'offer-not-eligible']);
    const missing = await redeem('6b0f3f3e-8f43-4c8e-9a52-3c2b1d0e9f11', card.qr, bearer(museumKey.secret));
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'offer-not-found']);
    const retiring = (await createOffer(t, museum, { title: { en: 'Soon gone' } })).id;
    await t.app.inject({ method: 'DELETE', url: `/v1/offers/${retiring}`, headers: t.auth('admin') });
    expect((await redeem(retiring, card.qr, bearer(museumKey.secret))).json().code).toBe('offer-not-available');

    await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'museum.staff', password: TEST_PASSWORD, role: 'partner_service', partnerId: museum } });
    const token = (await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'museum.staff', password: TEST_PASSWORD } })).json().accessToken;
    const staff = { authorization: `Bearer ${token}` };
    const seen = (await t.app.inject({ method: 'POST', url: '/v1/verify', headers: staff, payload: { qr: card.qr } })).json().offers;
    expect(seen.find((o: { id: string }) => o.id === monthly)).toMatchObject({ eligible: true, redeemable: false });
    expect(seen.find((o: { id: string }) => o.id === free)).toMatchObject({ eligible: true, redeemable: true });
    const limited = await redeem(monthly, card.qr, staff);
    expect([limited.statusCode, limited.json().code]).toEqual([403, 'redemption-needs-service-key']);
    expect((await redeem(free, card.qr, staff)).statusCode).toBe(201);
  });

  it('the same card at two partners (and two offers of one) gives unrelated pseudonyms', async () => {
    expect((await redeem(libraryOnce, card.qr, bearer(libraryKey.secret))).statusCode).toBe(201);
    const rows = await pseudonyms();
    const lib = rows.find((r) => r.offer_id === libraryOnce)!;
    const mus = rows.find((r) => r.offer_id === once)!;
    expect(lib.p).not.toBe(mus.p);
    expect(new Set(rows.map((r) => r.p)).size).toBe(rows.length);
    // Each partner's key makes its own row only: the museum's key cannot find the card among the library's rows.
    const subject = (partnerId: string, offerId: string) => JSON.stringify([partnerId, offerId, 'once', t.config.cityId, card.number.replaceAll('-', '')]);
    const mac = (key: Buffer, s: string) => createHmac('sha256', key).update(s).digest('hex');
    expect(mac(redemptionKeyOf(libraryKey.secret), subject(library, libraryOnce))).toBe(lib.p);
    expect(mac(redemptionKeyOf(museumKey.secret), subject(library, libraryOnce))).not.toBe(lib.p);
    expect(mac(redemptionKeyOf(museumKey.secret), subject(museum, once))).toBe(mus.p);
  });

  it('counts per offer and month: under 10 shown as fewer than 10; a partner sees its own offers only', async () => {
    for (let i = 0; i < 10; i++) expect((await redeem(free, card.qr, bearer(museumKey.secret))).statusCode).toBe(201);
    const city = (await t.app.inject({ url: '/v1/benefits/redemption-counts', headers: t.auth('admin') })).json().items as Array<{ offerId: string; months: unknown[] }>;
    const byId = Object.fromEntries(city.map((i) => [i.offerId, i.months]));
    expect(byId[free]).toEqual([{ month: '2027-03', count: 11 }]);
    expect(byId[yearly]).toEqual([{ month: '2027-03', count: null, fewerThan: 10 }]);
    expect(byId[libraryOnce]).toEqual([{ month: '2027-03', count: null, fewerThan: 10 }]);
    const own = (await t.app.inject({ url: '/v1/benefits/redemption-counts', headers: bearer(libraryKey.secret) })).json().items;
    expect(own.map((i: { offerId: string }) => i.offerId)).toEqual([libraryOnce]);
    expect((await t.app.inject({ url: '/v1/benefits/redemption-counts?from=2027-04', headers: t.auth('admin') })).json().items.map((i: { offerId: string }) => i.offerId)).toEqual([monthly]);
  });
});

describe('a seized database, after redemptions', () => {
  it('holds no card number in any form, no resident id, no name, and no pseudonym MASTER_KEY and the card number recompute', async () => {
    const dump = await dumpDatabase(t.database);
    const rows = await pseudonyms();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    // Only the benefits tables are this suite's to judge; the rest of the dump answers to their own privacy suites.
    const benefits = ((await t.database.db.execute(sql.raw(`select row_to_json(r)::text as j from (select offer_id, period, encode(pseudonym, 'hex') as h, encode(pseudonym, 'base64') as b from benefit_redemptions union all select offer_id, month, count::text, '' from benefit_redemption_counts) r`))) as unknown as { rows: Array<{ j: string }> }).rows.map((r) => r.j).join('\n');
    const number = card.number.replaceAll('-', '');
    for (const secret of [number, formatCardNumber(number), card.number, residentId, REFERENCE_RESIDENT.names.printed]) {
      for (const f of forms(secret)) {
        expect(benefits.includes(f), `benefits tables hold ${f}`).toBe(false);
        // The resident's own record is keyed by its id, of course; no other trace of the card or the name anywhere.
        if (secret !== residentId) expect(dump.includes(f), `the dump holds ${f}`).toBe(false);
      }
    }
    // Everything the city holds or derives (MASTER_KEY, its HKDF keys, the stored key hashes) cannot make a stored pseudonym.
    const master = t.config.masterKey;
    const storedHashes = ((await t.database.db.execute(sql.raw(`select secret_hash from service_keys`))) as unknown as { rows: Array<{ secret_hash: string }> }).rows.map((r) => r.secret_hash);
    const labels = ['field-encryption', 'blind-index', 'staff-jwt', 'private-key-wrap', 'throttle-index', 'pin-pepper', 'event-pseudonym', 'event-ticket', 'appointment-pin'] as const;
    const candidates: Buffer[] = [
      master,
      ...labels.map((l) => deriveKey(master, l)),
      Buffer.from(hkdfSync('sha256', master, 'lcc/hkdf-salt/v1', 'lcc/redemption/v1', 32)),
      ...storedHashes.flatMap((h) => [Buffer.from(h, 'hex'), Buffer.from(h)]),
    ];
    const inners = candidates.flatMap((k) => [k, createHmac('sha256', k).update('lcc/redemption/v1').digest()]);
    const stored = new Set(rows.map((r) => r.p));
    const offers = [...new Set(rows.map((r) => r.offer_id))];
    const partners = [museum, library];
    let tried = 0;
    for (const key of inners)
      for (const partnerId of partners)
        for (const r of rows.filter((x) => offers.includes(x.offer_id))) {
          const guess = createHmac('sha256', key).update(JSON.stringify([partnerId, r.offer_id, r.period, t.config.cityId, number])).digest('hex');
          tried++;
          expect(stored.has(guess)).toBe(false);
        }
    expect(tried).toBeGreaterThan(100);
    // Control: the partner's own secret does recompute its row, so the search above could have found one.
    const mine = createHmac('sha256', redemptionKeyOf(museumKey.secret)).update(JSON.stringify([museum, once, 'once', t.config.cityId, number])).digest('hex');
    expect(stored.has(mine)).toBe(true);
    expect(createHash('sha256').update(museumKey.secret).digest('hex')).toBe(storedHashes.find((h) => h === createHash('sha256').update(museumKey.secret).digest('hex')));
  });
});
