/**
 * Embedded mode keeps the master key it generates outside DATA_DIR (issue 13,
 * finding 5): a copy of the data directory alone opens nothing, and starting
 * on data whose key is not found stops with a clear message and exit 78 —
 * never a new key over existing data. Real processes (the CLI), real PGlite
 * files in temporary folders.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../../src/paths.js';
import { secretsFile } from '../../src/secrets.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lcc-secrets-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `npm run cli -- db:migrate` in embedded mode, with no MASTER_KEY. */
function migrate(dataDir: string, secretsDir: string) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, SECRETS_DIR: secretsDir, LOG_LEVEL: 'silent' };
  delete env.MASTER_KEY;
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, ['--import', 'tsx', fromRoot('src/cli.ts'), 'db:migrate'], { env, encoding: 'utf8', cwd: fromRoot(), timeout: 100_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every form the key could take in a file. */
const keyForms = (key: Buffer) => [key, Buffer.from(key.toString('base64url')), Buffer.from(key.toString('base64')), Buffer.from(key.toString('hex'))];

/** Each test starts the CLI (and PGlite) once or twice as a child process: slow on a busy machine. */
const CHILDREN = 120_000;

describe('embedded mode: the generated master key lives outside the data directory', () => {
  it('first start: the key goes to SECRETS_DIR (0600, path printed); nothing under DATA_DIR holds it; a restart finds it', () => {
    const data = join(root, 'city', 'data');
    const secrets = join(root, 'home', '.config', 'local-citizenship-card');
    const first = migrate(data, secrets);
    expect(first.code, first.stderr).toBe(0);
    const file = secretsFile({ dataDir: data, secretsDir: secrets });
    expect(first.stderr).toContain(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = Buffer.from(JSON.parse(readFileSync(file, 'utf8')).masterKey, 'base64url');
    expect(key).toHaveLength(32);

    expect(existsSync(join(data, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(data, 'secrets.json'))).toBe(false);
    for (const f of filesUnder(data)) {
      const bytes = readFileSync(f);
      for (const form of keyForms(key)) expect(bytes.includes(form), `${f} holds the key`).toBe(false);
    }

    const again = migrate(data, secrets);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).masterKey).toBe(key.toString('base64url'));
  }, CHILDREN);

  it('a copy of ./data alone, started elsewhere, refuses to start with a clear message and exit 78 — and makes no new key', () => {
    const data = join(root, 'city', 'data');
    const secrets = join(root, 'home', '.config', 'local-citizenship-card');
    const before = readdirSync(secrets);

    // The copy on this machine (another path) and on another machine (another SECRETS_DIR).
    const copy = join(root, 'stolen', 'data');
    cpSync(data, copy, { recursive: true });
    for (const [dir, secretsDir] of [[copy, secrets], [data, join(root, 'other-machine', 'config')]] as const) {
      const r = migrate(dir, secretsDir);
      expect(r.code, r.stderr).toBe(78);
      expect(r.stderr).toContain(`Cannot start: ${dir} holds a database, but its master key is not at ${secretsFile({ dataDir: dir, secretsDir })}`);
      expect(r.stderr).toContain('MASTER_KEY');
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
    expect(readdirSync(secrets)).toEqual(before);
    expect(existsSync(join(root, 'other-machine', 'config'))).toBe(false);
  }, CHILDREN);

  it('a data directory from an earlier release (DATA_DIR/secrets.json) has its key moved out on start', () => {
    const data = join(root, 'legacy', 'data');
    const secrets = join(root, 'legacy-home', 'config');
    mkdirSync(data, { recursive: true });
    const key = Buffer.alloc(32, 7);
    writeFileSync(join(data, 'secrets.json'), JSON.stringify({ masterKey: key.toString('base64url') }));
    const r = migrate(data, secrets);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(data, 'secrets.json'))).toBe(false);
    expect(JSON.parse(readFileSync(secretsFile({ dataDir: data, secretsDir: secrets }), 'utf8')).masterKey).toBe(key.toString('base64url'));
    expect(r.stderr).toContain('moved the master key out of the data directory');
  }, CHILDREN);
});
