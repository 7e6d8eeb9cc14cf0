/**
 * The data directory's lock (src/db/data-dir-lock.ts): one owner at a time,
 * a dead owner's lock taken over, a reused pid told apart by its start time,
 * another host's lock never taken.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../../src/db/data-dir-lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lcc-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that ran and has exited: a child that has been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

function writeLock(owner: Record<string, unknown>) {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ nonce: 'n0', ...owner }));
}

describe('data directory lock', () => {
  it('is held by one owner at a time and refuses a second with the owner named', () => {
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    let err: unknown;
    try {
      lockDataDir(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as Error).message).toContain(`in use by another process (pid ${process.pid})`);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir).release();
    // Nothing but the lock was ever written: no temporary files left behind.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over the lock of a process that died', () => {
    writeLock({ pid: deadPid(), host: hostname(), started: '1' });
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock whose pid now belongs to a process started at another time', () => {
    // Our own pid, but "started" long ago: the pid was reused by this process.
    writeLock({ pid: process.pid, host: hostname(), started: '1' });
    lockDataDir(dir).release();
  });

  it('never takes over the lock of another host', () => {
    writeLock({ pid: deadPid(), host: 'another-host.example', started: '1' });
    expect(() => lockDataDir(dir)).toThrow(/locked by a process on host another-host\.example .* remove .*lcc\.lock/);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).host).toBe('another-host.example');
  });

  it('treats an unreadable lock file as stale', () => {
    writeFileSync(join(dir, LOCK_FILE), 'not json');
    lockDataDir(dir).release();
  });

  it('does not remove a lock that another owner took after ours was released', () => {
    const first = lockDataDir(dir);
    first.release();
    const second = lockDataDir(dir);
    first.release();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    second.release();
  });
});
