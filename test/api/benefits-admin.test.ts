/** The administrators' register of partners and offers: bad input by table, nothing half-written, edits, retirement, partner accounts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { createOffer, createPartner, OFFER, PARTNER } from './benefits-fixtures.js';

let t: TestContext;
let partnerId: string;
const now = new Date('2027-03-10T09:00:00Z');
beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  partnerId = (await createPartner(t)).id;
});
afterAll(() => t.close());

const rows = async (table: string) => ((await t.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: Array<{ n: number }> }).rows[0]!.n;
const UNKNOWN = '6b0f3f3e-8f43-4c8e-9a52-3c2b1d0e9f11';

describe('POST /v1/partners refuses bad input, and writes nothing', () => {
  it.each([
    ['no name', { name: undefined }, 'validation-failed', '/name'],
    ['empty name', { name: '' }, 'validation-failed', '/name'],
    ['unknown category', { category: 'casino' }, 'validation-failed', '/category'],
    ['description in an unknown language', { description: { fr: 'x', de: 'y' } }, 'validation-failed', '/description'],
    ['empty description', { description: {} }, 'validation-failed', '/description'],
    ['address without locality', { addresses: [{ line1: '1 rue' }] }, 'validation-failed', '/addresses/0'],
    ['latitude out of range', { addresses: [{ line1: '1 rue', locality: 'T', lat: 91, lon: 7 }] }, 'validation-failed', '/addresses/0/lat'],
    ['latitude without longitude', { addresses: [{ line1: '1 rue', locality: 'T', lat: 48 }] }, 'validation-failed', '/addresses/0'],
    ['unknown counter language', { languages: ['fr', 'zz'] }, 'language-unknown', '/languages/1'],
    ['website not http(s)', { website: 'javascript:alert(1)' }, 'validation-failed', '/website'],
    ['phone with letters', { phone: 'call me' }, 'validation-failed', '/phone'],
    ['acceptsCardAsId not a boolean', { acceptsCardAsId: 'yes' }, 'validation-failed', '/acceptsCardAsId'],
    ['unknown field', { contactPerson: 'Jane' }, 'validation-failed', ''],
  ])('%s → %s', async (_name, change, code, path) => {
    const before = await rows('benefit_partners');
    const res = await t.app.inject({ method: 'POST', url: '/v1/partners', headers: t.auth('admin'), payload: { ...PARTNER, ...change } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe(code);
    if (path) expect(res.json().errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
    expect(await rows('benefit_partners')).toBe(before);
  });
});

describe('POST /v1/partners/:id/offers refuses bad input, and writes nothing', () => {
  it.each([
    ['no title', { title: undefined }, 'validation-failed', '/title', 400],
    ['empty title', { title: {} }, 'validation-failed', '/title', 400],
    ['title in an unknown language', { title: { en: 'x', it: 'y' } }, 'validation-failed', '/title', 400],
    ['unknown kind', { kind: 'lottery' }, 'validation-failed', '/kind', 400],
    ['unknown limit', { limit: { per: 'week' } }, 'validation-failed', '/limit/per', 400],
    ['limit as a string', { limit: 'once' }, 'validation-failed', '/limit', 400],
    ['negative age', { ageMin: -1 }, 'validation-failed', '/ageMin', 400],
    ['age not an integer', { ageMax: 17.5 }, 'validation-failed', '/ageMax', 400],
    ['age range upside down', { ageMin: 65, ageMax: 18 }, 'offer-age-range-invalid', '/ageMax', 400],
    ['not a date', { validFrom: '1 March' }, 'validation-failed', '/validFrom', 400],
    ['ends before it starts', { validFrom: '2027-05-01', validUntil: '2027-04-30' }, 'offer-dates-invalid', '/validUntil', 400],
    ['unknown field', { price: 0 }, 'validation-failed', '', 400],
  ])('%s → %s', async (_name, change, code, path, status) => {
    const before = await rows('benefit_offers');
    const res = await t.app.inject({ method: 'POST', url: `/v1/partners/${partnerId}/offers`, headers: t.auth('admin'), payload: { ...OFFER, ...change } });
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(code);
    if (path) expect(res.json().errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
    expect(await rows('benefit_offers')).toBe(before);
  });

  it('an unknown or retired partner has no offers → organisation-not-found', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/partners/${UNKNOWN}/offers`, headers: t.auth('admin'), payload: OFFER });
    expect([res.statusCode, res.json().code]).toEqual([404, 'organisation-not-found']);
    const gone = await createPartner(t, { name: 'Closed library' });
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/partners/${gone.id}`, headers: t.auth('admin') })).statusCode).toBe(204);
    const again = await t.app.inject({ method: 'POST', url: `/v1/partners/${gone.id}/offers`, headers: t.auth('admin'), payload: OFFER });
    expect([again.statusCode, again.json().code]).toEqual([404, 'organisation-not-found']);
  });
});

describe('editing the register', () => {
  it('creates a partner with today as the acceptance confirmation when acceptsCardAsId is given', async () => {
    const bank = await createPartner(t, { name: 'Banque Populaire', category: 'finance', acceptsCardAsId: true });
    expect(bank).toMatchObject({ acceptsCardAsId: true, acceptanceConfirmedOn: '2027-03-10', retired: false });
    const plain = await createPartner(t, { name: 'Café', category: 'food', acceptsCardAsId: undefined });
    expect(plain).toMatchObject({ acceptsCardAsId: false, acceptanceConfirmedOn: null });
    const patched = await t.app.inject({ method: 'PATCH', url: `/v1/partners/${plain.id}`, headers: t.auth('admin'), payload: { acceptsCardAsId: true, hours: 'Mo-Sa 07:00-19:00' } });
    expect(patched.json()).toMatchObject({ acceptsCardAsId: true, acceptanceConfirmedOn: '2027-03-10', hours: 'Mo-Sa 07:00-19:00', name: 'Café' });
  });

  it('PATCH checks its body and the stored offer together', async () => {
    const offer = await createOffer(t, partnerId, { ageMin: 18 });
    for (const [patch, code] of [
      [{ ageMax: 17 }, 'offer-age-range-invalid'],
      [{ validFrom: '2027-06-01', validUntil: '2027-05-01' }, 'offer-dates-invalid'],
      [{ kind: 'x' }, 'validation-failed'],
      [{}, 'validation-failed'],
    ] as const) {
      const res = await t.app.inject({ method: 'PATCH', url: `/v1/offers/${offer.id}`, headers: t.auth('admin'), payload: patch });
      expect(res.json().code, JSON.stringify(patch)).toBe(code);
    }
    const ok = await t.app.inject({ method: 'PATCH', url: `/v1/offers/${offer.id}`, headers: t.auth('admin'), payload: { ageMin: null, ageMax: 25, limit: { per: 'month' }, title: { en: 'Youth pass' } } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ageMin: null, ageMax: 25, limit: { per: 'month' }, title: { en: 'Youth pass' }, partner: { name: PARTNER.name } });
    const miss = await t.app.inject({ method: 'PATCH', url: `/v1/offers/${UNKNOWN}`, headers: t.auth('admin'), payload: { kind: 'other' } });
    expect([miss.statusCode, miss.json().code]).toEqual([404, 'offer-not-found']);
  });

  it('retiring an offer takes it out of the directory; retiring twice is fine', async () => {
    const offer = await createOffer(t, partnerId, { title: { en: 'Retire me' } });
    const listed = async () => (await t.app.inject('/v1/offers?q=Retire')).json().items.length;
    expect(await listed()).toBe(1);
    for (let i = 0; i < 2; i++) expect((await t.app.inject({ method: 'DELETE', url: `/v1/offers/${offer.id}`, headers: t.auth('admin') })).statusCode).toBe(204);
    expect(await listed()).toBe(0);
  });

  it('every change is in the audit log, naming no one', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/audit?limit=200', headers: t.auth('admin') });
    const actions = JSON.stringify(res.json());
    for (const a of ['benefits.partner_create', 'benefits.partner_update', 'benefits.partner_retire', 'benefits.offer_create', 'benefits.offer_update', 'benefits.offer_retire']) expect(actions).toContain(a);
  });
});

describe('partner accounts belong to one organisation', () => {
  it('service keys and partner_service staff take a partnerId that must exist', async () => {
    const key = await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'museum desk', profile: 'residency_only', partnerId } });
    expect(key.statusCode, key.body).toBe(201);
    expect(key.json().partnerId).toBe(partnerId);
    const bad = await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'nobody', profile: 'residency_only', partnerId: UNKNOWN } });
    expect([bad.statusCode, bad.json().code]).toEqual([404, 'organisation-not-found']);
    const notUuid = await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'x', profile: 'residency_only', partnerId: 'museum' } });
    expect(notUuid.json().code).toBe('validation-failed');
    const staff = await t.app.inject({ method: 'POST', url: '/v1/staff', headers: t.auth('admin'), payload: { username: 'museum.desk', password: TEST_PASSWORD, role: 'partner_service', partnerId } });
    expect(staff.statusCode, staff.body).toBe(201);
    expect(staff.json()).toMatchObject({ role: 'partner_service', partnerId });
    const moved = await t.app.inject({ method: 'PATCH', url: `/v1/staff/${staff.json().id}`, headers: t.auth('admin'), payload: { partnerId: null } });
    expect(moved.json().partnerId).toBeNull();
  });
});
