/**
 * Records sealed before per-resident keys existed (format version 1: the
 * master key, no resident_keys row) keep working: they read, print and
 * verify; the first use gives them a key, and what is written from then on
 * is sealed with it; their erasure is as final as anyone's.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/security/field-cipher.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { issue } from '../helpers/cards.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const rows = async (q: ReturnType<typeof sql>) => ((await t.database.db.execute(q)) as unknown as { rows: Array<Record<string, unknown>> }).rows;

describe('a record sealed with the master key alone (an earlier release)', () => {
  it('reads, gets a key on first use, issues a card, reads a master-sealed credential, and is erased for good', async () => {
    const master = createFieldCipher(t.config.masterKey);
    const id = randomUUID();
    const seal = (column: string, value: unknown) => master.encrypt(JSON.stringify(value), `residents.${column}:${id}`);
    await t.database.db.execute(sql`insert into residents (id, names, birth_date, address, details, evidence, evidence_rules_version)
      values (${id}, ${seal('names', { printed: 'Legacy Holder', legal: 'Legacy Holder Legal' })}, ${seal('birth_date', '1970-01-01')},
        ${seal('address', { value: { line1: '1 Old Road', locality: 'Testville' }, confidential: false })},
        ${seal('details', { gender: { printMarker: false }, preferredLanguage: 'fr', languages: [], guardianPresent: false })},
        ${seal('evidence', [])}, 'v1')`);
    expect(await rows(sql`select 1 from resident_keys where resident_id = ${id}`)).toHaveLength(0);

    const read = await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ names: { printed: 'Legacy Holder', legal: 'Legacy Holder Legal' }, address: { line1: '1 Old Road' } });
    expect(await rows(sql`select 1 from resident_keys where resident_id = ${id}`)).toHaveLength(1);

    // A card for it: its credential is sealed with the new key (version 2).
    const card = await issue(t, id);
    const [row] = await rows(sql`select id::text as id, credential from cards where resident_id = ${id}`);
    expect(Buffer.from(row!.credential as Uint8Array)[0]).toBe(2);
    // A credential sealed the old way still opens.
    await t.database.db.execute(sql`update cards set credential = ${master.encrypt(card.qr, `cards.credential:${row!.id as string}`)} where id = ${row!.id as string}`);
    const got = await t.app.inject({ url: `/v1/cards/${card.number}`, headers: t.auth('clerk') });
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json().qr).toBe(card.qr);

    // An edit seals the record with its key (the card's photo made a new version: read it again).
    const etag = (await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') })).headers.etag as string;
    const patched = await t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': etag, 'content-type': 'application/merge-patch+json' }, payload: { address: null } });
    expect(patched.statusCode, patched.body).toBe(200);
    const [sealed] = await rows(sql`select names from residents where id = ${id}`);
    expect(Buffer.from(sealed!.names as Uint8Array)[0]).toBe(2);

    expect((await t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: t.auth('clerk') })).statusCode).toBe(204);
    expect((await t.app.inject({ url: `/v1/cards/${card.number}`, headers: t.auth('clerk') })).statusCode).toBe(410);
  });
});
