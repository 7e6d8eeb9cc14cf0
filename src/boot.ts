/**
 * Start-up shared by the server and the CLI: resolve secrets, open the
 * database, run migrations, and create the city on an empty database.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { migrate } from './db/migrate.js';
import { resolveSecretsOrExit } from './secrets.js';
import { createServices, type ResolvedConfig } from './services.js';

export interface BootLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export async function openAndMigrate(config: Config, log: BootLog): Promise<{ config: ResolvedConfig; database: Database }> {
  const resolved = resolveSecretsOrExit(config, log);
  const database = await openDatabase({ databaseUrl: resolved.databaseUrl, dataDir: resolved.dataDir });
  await migrate(database);
  return { config: resolved, database };
}

/** Creates the city, keys and admin on first start; prints the admin's one-time password once. */
export async function ensureCity(config: ResolvedConfig, database: Database, log: BootLog, print: (line: string) => void): Promise<void> {
  const services = createServices({ config, database });
  const result = await services.city.bootstrap({
    id: config.cityId,
    name: config.cityName,
    country: config.country,
    adminPassword: config.adminPassword,
    staff: services.staff,
  });
  if (!result.created) return;
  log.info(`created city ${config.cityId} (${config.country}) with its root and signing keys`);
  if (result.generatedAdminPassword) {
    // Printed once, to the terminal only — never to the log stream.
    print(`\n  First start: admin account "admin", one-time password: ${result.generatedAdminPassword}\n  The console asks for a new one at the first sign-in (API: POST /v1/auth/password).\n`);
  }
}

/** The config, or exit 78 (EX_CONFIG) with a message naming the bad variable. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Configuration error — ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
}

export { loadConfig };

/** EX_TEMPFAIL: the data directory is another process's; a supervisor may try again once it has stopped. */
export const EXIT_DATA_DIR_LOCKED = 75;

/** Exits with a clear message for the start-up failures a person can act on; returns for anything else. */
export function exitOnKnownStartupError(err: unknown): void {
  if (err instanceof DataDirLockedError) {
    process.stderr.write(`Cannot start: ${err.message}\n`);
    process.exit(EXIT_DATA_DIR_LOCKED);
  }
}
