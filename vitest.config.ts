/**
 * Test projects:
 * - unit: pure code (credential, pdf, i18n), no database, runs once;
 * - pglite: API and fault suites on the embedded database;
 * - postgres: the same suites on a real server, when TEST_DATABASE_URL is set.
 * Each database test file gets a fresh, migrated database (test/helpers/db.ts).
 */
import { defineConfig } from 'vitest/config';

const dbSuites = ['test/api/**/*.test.ts', 'test/fault/**/*.test.ts', 'test/multi-city/**/*.test.ts'];
/** Suites that need a real server (two instances on one database, a cut connection, pageinspect): PostgreSQL only. */
const postgresOnly = ['test/fault/two-instances.test.ts', 'test/fault/db-outage.test.ts', 'test/api/erasure-pageinspect.test.ts'];
/** Suites about the embedded database's own data directory: PGlite only. */
const embeddedOnly = ['test/fault/embedded-data-dir.test.ts', 'test/api/embedded-secrets.test.ts'];
const pgUrl = process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    testTimeout: 30_000,
    // Two test files at a time (vitest's default is cores − 1, i.e. one on the
    // 2-core CI machine): a file mostly waits on PostgreSQL, Chromium, a child
    // process or scrypt's thread pool, so a second file fills the other core.
    // Each file has its own database, so files never share state.
    // VITEST_MAX_WORKERS overrides it (vitest reads it itself).
    maxWorkers: 2,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: [...dbSuites, 'test/browser/**/*.test.ts'],
          exclude: postgresOnly,
          env: { LCC_TEST_DB: 'pglite' },
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
      ...(pgUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: dbSuites,
                exclude: embeddedOnly,
                env: { LCC_TEST_DB: 'postgres', TEST_DATABASE_URL: pgUrl },
                globalSetup: ['test/helpers/global-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
