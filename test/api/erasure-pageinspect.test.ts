/**
 * Erased data does not survive in the table files (issue 13, finding 4),
 * read the way an attacker on the PostgreSQL server would: pageinspect's
 * get_raw_page over every block of every table, TOAST table and index —
 * live rows, dead rows and free space alike, and pg_statistic (where
 * ANALYZE copies sample values). After erasures and after
 * purge:emergency, no wrapped resident key of an erased (or, for a kept
 * record, replaced) key can be found in any page, and no ciphertext the
 * database held before — the records, their earlier versions, photos, card
 * credentials — opens with any key derivable from MASTER_KEY plus every
 * resident key found. Before erasure the same scan does find the keys (the
 * control that proves it looks in the right places).
 * PostgreSQL only (pageinspect is a server extension): see vitest.config.ts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { masterKeyId } from '../../src/security/derive.js';
import { createFieldCipher } from '../../src/security/field-cipher.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { everyBlob, keysFrom, tryOpen, type Found } from '../helpers/attacker.js';
import { enrol, issue } from '../helpers/cards.js';
import { noisePhoto } from './residents-fixtures.js';

let t: TestContext;
let su: pg.Client;

const person = (printed: string) => ({
  names: { printed, legal: `${printed} Legalname` },
  birthDate: '1979-06-14',
  address: { line1: `${printed} Street 12`, locality: 'Testville' },
  addressConfidential: true,
  preferredLanguage: 'fr',
  evidence: [{ type: 'consular-id' }, { type: 'utility-bill' }],
});

beforeAll(async () => {
  t = await createTestApp();
  su = new pg.Client({ connectionString: t.database.url });
  await su.connect();
  // The test user is the server's superuser: what an attacker on the server has.
  await su.query('create extension if not exists pageinspect');
});
afterAll(async () => {
  await su.end();
  await t.close();
});

/** Every page of every table, TOAST table and index of the database, and of the planner's statistics (ANALYZE copies sample values there), raw. */
async function allPages(): Promise<Buffer> {
  const rels = await su.query<{ rel: string; blocks: number }>(`
    select c.oid::regclass::text as rel, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as blocks
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where (n.nspname in ('public', 'pg_toast') or c.oid = 'pg_catalog.pg_statistic'::regclass) and c.relkind in ('r', 't', 'i') and pg_relation_size(c.oid) > 0
      and (c.relkind <> 'i' or exists (select 1 from pg_am a where a.oid = c.relam and a.amname = 'btree'))`);
  const pages: Buffer[] = [];
  for (const { rel, blocks } of rels.rows) {
    for (let b = 0; b < blocks; b++) pages.push((await su.query<{ p: Buffer }>('select get_raw_page($1, $2) as p', [rel, b])).rows[0]!.p);
  }
  return Buffer.concat(pages);
}

/**
 * Resident data keys an attacker can unwrap from raw bytes: every place that
 * starts like a master-key ciphertext (version 1 and the master key's id),
 * read as a wrapped key for every resident id they know of.
 */
function keysIn(raw: Buffer, residentIds: string[]): Map<string, Buffer> {
  const cipher = createFieldCipher(t.config.masterKey);
  const marker = Buffer.concat([Buffer.from([1]), Buffer.from(masterKeyId(t.config.masterKey), 'hex')]);
  const found = new Map<string, Buffer>();
  for (let at = raw.indexOf(marker); at !== -1; at = raw.indexOf(marker, at + 1)) {
    const candidate = raw.subarray(at, at + 65);
    for (const id of residentIds) {
      try {
        found.set(id, cipher.decrypt(candidate, `resident_keys.key:${id}`));
      } catch {
        // Not this resident's key (or not a key at all).
      }
    }
  }
  return found;
}

/** A ciphertext is "still on disk" when a 24-byte slice of it (its iv and tag) is in some page. */
const onDisk = (raw: Buffer, f: Found) => raw.includes(f.blob.subarray(1, 25));

const ids: Record<'self' | 'clerk' | 'noCard' | 'kept', string> = { self: '', clerk: '', noCard: '', kept: '' };
let before: Found[];
const dataOf = (found: Found[], who: string[]) => found.filter((f) => ['residents', 'resident_photos', 'cards'].includes(f.where.split('.')[0]!) && f.aads.some((a) => who.some((id) => a.includes(id))));

describe('pageinspect: erased data in PostgreSQL pages', () => {
  it('before erasure, the scan finds every resident key in the pages (control)', async () => {
    for (const k of Object.keys(ids) as Array<keyof typeof ids>) {
      ids[k] = await enrol(t, person(`Page ${k}`));
      await t.app.inject({ method: 'PUT', url: `/v1/residents/${ids[k]}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/jpeg' }, payload: await noisePhoto(300, 375) });
      if (k !== 'noCard') await issue(t, ids[k]);
    }
    // Edits leave earlier row versions (the old address) behind as dead rows.
    for (const line1 of ['Old Street 1', 'Old Street 2']) {
      for (const id of [ids.clerk, ids.kept]) {
        const etag = (await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') })).headers.etag as string;
        const res = await t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': etag, 'content-type': 'application/merge-patch+json' }, payload: { address: { line1, locality: 'Testville' } } });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    before = await everyBlob(t.database);
    // As autovacuum would, at any moment: statistics sample column values.
    await su.query('analyze');
    const raw = await allPages();
    expect([...keysIn(raw, Object.values(ids)).keys()].sort()).toEqual(Object.values(ids).sort());
    expect(dataOf(before, Object.values(ids)).every((f) => onDisk(raw, f))).toBe(true);
  });

  it('after two erasures (portal-style and a clerk’s), their keys are in no page and none of their ciphertexts opens', async () => {
    for (const id of [ids.self, ids.clerk]) expect((await t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: t.auth('clerk') })).statusCode).toBe(204);
    const raw = await allPages();
    const found = keysIn(raw, Object.values(ids));
    expect([...found.keys()].sort()).toEqual([ids.noCard, ids.kept].sort());

    const theirs = dataOf(before, [ids.self, ids.clerk]);
    const keys = await keysFrom(t.config.masterKey, t.database, [...found.values()]);
    const opened = theirs.filter((f) => tryOpen(f.blob, f.aads, keys) !== undefined);
    expect(opened.map((f) => f.where)).toEqual([]);
    // The figure for the report: how many of their earlier ciphertexts are still in some page (unreadable).
    process.stdout.write(`pageinspect after erasure: ${theirs.filter((f) => onDisk(raw, f)).length} of ${theirs.length} earlier ciphertexts of the erased still in pages; ${opened.length} open\n`);
  });

  it('after purge:emergency, no earlier ciphertext of anyone opens — the kept record’s old key is gone too', async () => {
    const result = await t.app.services.residents.purgeEmergency();
    expect(result).toMatchObject({ minimised: 1 });
    expect(result.erased).toBeGreaterThanOrEqual(1);
    const raw = await allPages();
    const found = keysIn(raw, Object.values(ids));
    // Only the kept holder's new key remains; nothing it was not sealed with opens with it.
    expect([...found.keys()]).toEqual([ids.kept]);

    const earlier = dataOf(before, Object.values(ids));
    const keys = await keysFrom(t.config.masterKey, t.database, [...found.values()]);
    const opened = earlier.filter((f) => tryOpen(f.blob, f.aads, keys) !== undefined);
    expect(opened.map((f) => f.where)).toEqual([]);
    process.stdout.write(`pageinspect after purge:emergency: ${earlier.filter((f) => onDisk(raw, f)).length} of ${earlier.length} earlier ciphertexts still in pages; ${opened.length} open\n`);

    // What the kept holder's card prints still opens (its current row, sealed with the new key).
    const kept = (await t.app.inject({ url: `/v1/residents/${ids.kept}`, headers: t.auth('clerk') })).json();
    expect(kept).toMatchObject({ names: { printed: 'Page kept' }, address: null });
  });
});
