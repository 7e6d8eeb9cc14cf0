/**
 * Holders by age band (issue 16, "numbers without people"): only holders of
 * a card in force count, a partial birth date that spans two bands is
 * `unknown`, every band under 10 is null, and the answer names no one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';

let t: TestContext;
let now = new Date('2027-03-10T12:00:00Z');
const ids: string[] = [];

const holder = async (name: string, birthDate: string | null, card = true) => {
  const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: name }, birthDate });
  ids.push(id);
  return card ? issue(t, id) : undefined;
};
const ages = () => t.app.inject({ method: 'GET', url: '/v1/benefits/holder-ages', headers: t.auth('admin') });
const band = (body: { bands: Array<{ band: string; count: number | null }> }, b: string) => body.bands.find((x) => x.band === b)?.count;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  const letters = 'ABCDEFGHIJKLMNOP';
  // 12 holders born 1987-11-23 (39 on 2027-03-01), 11 born 1998-06-15 (28), 3 born 1950 (77).
  for (let i = 0; i < 12; i++) await holder(`Ana ${letters[i]} Silva`, '1987-11-23');
  for (let i = 0; i < 11; i++) await holder(`Bo ${letters[i]} Lind`, '1998-06-15');
  for (let i = 0; i < 3; i++) await holder(`Cy ${letters[i]} Old`, '1950-01-01');
  // 17 or 18 on the first of March 2027: counted as unknown, never guessed; an unknown date likewise.
  await holder('Dee Year Only', '2009');
  await holder('Eve No Date', null);
  // Not holders: no card; a revoked card.
  for (let i = 0; i < 4; i++) await holder(`Fay ${letters[i]} Nocard`, '1987-11-23', false);
  const revoked = await holder('Gus Revoked', '1998-06-15');
  const r = await t.app.inject({ method: 'POST', url: `/v1/cards/${revoked!.number}/revoke`, headers: t.auth('clerk'), payload: { reason: 'lost' } });
  expect(r.statusCode, r.body).toBe(200);
});
afterAll(() => t.close());

describe('GET /v1/benefits/holder-ages', () => {
  it('counts holders of a card in force by band, as of the first of the month; small bands are null', async () => {
    const res = await ages();
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.asOf).toBe('2027-03-01');
    expect(body.k).toBe(10);
    expect(body.total).toBe(28);
    expect(band(body, '35-44')).toBe(12);
    expect(band(body, '25-34')).toBe(11);
    // 3 holders of 65+, 2 unknown, none under 25 or 45-64: fewer than 10, shown as null.
    for (const b of ['0-17', '18-24', '45-54', '55-64', '65+', 'unknown']) expect(band(body, b), b).toBeNull();
    expect(body.bands.map((b: { band: string }) => b.band)).toEqual(['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+', 'unknown']);
  });

  it('names no one: no resident id, card number or birth date in the answer', async () => {
    const text = (await ages()).body;
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).not.toMatch(/1987|1998|1950|2009|LCC-/);
  });

  it('one snapshot a month: cards issued during the month show in the next one', async () => {
    for (let i = 0; i < 10; i++) await holder(`Hal ${'ABCDEFGHIJ'[i]} New`, '1960-05-05');
    expect(band((await ages()).json(), '65+')).toBeNull();
    now = new Date('2027-04-02T12:00:00Z');
    const april = (await ages()).json();
    expect(april.asOf).toBe('2027-04-01');
    // 10 born 1960-05-05 (66) + 3 born 1950 = 13 holders of 65+.
    expect(band(april, '65+')).toBe(13);
    expect(april.total).toBe(38);
  });

  it('is for administrators only', async () => {
    for (const role of ['clerk', 'official', 'partner_service'] as const) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/benefits/holder-ages', headers: t.auth(role) });
      expect(res.statusCode, role).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/benefits/holder-ages' })).statusCode).toBe(401);
  });
});
