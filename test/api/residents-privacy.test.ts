/**
 * A copy of the database alone names no one (DESIGN.md "The resident
 * record"). The DUMP test reads every row of every table of every
 * non-system schema (public, and drizzle's migration journal) and looks for
 * each personal value a clerk entered, in every encoding a careless column
 * could hold it: UTF-8 text, NFD, lower and upper case, the index-normalised
 * form, hex of UTF-8 and UTF-16LE, base64 and JSON-escaped. It also looks
 * for a slice of the stored photo's bytes and for the evidence types.
 * The LOG test captures every log line of the same flows and checks none
 * holds a name, birth date or address.
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/logger.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { dumpDatabase, forms, tablesOf } from '../helpers/dump.js';
import { noisePhoto } from './residents-fixtures.js';

const PERSON = {
  names: { printed: 'Zephyrine Quartermaine', legal: 'Zéphyrine Abernathy-Quartermaine', original: 'زفيرين كوارترمين', transliteration: 'Zafirin Kuwartirmin' },
  birthDate: '1987-11-23',
  gender: { selfDescribed: 'demiboy-xq', pronouns: 'xe/xem', marker: 'X', printMarker: true },
  address: { line1: '17 Rue des Glycines Mauves', line2: 'Escalier Pourpre', postalCode: 'QX-4471', locality: 'Bischheim-Nord' },
  addressConfidential: true,
  preferredLanguage: 'fr',
  languages: ['fr', 'ar'],
  evidence: [{ type: 'consular-id' }, { type: 'utility-bill' }],
};
const HOMELESS = {
  names: { printed: 'Oluwaseun Threnody' },
  birthDate: '1979',
  address: { noFixedAddress: true, careOf: 'Foyer Sainte-Odile Xylophone' },
  preferredLanguage: 'en',
  evidence: [{ type: 'foreign-national-id' }, { type: 'shelter-letter' }],
};

const SECRETS = [
  ...Object.values(PERSON.names),
  ...PERSON.names.printed.split(' '),
  'Abernathy',
  'كوارترمين',
  PERSON.birthDate,
  '23/11/1987',
  PERSON.gender.selfDescribed,
  PERSON.gender.pronouns,
  PERSON.address.line1,
  'Glycines Mauves',
  PERSON.address.line2,
  PERSON.address.postalCode,
  PERSON.address.locality,
  HOMELESS.names.printed,
  'Threnody',
  HOMELESS.address.careOf,
  'Xylophone',
  // A document type alone hints at a migration status.
  'consular-id',
  'foreign-national-id',
];

let t: TestContext;
const lines: string[] = [];
beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  t = await createTestApp({ logger: { ...(loggerOptions('trace') as object), stream } });
});
afterAll(() => t.close());

async function dump(): Promise<string> {
  expect(await tablesOf(t.database)).toEqual(
    expect.arrayContaining(['public.residents', 'public.resident_lookup', 'public.resident_photos', 'public.audit_log', 'public.cards', 'drizzle.__drizzle_migrations']),
  );
  return dumpDatabase(t.database);
}

describe('a copy of the database names no one', () => {
  let photoSlice: Buffer;

  beforeAll(async () => {
    const a = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: PERSON });
    expect(a.statusCode, a.body).toBe(201);
    const id = a.json().resident.id;
    const b = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: HOMELESS });
    expect(b.statusCode, b.body).toBe(201);
    const put = await t.app.inject({ method: 'PUT', url: `/v1/residents/${id}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/jpeg' }, payload: await noisePhoto() });
    expect(put.statusCode).toBe(200);
    const photo = (await t.app.inject({ url: `/v1/residents/${id}/photo`, headers: t.auth('clerk') })).rawPayload;
    photoSlice = photo.subarray(Math.floor(photo.length / 2), Math.floor(photo.length / 2) + 32);
    // A card is issued and printed: its credential (which carries the name and birth date) must be sealed too.
    const card = await t.app.inject({ method: 'POST', url: `/v1/residents/${id}/cards`, headers: t.auth('clerk') });
    expect(card.statusCode, card.body).toBe(201);
    // Edits, searches and reads, so every path that writes has run.
    const patch = await t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': put.headers.etag as string }, payload: { languages: ['fr', 'ar', 'en'] } });
    expect(patch.statusCode).toBe(200);
    await t.app.inject({ url: `/v1/residents?q=${encodeURIComponent('quartermaine')}&birthDate=1987`, headers: t.auth('clerk') });
    await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') });
    // A refused enrolment carrying a secret in a bad field.
    await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { ...PERSON, names: { printed: `${PERSON.names.printed}\u202E` } } });
  });

  it('finds no name, birth date, address, care-of or evidence type in any table, in any encoding', async () => {
    const text = await dump();
    expect(text.length).toBeGreaterThan(1000);
    const found = SECRETS.flatMap((s) => forms(s).filter((f) => text.includes(f)).map((f) => `${s} as ${f}`));
    expect(found).toEqual([]);
  });

  it('holds the photo only encrypted', async () => {
    const text = await dump();
    expect(text.includes(photoSlice.toString('hex'))).toBe(false);
    expect(text.includes(photoSlice.toString('latin1'))).toBe(false);
  });

  it('the dump test would catch a clear value (control)', async () => {
    await t.database.db.execute(sql`create table leak_probe (v text)`);
    await t.database.db.execute(sql`insert into leak_probe values (${PERSON.names.printed.toLowerCase()})`);
    const text = await dump();
    await t.database.db.execute(sql`drop table leak_probe`);
    expect(forms(PERSON.names.printed).some((f) => text.includes(f))).toBe(true);
  });

  it('writes no name, birth date or address to the log', () => {
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    const found = SECRETS.flatMap((s) => forms(s).filter((f) => log.includes(f)).map((f) => `${s} as ${f}`));
    expect(found).toEqual([]);
  });
});
