/**
 * Runs once per test project: migrates one template database, which every
 * test file then copies (PGlite: a dumped data directory, loaded in ~2 s;
 * PostgreSQL: CREATE DATABASE … TEMPLATE, in milliseconds).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { wrapPglite, wrapPgPool } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    pgTemplate: string;
    /** Prefix of this run's test databases (so concurrent runs never drop each other's). */
    pgRunPrefix: string;
  }
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  if (project.name === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const template = `lcc_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const pool = new pg.Pool({ connectionString: withDatabase(url, template), max: 2 });
    await migrate(wrapPgPool(pool));
    await pool.end();
    project.provide('pgTemplate', template);
    project.provide('pgRunPrefix', `lcc_t_${process.pid}_`);
    project.provide('pgliteSnapshot', '');
    return async () => {
      // `_` is a LIKE wildcard: escape it, and drop only this run's databases.
      const leftovers = await admin.query(`select datname from pg_database where datname like $1 or datname = $2`, [`lcc\\_t\\_${process.pid}\\_%`, template]);
      for (const { datname } of leftovers.rows) await admin.query(`drop database if exists ${datname} with (force)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'lcc-test-'));
  const client = await PGlite.create();
  await migrate(wrapPglite(client));
  const dump = await client.dumpDataDir('gzip');
  await client.close();
  const file = join(dir, 'migrated.tar.gz');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteSnapshot', file);
  project.provide('pgTemplate', '');
  project.provide('pgRunPrefix', '');
  return () => rmSync(dir, { recursive: true, force: true });
}
