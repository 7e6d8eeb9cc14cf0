/**
 * Migrations 0008–0009 fold the old per-day counts ("day D, suspended, 1")
 * into ISO weeks × valid / not valid and drop the per-day table. Run on an
 * empty database of the engine under test: the migrations up to 0007, old
 * rows written as an older release would have, then the rest.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { databaseUrl, TEST_DB } from '../helpers/db.js';

type Exec = (sql: string) => Promise<Array<Record<string, unknown>>>;
let exec: Exec;
let close: () => Promise<void>;

const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ idx: number; tag: string }> };
const tags = journal.entries.sort((a, b) => a.idx - b.idx).map((e) => e.tag);

async function run(tag: string) {
  for (const statement of readFileSync(join(MIGRATIONS_DIR, `${tag}.sql`), 'utf8').split('--> statement-breakpoint')) {
    if (statement.trim()) await exec(statement);
  }
}

beforeAll(async () => {
  if (TEST_DB === 'postgres') {
    const name = `lcc_fold_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    exec = async (sql) => (await client.query(sql)).rows;
    close = async () => {
      await client.end();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const db = await PGlite.create();
    exec = async (sql) => (await db.exec(sql)).at(-1)?.rows as Array<Record<string, unknown>>;
    close = () => db.close();
  }
});
afterAll(() => close());

it('old per-day rows become weekly valid / not-valid totals, and the per-day table is gone', async () => {
  const fold = tags.indexOf('0008_verification_counts_to_weekly');
  expect(fold).toBeGreaterThan(0);
  for (const tag of tags.slice(0, fold)) await run(tag);
  // 2026-03-02 is a Monday (ISO week 10), 2026-03-08 its Sunday, 2026-03-09 the next Monday.
  await exec(`insert into verification_counts (day, issuer, result, count) values
    ('2026-03-02', 'fr-testville', 'valid', 40), ('2026-03-08', 'fr-testville', 'valid', 2),
    ('2026-03-03', 'fr-testville', 'suspended', 1), ('2026-03-04', 'fr-testville', 'expired', 5), ('2026-03-05', 'fr-testville', 'proof_expired', 1),
    ('2026-03-05', 'fr-testville', 'proof_valid', 3), ('2026-03-06', 'fr-aville', 'revoked', 1), ('2026-03-09', 'fr-testville', 'suspended', 1),
    ('2026-03-04', 'unknown', 'malformed', 7)`);
  for (const tag of tags.slice(fold)) await run(tag);
  const rows = await exec(`select week_start::text as week_start, issuer, outcome, count from verification_weekly_counts order by 1, 2, 3`);
  expect(rows).toEqual([
    { week_start: '2026-03-02', issuer: 'fr-aville', outcome: 'not_valid', count: 1 },
    { week_start: '2026-03-02', issuer: 'fr-testville', outcome: 'not_valid', count: 7 },
    { week_start: '2026-03-02', issuer: 'fr-testville', outcome: 'valid', count: 45 },
    { week_start: '2026-03-02', issuer: 'unknown', outcome: 'not_valid', count: 7 },
    { week_start: '2026-03-09', issuer: 'fr-testville', outcome: 'not_valid', count: 1 },
  ]);
  expect(await exec(`select to_regclass('verification_counts') as t`)).toEqual([{ t: null }]);
});
