/**
 * Embedded mode keeps the secrets it had to generate in DATA_DIR/secrets.json
 * (mode 0600), so a restart finds the same keys. With DATABASE_URL nothing is
 * generated: config.ts already demanded MASTER_KEY.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKey, type Config } from './config.js';

export interface SecretsLog {
  warn(msg: string): void;
}

export function resolveSecrets(config: Config, log: SecretsLog): Config & { masterKey: Buffer } {
  if (config.masterKey) return { ...config, masterKey: config.masterKey };
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const file = join(config.dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { masterKey?: string };
    if (!stored.masterKey) throw new Error(`${file} holds no masterKey`);
    return { ...config, masterKey: parseKey('MASTER_KEY', stored.masterKey) };
  }
  const masterKey = randomBytes(32);
  writeFileSync(file, JSON.stringify({ masterKey: masterKey.toString('base64url') }, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  log.warn(`MASTER_KEY was not set: generated one and kept it in ${file} (mode 0600). Back it up: without it the data cannot be read.`);
  return { ...config, masterKey };
}
