/**
 * Password hashing with scrypt (RFC 7914) at OWASP-recommended parameters
 * (Password Storage Cheat Sheet; default N=2^14, r=8, p=5 — see config.ts).
 * Node 20 has no argon2id built in and scrypt needs no native addon. The
 * parameters are stored in the hash, so raising them later still verifies
 * old hashes. At most two hashes run at once: each takes N·r·128 bytes, and a
 * burst of sign-ins must queue rather than take the server's memory.
 * Format: `$scrypt$ln=14,r=8,p=5$<salt b64>$<hash b64>`.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHashParams } from '../config.js';

const KEY_LEN = 32;

const MAX_CONCURRENT = 2;
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

function scryptRaw(password: string, salt: Buffer, p: PasswordHashParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
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
