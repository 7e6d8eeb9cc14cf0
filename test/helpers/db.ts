/**
 * A fresh, migrated database for one test file, on the engine the project
 * runs (LCC_TEST_DB: `pglite` or `postgres`).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { wrapPglite, wrapPgPool, type Database } from '../../src/db/client.js';

export const TEST_DB = (process.env.LCC_TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

export function databaseUrl(name: string): string {
  const u = new URL(process.env.TEST_DATABASE_URL!);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase extends Database {
  /** For postgres: the database's URL (several app instances, child processes). */
  url?: string;
  /** Closes and, for postgres, drops the database. */
  destroy(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DB === 'postgres') {
    const name = `${inject('pgRunPrefix')}${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
    await admin.end();
    const url = databaseUrl(name);
    const database = wrapPgPool(new pg.Pool({ connectionString: url, max: 10 }));
    return {
      ...database,
      url,
      async destroy() {
        await database.close().catch(() => {});
        const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const snapshot = readFileSync(inject('pgliteSnapshot'));
  const client = await PGlite.create({ loadDataDir: new Blob([snapshot]) });
  const database = wrapPglite(client);
  return { ...database, destroy: () => database.close() };
}
