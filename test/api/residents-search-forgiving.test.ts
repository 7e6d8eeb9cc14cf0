/**
 * Search forgives how a clerk types a name (issue 15, item 9): the start of
 * a token ("Nou" finds Noura), a spelling heard rather than read ("Nur
 * Hadad" finds Noor Haddad), another script (Cyrillic from Latin and back).
 * Through keyed prefix and phonetic blind indexes (name-search.ts), bounded
 * per name, gone with the record at erasure; on PGlite and PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResidentsRepository } from '../../src/modules/residents/residents-repository.js';
import { MAX_TOKENS, PREFIX_MAX, PREFIX_MIN, searchTerms } from '../../src/modules/residents/name-search.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { minimal } from './residents-fixtures.js';

let t: TestContext;
const ids: Record<string, string> = {};
const repo = createResidentsRepository();

beforeAll(async () => {
  t = await createTestApp();
  const people: Record<string, Record<string, string>> = {
    noura: { printed: 'Noura Benali' },
    noor: { printed: 'Noor Haddad' },
    nurAhmed: { printed: 'Nur Ahmed' },
    nadia: { printed: 'Nadia Nouri' },
    oleksandr: { printed: 'Олександр Шевченко' },
    maria: { printed: 'María-Fernanda Rodriguez-Villanueva' },
  };
  for (const [key, names] of Object.entries(people)) {
    const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: minimal({ names }) as object });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json().resident.id;
  }
});
afterAll(() => t.close());

async function found(q: string): Promise<string[]> {
  const res = await t.app.inject({ url: `/v1/residents?q=${encodeURIComponent(q)}`, headers: t.auth('clerk') });
  expect(res.statusCode, res.body).toBe(200);
  const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  return (res.json().items as Array<{ id: string }>).map((i) => byId[i.id] ?? i.id).sort();
}

describe('prefix search', () => {
  it('"Nou" finds Noura and Nouri, not Noor or Nadia Benali', async () => {
    expect(await found('Nou')).toEqual(['nadia', 'noura']);
    expect(await found('nou')).toEqual(['nadia', 'noura']);
    // A whole word also finds what sounds like it: Nour, Noor, Nur and Noura are all NR.
    expect(await found('Nour')).toEqual(['nadia', 'noor', 'noura', 'nurAhmed']);
  });

  it('every token must match: "Nou Ben" finds Noura Benali only', async () => {
    expect(await found('Nou Ben')).toEqual(['noura']);
  });

  it(`needs ${PREFIX_MIN} letters; past ${PREFIX_MAX} the names decide (no false match from the index)`, async () => {
    expect(await found('No')).toEqual([]);
    expect(await found('Rodriguez-Villan')).toEqual(['maria']);
    expect(await found('Villanuevx')).toEqual([]);
    expect(await found('Fernan')).toEqual(['maria']);
  });
});

describe('transliteration-tolerant search', () => {
  it('"Nur Hadad" finds Noor Haddad (and not Nur Ahmed, whose other name does not match)', async () => {
    expect(await found('Nur Hadad')).toEqual(['noor']);
    expect(await found('Noor Haddad')).toEqual(['noor']);
    expect(await found('Nur')).toEqual(['nadia', 'noor', 'noura', 'nurAhmed']);
  });

  it('Latin finds Cyrillic and back: "Oleksandr Shevchenko", "Olek", "Aleksandr"', async () => {
    expect(await found('Oleksandr Shevchenko')).toEqual(['oleksandr']);
    expect(await found('Olek')).toEqual(['oleksandr']);
    expect(await found('Aleksandr')).toEqual(['oleksandr']);
    expect(await found('Олек')).toEqual(['oleksandr']);
  });

  it('a name that sounds different is not found', async () => {
    expect(await found('Karim Haddad')).toEqual([]);
    expect(await found('Zoltan')).toEqual([]);
  });
});

describe('the indexes', () => {
  it('are bounded per name, whatever its length', async () => {
    const long = Array.from({ length: 30 }, (_, i) => `Abcdefghij${String.fromCharCode(97 + (i % 26))}`).join(' ');
    const terms = searchTerms({ printed: long });
    // At most MAX_TOKENS tokens, each with PREFIX_MAX - PREFIX_MIN + 1 prefixes of two forms and 2 phonetic keys.
    expect(terms.length).toBeLessThanOrEqual(MAX_TOKENS * (2 * (PREFIX_MAX - PREFIX_MIN + 1) + 2));
    const counts = await repo.lookupCounts(t.app.services.db, ids.maria!);
    expect(counts.prefix).toBeGreaterThan(0);
    expect(counts.phonetic).toBeGreaterThan(0);
    expect(counts.prefix! + counts.phonetic!).toBeLessThanOrEqual(2 * MAX_TOKENS * (2 * (PREFIX_MAX - PREFIX_MIN + 1) + 2));
  });

  it('hold keyed values only: no prefix or sound of a name in clear', async () => {
    const rows = (await t.app.services.db.execute(sql`select kind, value from resident_lookup where kind in ('prefix', 'phonetic')`)) as unknown as { rows?: Array<{ value: string }> } & Array<{ value: string }>;
    const values = (rows.rows ?? rows).map((r) => r.value);
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(v).toMatch(/^[0-9a-f]{32}$/);
    for (const plain of ['nou', 'noura', 'NR', 'HTT', 'ole']) expect(values).not.toContain(plain);
  });

  it('follow an edit, and go with the record at erasure', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: minimal({ names: { printed: 'Yusuf Quraishi' } }) as object });
    const id = res.json().resident.id as string;
    expect(await found('Yus')).toEqual([id]);
    const edit = await t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': '"1"' }, payload: { names: { printed: 'Yosef Quraishi' } } });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(await found('Yus')).toEqual([]);
    expect(await found('Yos')).toEqual([id]);
    expect(await found('Yousef')).toEqual([id]);
    const del = await t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: t.auth('clerk') });
    expect(del.statusCode).toBe(204);
    expect(await repo.lookupCounts(t.app.services.db, id)).toEqual({});
    expect(await found('Yos')).toEqual([]);
  });
});
