/**
 * One process per embedded data directory.
 *
 * PGlite keeps the whole database in the memory of the process that opened
 * it and writes its pages back to DATA_DIR; it has no postmaster.pid of its
 * own. Two processes on one directory each see only their own writes, and
 * whichever writes its pages last silently erases the other's acknowledged
 * work. So the directory holds a lock file, `lcc.lock`, for the life of the
 * process that owns it:
 *
 * - it is created atomically (`link(2)` of a fully written temporary file,
 *   which fails if the name exists), holding the owner's pid, host, process
 *   start time and a random nonce;
 * - a second process finds a live owner and is refused with
 *   {@link DataDirLockedError} (the server and the CLI exit with 75,
 *   EX_TEMPFAIL: a supervisor that restarts the service while the old
 *   process is still shutting down simply tries again);
 * - a lock whose owner is gone (SIGKILL, power loss) is taken over: the pid
 *   no longer runs, or runs a process that started at another time (the pid
 *   was reused);
 * - it is removed on release and, as a last resort, when the process exits.
 *
 * A lock written on another host (a data directory on a network share)
 * cannot be checked and is never taken over: the message says which file to
 * remove once the other host has stopped.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'lcc.lock';

interface Owner {
  pid: number;
  host: string;
  /** Start time of the process (Linux: /proc/<pid>/stat field 22), to tell a reused pid; null where unknown. */
  started: string | null;
  nonce: string;
}

export class DataDirLockedError extends Error {
  readonly code = 'data-dir-locked';
  constructor(
    readonly dataDir: string,
    readonly owner: Pick<Owner, 'pid' | 'host'>,
  ) {
    super(
      owner.host === hostname()
        ? `the data directory ${dataDir} is in use by another process (pid ${owner.pid}). ` +
            'One data directory serves one process at a time: stop the other one first (or wait until it has shut down), ' +
            'or give this one its own DATA_DIR.'
        : `the data directory ${dataDir} is locked by a process on host ${owner.host} (pid ${owner.pid}). ` +
            `Stop that process; if it is gone for good, remove ${join(dataDir, LOCK_FILE)}.`,
    );
  }
}

export interface DataDirLock {
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

/**
 * Takes the data directory's lock or throws {@link DataDirLockedError}.
 * The directory must exist.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const me: Owner = { pid: process.pid, host: hostname(), started: startTime(process.pid), nonce: randomBytes(12).toString('hex') };
  const mine = JSON.stringify(me);
  const temp = `${path}.${me.pid}.${me.nonce}`;
  writeFileSync(temp, mine, { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw e;
      }
      const seen = readOwner(path);
      if (seen && isAlive(seen)) throw new DataDirLockedError(dataDir, seen);
      takeOverStale(path, seen, me);
    }
  } finally {
    unlinkSync(temp);
  }

  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    try {
      if (readOwner(path)?.nonce === me.nonce) unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.on('exit', release);
  return { release };
}

/**
 * Moves a dead owner's lock aside. Two processes may both find the same
 * stale lock: each renames the lock name to a name of its own, and only the
 * one that finds the stale content there removed it; the other has moved a
 * fresh lock aside and puts it back before trying again.
 */
function takeOverStale(path: string, stale: Owner | null, me: Owner): void {
  const aside = `${path}.stale.${me.pid}.${me.nonce}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it: try again
    throw e;
  }
  const moved = readOwner(aside);
  if (moved && stale && moved.nonce !== stale.nonce) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process holds the name now; the next attempt reads it.
    }
  }
  unlinkSync(aside);
}

function readOwner(path: string): Owner | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string' || typeof o.nonce !== 'string') return null;
    return { pid: o.pid, host: o.host, started: typeof o.started === 'string' ? o.started : null, nonce: o.nonce };
  } catch {
    return null; // unreadable or half-written (a crash between write and link cannot leave one: link is atomic)
  }
}

function isAlive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true; // cannot tell: never take over another host's lock
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: a process of another user runs under that pid; trust the start time below.
  }
  const started = startTime(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

/** The process's start time in clock ticks since boot (Linux); null elsewhere. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) is in parentheses and may hold spaces: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
