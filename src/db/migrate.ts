/**
 * Runs the committed drizzle-kit migrations (migrations/). On PostgreSQL an
 * advisory lock makes instances that start together migrate one at a time.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { fromRoot } from '../paths.js';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Database } from './client.js';

export const MIGRATIONS_DIR = fromRoot('migrations');

/** Arbitrary, fixed: the advisory lock id that serialises migrations. */
const MIGRATION_LOCK = 7_370_421_001;

export async function migrate(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, config);
    return;
  }
  const client = await database.pool!.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzle(client) as unknown as NodePgDatabase, config);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
