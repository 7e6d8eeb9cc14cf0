/**
 * Embedded mode generates the master key it was not given, once, and keeps
 * it OUTSIDE the data directory: in SECRETS_DIR (default
 * `$XDG_CONFIG_HOME/local-citizenship-card/`, or `~/.config/…`), one file
 * per data directory, named by a hash of the directory's absolute path. A
 * copy of DATA_DIR alone — a stolen laptop's data folder, a backup of it —
 * then holds only ciphertexts. Starting on existing data whose key is not
 * found stops with a clear message (exit 78): a new key would not open the
 * data, and generating one would hide that the real one is missing.
 * With DATABASE_URL nothing is generated: config.ts already demanded MASTER_KEY.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKey, type Config } from './config.js';

export interface SecretsLog {
  warn(msg: string): void;
}

/** EX_CONFIG, as for a bad variable: a person must act (give the key back), retrying will not help. */
export const EXIT_KEY_MISSING = 78;

export class MissingKeyError extends Error {
  override readonly name = 'MissingKeyError';
}

/** The file holding the generated master key of this data directory. */
export function secretsFile(config: Pick<Config, 'dataDir' | 'secretsDir'>): string {
  const id = createHash('sha256').update(config.dataDir).digest('hex').slice(0, 16);
  return join(config.secretsDir, `${id}.json`);
}

/** Whether DATA_DIR already holds a database (PGlite's data directory, like PostgreSQL's, has PG_VERSION). */
export function holdsData(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

export function resolveSecrets(config: Config, log: SecretsLog): Config & { masterKey: Buffer } {
  if (config.masterKey) return { ...config, masterKey: config.masterKey };
  const file = secretsFile(config);
  if (existsSync(file)) return { ...config, masterKey: readKey(file) };

  // Releases before this one kept the key beside the database: move it out.
  const legacy = join(config.dataDir, 'secrets.json');
  if (existsSync(legacy)) {
    const masterKey = readKey(legacy);
    write(file, config.dataDir, masterKey);
    unlinkSync(legacy);
    log.warn(`moved the master key out of the data directory, to ${file} (mode 0600). Back it up apart from ${config.dataDir}: without it the data cannot be read.`);
    return { ...config, masterKey };
  }

  if (holdsData(config.dataDir)) {
    throw new MissingKeyError(
      `${config.dataDir} holds a database, but its master key is not at ${file} and MASTER_KEY is not set. ` +
        'The data cannot be read without the key it was written with, so no new key is made. ' +
        `Set MASTER_KEY to that key, or put its key file back at ${file} (SECRETS_DIR chooses the folder; the file is named by the data directory's absolute path, so a moved data directory needs its file renamed or MASTER_KEY).`,
    );
  }

  const masterKey = randomBytes(32);
  write(file, config.dataDir, masterKey);
  log.warn(`MASTER_KEY was not set: generated one and kept it in ${file} (mode 0600), outside the data directory. Back it up apart from ${config.dataDir}: without it the data cannot be read.`);
  return { ...config, masterKey };
}

/** For the processes (server, CLI): a missing key ends the process with its message and exit 78. */
export function resolveSecretsOrExit(config: Config, log: SecretsLog): Config & { masterKey: Buffer } {
  try {
    return resolveSecrets(config, log);
  } catch (e) {
    if (e instanceof MissingKeyError) {
      process.stderr.write(`Cannot start: ${e.message}\n`);
      process.exit(EXIT_KEY_MISSING);
    }
    throw e;
  }
}

function readKey(file: string): Buffer {
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { masterKey?: string };
  if (!stored.masterKey) throw new Error(`${file} holds no masterKey`);
  return parseKey('MASTER_KEY', stored.masterKey);
}

function write(file: string, dataDir: string, masterKey: Buffer): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  // `dataDir` is for the person who finds the file: which data it opens.
  writeFileSync(file, JSON.stringify({ masterKey: masterKey.toString('base64url'), dataDir }, null, 2), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}
