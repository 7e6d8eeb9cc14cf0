/**
 * A whole service for a benchmark: a throw-away database (PostgreSQL when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set, else in-memory PGlite),
 * migrated, the city bootstrapped, listening on loopback.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, wrapPgPool, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import type { ResolvedConfig } from '../../src/services.js';

export const BENCH_PASSWORD = 'bench password long enough';

export interface BenchApp {
  app: FastifyInstance;
  url: string;
  config: ResolvedConfig;
  database: Database;
  kind: 'pglite' | 'postgres';
  token(role: 'admin' | 'clerk' | 'official'): Promise<string>;
  close(): Promise<void>;
}

export function pgBaseUrl(): string | undefined {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
}

export async function createBenchApp(opts: { env?: Record<string, string>; postgres?: boolean; poolSize?: number } = {}): Promise<BenchApp> {
  const base = pgBaseUrl();
  const usePg = opts.postgres ?? Boolean(base);
  let database: Database;
  let drop = async () => {};
  if (usePg) {
    if (!base) throw new Error('set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server');
    const name = `lcc_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    database = wrapPgPool(new pg.Pool({ connectionString: u.toString(), max: opts.poolSize ?? 20 }));
    drop = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    database = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
  }
  await migrate(database);
  const config: ResolvedConfig = {
    ...loadConfig({
      CITY_ID: 'fr-benchville',
      CITY_NAME: 'Benchville',
      COUNTRY: 'FR',
      LOG_LEVEL: 'silent',
      ADMIN_PASSWORD: BENCH_PASSWORD,
      PASSWORD_SCRYPT_LOG2N: '12',
      RATE_LIMIT: '10000000',
      VERIFY_RATE_LIMIT: '10000000',
      DATA_DIR: '/nonexistent',
      ...opts.env,
    }),
    masterKey: randomBytes(32),
  };
  const app = await buildApp({ config, database, logger: false });
  await app.services.city.bootstrap({ id: config.cityId, name: config.cityName, country: config.country, adminPassword: BENCH_PASSWORD, staff: app.services.staff });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password: BENCH_PASSWORD } });
    return res.json().accessToken as string;
  };
  const adminToken = await login('admin');
  for (const role of ['clerk', 'official'] as const) {
    await app.inject({ method: 'POST', url: '/v1/staff', headers: { authorization: `Bearer ${adminToken}` }, payload: { username: role, password: BENCH_PASSWORD, role } });
  }
  return {
    app,
    url,
    config,
    database,
    kind: database.kind,
    token: (role) => (role === 'admin' ? Promise.resolve(adminToken) : login(role)),
    async close() {
      await app.close();
      await database.close();
      await drop();
    },
  };
}

/** Prints rows as an aligned table. */
export function table(title: string, rows: Array<[string, string]>): void {
  const w = Math.max(...rows.map((r) => r[0].length), 7);
  process.stdout.write(`\n${title}\n\n${'measure'.padEnd(w)} | value\n${'-'.repeat(w)} | -----\n`);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)} | ${v}\n`);
}

/** Operations per second of `fn` over about `ms` milliseconds. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, ms = 2000): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 100; i++) await fn();
    n += 100;
  }
  return n / ((performance.now() - start) / 1000);
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
