/**
 * One process per embedded data directory (issue 20, item 1). Two real
 * `src/server.ts` processes on one DATA_DIR: the second is refused with a
 * clear message and exit code 75 while the first keeps serving, and every
 * write the first acknowledged is there after a restart; a process killed
 * with SIGKILL leaves a stale lock that the next start takes over.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REFERENCE_RESIDENT } from '../helpers/cards.js';
import { ADMIN_PASSWORD, login, masterKey, ready, startServer, type ServerProcess } from './fixtures/server-process.js';

const home = mkdtempSync(join(tmpdir(), 'lcc-datadir-'));
const env = { DATA_DIR: join(home, 'data'), MASTER_KEY: masterKey(), HOME: home, XDG_CONFIG_HOME: join(home, 'config') };
const running: ServerProcess[] = [];
afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

function start(): ServerProcess {
  const s = startServer(env);
  running.push(s);
  return s;
}

describe('embedded data directory', () => {
  it('refuses a second process, keeps the first one\'s writes, and takes over after a crash', async () => {
    const first = start();
    expect(await ready(first), first.output()).toBe(true);
    const admin = await login(first, 'admin', ADMIN_PASSWORD);
    expect((await first.call('POST', '/v1/staff', { username: 'desk-clerk', password: ADMIN_PASSWORD, role: 'clerk' }, admin)).status).toBe(201);
    const clerk = await login(first, 'desk-clerk', ADMIN_PASSWORD);
    const enrolled: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await first.call('POST', '/v1/residents', REFERENCE_RESIDENT, clerk);
      expect(res.status).toBe(201);
      enrolled.push(res.json.resident.id);
    }

    const second = start();
    const refused = await second.exited;
    expect(refused.code).toBe(75);
    expect(second.output()).toContain(`in use by another process (pid ${first.child.pid})`);
    // The first one never noticed: it still serves and writes.
    const more = await first.call('POST', '/v1/residents', REFERENCE_RESIDENT, clerk);
    expect(more.status).toBe(201);
    enrolled.push(more.json.resident.id);

    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(existsSync(join(env.DATA_DIR, 'lcc.lock'))).toBe(false);

    const third = start();
    expect(await ready(third), third.output()).toBe(true);
    const clerkAgain = await login(third, 'desk-clerk', ADMIN_PASSWORD);
    for (const id of enrolled) expect((await third.call('GET', `/v1/residents/${id}`, undefined, clerkAgain)).status).toBe(200);

    // A crash leaves the lock behind; its owner is gone, so the next start takes it over.
    third.child.kill('SIGKILL');
    await third.exited;
    expect(existsSync(join(env.DATA_DIR, 'lcc.lock'))).toBe(true);
    const fourth = start();
    expect(await ready(fourth), fourth.output()).toBe(true);
    fourth.child.kill('SIGTERM');
    expect((await fourth.exited).code).toBe(0);
  }, 300_000);
});
