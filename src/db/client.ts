/**
 * The database: embedded PGlite kept in DATA_DIR when DATABASE_URL is unset,
 * a node-postgres pool otherwise. Both give the same drizzle API, so the rest
 * of the code never knows which one it runs on.
 */
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { openPglite } from './pglite-open.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** What a repository accepts: the database or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** The node-postgres pool, for the few tasks that need one connection (migrations). */
  readonly pool?: pg.Pool;
  /** Answers when the database does (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function wrapPglite(client: PGlite): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

export function wrapPgPool(pool: pg.Pool): Database {
  // An idle client losing its connection (server restart, admin termination) must
  // not crash the process: the pool drops it and the next query reconnects.
  pool.on('error', () => {});
  releaseOnConnectionLoss(pool);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    pool,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}

/**
 * A client checked out with `pool.connect()` (drizzle does so for every
 * transaction) has no pool listener. If its connection drops, pg emits
 * 'error' on it: unhandled, that kills the process. And drizzle sends
 * `begin` before its try/finally, so when `begin` is what fails the client
 * is never released: each outage would leak a pool slot until none is left
 * and the service never recovers. So a checked-out client that loses its
 * connection is released (with the error, so the pool discards it) at
 * once, and a second release from drizzle's `finally` is a no-op.
 */
function releaseOnConnectionLoss(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const withCallback = pool.connect.bind(pool) as (cb: Parameters<pg.Pool['connect']>[0]) => void;
  pool.connect = ((cb?: Parameters<pg.Pool['connect']>[0]) => {
    // pool.query() uses the callback form and handles client errors itself.
    if (cb) return withCallback(cb);
    return connect().then((client) => {
      const release = client.release.bind(client);
      let released = false;
      const onError = (err: Error) => client.release(err);
      client.on('error', onError);
      client.release = (err?: Error | boolean) => {
        if (released) return;
        released = true;
        client.removeListener('error', onError);
        release(err);
      };
      return client;
    });
  }) as pg.Pool['connect'];
}

export interface OpenOptions {
  databaseUrl: string | undefined;
  /** PGlite data directory; `memory://` for a throw-away database. */
  dataDir: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    return wrapPgPool(pool);
  }
  const inMemory = opts.dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  // Before PGlite reads a page: a second process on this directory would lose writes (data-dir-lock.ts).
  const lock = inMemory ? undefined : lockDataDir(opts.dataDir);
  try {
    // Memory settings, and a first start's initdb in a child process (pglite-open.ts).
    const client = await openPglite(opts.dataDir);
    const database = wrapPglite(client);
    if (!lock) return database;
    return {
      ...database,
      close: async () => {
        try {
          await database.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (e) {
    lock?.release();
    throw e;
  }
}
