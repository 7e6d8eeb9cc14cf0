/**
 * A whole service for one test file: fresh database, the city bootstrapped,
 * one account per role, and helpers to call the API as any of them.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { ResolvedConfig } from '../../src/services.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export const TEST_PASSWORD = 'correct horse battery staple';

export type TestRole = 'admin' | 'clerk' | 'official' | 'partner_service';

export interface TestContext {
  app: FastifyInstance;
  database: TestDatabase;
  config: ResolvedConfig;
  /** Access tokens per role (accounts `admin`, `clerk`, `official`, `partner`). */
  tokens: Record<TestRole, string>;
  /** Staff ids per role. */
  ids: Record<TestRole, string>;
  auth(role: TestRole): { authorization: string };
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): ResolvedConfig {
  const config = loadConfig({
    CITY_ID: 'fr-testville',
    CITY_NAME: 'Testville',
    COUNTRY: 'FR',
    OFFICIAL_LANGUAGE: 'fr',
    DATA_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    // Tests hash many passwords: a cheaper scrypt cost (the format stores it; production uses 2^17).
    PASSWORD_SCRYPT_LOG2N: '12',
    ADMIN_PASSWORD: TEST_PASSWORD,
    ...env,
  });
  return { ...config, masterKey: randomBytes(32) };
}

export interface TestAppOptions {
  clock?: () => Date;
  env?: Record<string, string>;
  database?: TestDatabase;
  logger?: Parameters<typeof buildApp>[0]['logger'];
  loggerInstance?: Parameters<typeof buildApp>[0]['loggerInstance'];
  config?: ResolvedConfig;
  /** How partner documents are fetched (multi-city tests route URLs to other apps). */
  fetch?: Parameters<typeof buildApp>[0]['fetch'];
}

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestContext> {
  const database = opts.database ?? (await createTestDatabase());
  const config = opts.config ?? testConfig(opts.env);
  const app = await buildApp({ config, database, clock: opts.clock, fetch: opts.fetch, logger: opts.logger ?? false, loggerInstance: opts.loggerInstance });
  const { staff, city } = app.services;
  await city.bootstrap({ id: config.cityId, name: config.cityName, country: config.country, adminPassword: TEST_PASSWORD, staff });
  await app.ready();

  const tokens = {} as Record<TestRole, string>;
  const ids = {} as Record<TestRole, string>;
  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    return res.json().accessToken as string;
  };
  tokens.admin = await login('admin');
  ids.admin = (await staff.list()).find((s) => s.username === 'admin')!.id;
  for (const [role, username] of [['clerk', 'clerk'], ['official', 'official'], ['partner_service', 'partner']] as const) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/staff',
      headers: { authorization: `Bearer ${tokens.admin}` },
      payload: { username, password: TEST_PASSWORD, role },
    });
    if (res.statusCode !== 201) throw new Error(`create ${role}: ${res.statusCode} ${res.body}`);
    ids[role] = res.json().id;
    tokens[role] = await login(username);
  }

  return {
    app,
    database,
    config,
    tokens,
    ids,
    auth: (role) => ({ authorization: `Bearer ${tokens[role]}` }),
    async close() {
      await app.close();
      if (!opts.database) await database.destroy();
    },
  };
}
