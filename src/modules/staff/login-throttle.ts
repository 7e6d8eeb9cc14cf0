/**
 * Staff sign-in throttling (OWASP Authentication Cheat Sheet: throttle, lock
 * for a while, back off), shared by all instances through login_throttle.
 *
 * Every guess is counted BEFORE its password is checked, one atomic statement
 * per key, so twelve simultaneous guesses get twelve different counts and
 * only those within the limit reach scrypt; the rest are refused at once.
 *
 * Three counters, checked in this order (a refusal stops the count there, so
 * refused guesses never feed a wider counter):
 *
 * - (account, address): the lock that stops a guesser. 5 guesses, then a lock
 *   of 1 minute that doubles with each further failure (2, 4 … 60 minutes).
 *   An attacker elsewhere only locks their own pair, never the clerk at the
 *   desk: that is why the account alone is no longer the lock (issue 13).
 * - address: 20 guesses per 15 minutes across usernames, so one address
 *   cannot spray every account.
 * - account: a ceiling of 100 guesses per 15 minutes from all addresses
 *   together, against a guesser with many addresses (100 = 20 addresses each
 *   spending its pair's 5). While it holds, one guess per 15 minutes gets
 *   through. It would turn a botnet into a lock-out of the account, so it
 *   does not apply to a pair that signed in within the last 30 days: the
 *   desk a clerk works from keeps working; only new places wait.
 *
 * Behind a reverse proxy the address is the client's only if TRUST_PROXY
 * names the proxy (src/config.ts); otherwise every client shares the proxy's
 * address and so its pair and address counters.
 *
 * Keys are HMACs under a key derived from MASTER_KEY: no username or address
 * is stored.
 */
import { createHmac } from 'node:crypto';
import type { Executor } from '../../db/client.js';
import type { StaffRepository, ThrottleRow } from './staff-repository.js';

export interface ThrottleScope {
  /** Guesses admitted per window before the key locks. */
  limit: number;
  windowMs: number;
  /** First lock; each further one doubles, up to `maxLockMs`. */
  lockMs: number;
  maxLockMs: number;
}

const MINUTE = 60_000;

export const LOGIN_POLICY = {
  pair: { limit: 5, windowMs: 15 * MINUTE, lockMs: MINUTE, maxLockMs: 60 * MINUTE },
  address: { limit: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, maxLockMs: 15 * MINUTE },
  account: { limit: 100, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, maxLockMs: 15 * MINUTE },
  /** A pair that signed in this recently is not held by the account-wide ceiling. */
  knownPairMs: 30 * 24 * 60 * MINUTE,
  /** The backoff (strikes) is forgotten after a day without a new lock or window. */
  quietMs: 24 * 60 * MINUTE,
} as const satisfies Record<'pair' | 'address' | 'account', ThrottleScope> & Record<string, unknown>;

type Scope = 'pair' | 'address' | 'account';

export interface ThrottleKeys {
  pair: string;
  address: string;
  account: string;
  /** Marks a pair that signed in. */
  known: string;
}

/** One admitted guess: the counts it took, to lock or give back afterwards. */
export interface Admission {
  keys: ThrottleKeys;
  counted: Array<{ scope: Scope; row: ThrottleRow }>;
}

export type Gate = { admitted: true; admission: Admission } | { admitted: false; retryAfterSeconds: number };

export function createLoginThrottle(deps: { repo: StaffRepository; key: Buffer }) {
  const { repo } = deps;
  const id = (kind: string, value: string) => `${kind}:${createHmac('sha256', deps.key).update(value).digest('base64url').slice(0, 22)}`;
  const scopeOf = (scope: Scope) => ({ ...LOGIN_POLICY[scope], quietMs: LOGIN_POLICY.quietMs });
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  return {
    /** `name` is the normalised username (known or not: both are throttled alike). */
    keys(name: string, address: string): ThrottleKeys {
      const pair = `${name}\u0000${address}`;
      return { pair: id('pair', pair), address: id('addr', address), account: id('acct', name), known: id('known', pair) };
    },

    /** Counts the guess on each key in turn; the first key that refuses ends it. */
    async admit(db: Executor, keys: ThrottleKeys, now: Date): Promise<Gate> {
      const known = await repo.throttle(db, keys.known);
      const trusted = known !== undefined && known.windowStart.getTime() > now.getTime() - LOGIN_POLICY.knownPairMs;
      const scopes: Scope[] = trusted ? ['pair', 'address'] : ['pair', 'address', 'account'];
      const counted: Admission['counted'] = [];
      for (const scope of scopes) {
        const policy = LOGIN_POLICY[scope];
        const row = await repo.admit(db, keys[scope], now, scopeOf(scope));
        if (row.lockedUntil && row.lockedUntil > now) return { admitted: false, retryAfterSeconds: seconds(row.lockedUntil.getTime() - now.getTime()) };
        // Beyond the limit while the guess that reached it is still being checked: its failure will lock.
        if (row.failures > policy.limit) return { admitted: false, retryAfterSeconds: seconds(policy.lockMs) };
        counted.push({ scope, row });
      }
      return { admitted: true, admission: { keys, counted } };
    },

    /** The admitted guess was wrong: a key whose count reached its limit locks. */
    async failed(db: Executor, admission: Admission, now: Date): Promise<void> {
      for (const { scope, row } of admission.counted) {
        if (row.failures >= LOGIN_POLICY[scope].limit) await repo.lock(db, admission.keys[scope], now, LOGIN_POLICY[scope]);
      }
    },

    /**
     * The admitted guess was right: the pair starts afresh and is remembered;
     * the address and account counters only get this guess back, since the
     * failures from elsewhere still happened.
     */
    async succeeded(db: Executor, admission: Admission, now: Date): Promise<void> {
      await repo.clearThrottle(db, admission.keys.pair);
      for (const { scope } of admission.counted) if (scope !== 'pair') await repo.release(db, admission.keys[scope]);
      await repo.mark(db, admission.keys.known, now);
      // Keeps the table to what still matters: a mark lapses after knownPairMs, every counter long before.
      await repo.forgetThrottles(db, new Date(now.getTime() - LOGIN_POLICY.knownPairMs));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
