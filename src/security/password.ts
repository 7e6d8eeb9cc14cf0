/**
 * Password hashing with scrypt (RFC 7914) at OWASP-recommended parameters
 * (Password Storage Cheat Sheet; default N=2^14, r=8, p=5 — see config.ts).
 * Node 20 has no argon2id built in and scrypt needs no native addon. The
 * parameters are stored in the hash, so raising them later still verifies
 * old hashes. One hash runs at a time: each takes N·r·128 bytes, and a burst
 * of sign-ins must queue rather than take the server's memory (or both cores).
 *
 * The hashes run in one worker thread of their own, not on libuv's pool with
 * node's async `scrypt`: glibc keeps each thread's 16 MiB scrypt buffer in
 * that thread's malloc arena after the hash, so the four pool threads kept
 * 64 MB resident for the life of the process (BENCHMARKS.md, "Memory"); one
 * thread keeps at most one. The worker ends after a minute without a hash.
 * Format: `$scrypt$ln=14,r=8,p=5$<salt b64>$<hash b64>`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { PasswordHashParams } from '../config.js';

const KEY_LEN = 32;

const MAX_CONCURRENT = 1;
let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function scryptAsync(password: string, salt: Buffer, p: PasswordHashParams): Promise<Buffer> {
  return limited(() => scryptRaw(password, salt, p));
}

const WORKER_IDLE_MS = 60_000;
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
parentPort.on('message', ({ password, salt, keyLen, options }) => {
  try {
    parentPort.postMessage({ key: scryptSync(password, Buffer.from(salt), keyLen, options) });
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
  }
});
`;
let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;

function startWorker(): Worker {
  const w = new Worker(WORKER_SOURCE, { eval: true });
  // Unref'd: the worker must never keep the process from exiting.
  w.unref();
  // Between hashes nobody listens: an error or exit then only means the next hash starts a new worker.
  const forget = () => {
    if (worker === w) worker = undefined;
  };
  w.on('error', forget).on('exit', forget);
  return w;
}

/** One hash on the worker (callers are serialised by `limited`). */
function scryptRaw(password: string, salt: Buffer, p: PasswordHashParams): Promise<Buffer> {
  clearTimeout(idleTimer);
  const w = (worker ??= startWorker());
  return new Promise<Buffer>((resolve, reject) => {
    const onMessage = (m: { key?: Uint8Array; error?: string }) => {
      cleanup();
      if (m.key) resolve(Buffer.from(m.key.buffer, m.key.byteOffset, m.key.byteLength));
      else reject(new Error(m.error ?? 'scrypt failed'));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`scrypt worker exited (${code})`));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      w.off('message', onMessage).off('exit', onExit).off('error', onError);
      if (worker !== w) return;
      idleTimer = setTimeout(() => {
        if (worker === w) worker = undefined;
        void w.terminate();
      }, WORKER_IDLE_MS).unref();
    };
    w.on('message', onMessage).on('exit', onExit).on('error', onError);
    w.postMessage({ password: password.normalize('NFKC'), salt, keyLen: KEY_LEN, options: { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 } });
  });
}

export async function hashPassword(password: string, params: PasswordHashParams): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, params);
  return `$scrypt$ln=${Math.log2(params.N)},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(stored);
  if (!m) return false;
  const params = { N: 2 ** Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const expected = Buffer.from(m[5]!, 'base64');
  const actual = await scryptAsync(password, Buffer.from(m[4]!, 'base64'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password: verifying against it costs the same as a real one (no user enumeration by timing). */
export async function dummyHash(params: PasswordHashParams): Promise<string> {
  return hashPassword(randomBytes(16).toString('hex'), params);
}
