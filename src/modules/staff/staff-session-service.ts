/**
 * Sliding sessions for staff (issue 15, item 6). A sign-in starts a family of
 * refresh tokens; each refresh exchanges the presented token for a new one
 * (rotation) and a new short access token. A token presented after it was
 * exchanged means someone holds a copy: the whole family is revoked
 * (OAuth 2.0 Security BCP, RFC 9700 §4.14.2). A session ends when its
 * token stays unused for `idleMs`, after `maxMs` in any case, at sign-out,
 * and as soon as the account is disabled or its rights change (the family
 * carries the account's token version). Knows nothing of HTTP.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Role } from './roles.js';
import type { StaffRepository, StaffRow } from './staff-repository.js';
import type { StaffSessionRepository } from './staff-session-repository.js';

/** Unused this long, a session ends (the console warns a minute before). */
export const SESSION_IDLE_MS = 15 * 60_000;
/** A working day: then the clerk signs in again, however active. */
export const SESSION_MAX_MS = 12 * 3_600_000;

export interface StaffSessionDeps {
  db: Db;
  repo: StaffSessionRepository;
  staff: Pick<StaffRepository, 'byId'>;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  random?: (n: number) => Buffer;
  idleMs?: number;
  maxMs?: number;
}

export interface SessionGrant {
  /** The new refresh token, for the cookie; shown once. */
  token: string;
  staff: StaffRow;
  idleExpiresAt: Date;
  familyExpiresAt: Date;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
/** 256 random bits, base64url: `lcc_rt_` marks what it is in a log or a leak report. */
const TOKEN = /^lcc_rt_[A-Za-z0-9_-]{43}$/;

export function createStaffSessionService(deps: StaffSessionDeps) {
  const { db, repo, audit, clock } = deps;
  const random = deps.random ?? randomBytes;
  const idleMs = deps.idleMs ?? SESSION_IDLE_MS;
  const maxMs = deps.maxMs ?? SESSION_MAX_MS;
  const newToken = () => `lcc_rt_${random(32).toString('base64url')}`;
  const actor = (s: StaffRow) => ({ type: s.role as Role, id: s.id });

  return {
    idleMs,

    /** After a successful sign-in: the first token of a new family. */
    async start(staff: StaffRow): Promise<SessionGrant> {
      const now = clock();
      const token = newToken();
      const idleExpiresAt = new Date(now.getTime() + idleMs);
      const familyExpiresAt = new Date(now.getTime() + maxMs);
      await repo.insert(db, { familyId: crypto.randomUUID(), staffId: staff.id, tokenHash: hashOf(token), tokenVersion: staff.tokenVersion, issuedAt: now, idleExpiresAt, familyExpiresAt });
      return { token, staff, idleExpiresAt, familyExpiresAt };
    },

    /**
     * Exchanges a refresh token for its successor. Refused (401
     * `token-invalid`) when unknown, idle too long, past the day, revoked,
     * already exchanged (then the family is revoked), or when the account
     * was disabled or its rights changed since sign-in (then too).
     */
    async refresh(token: string | undefined): Promise<SessionGrant> {
      if (!token || !TOKEN.test(token)) throw new AppError('token-invalid');
      const hash = hashOf(token);
      const now = clock();
      const outcome = await db.transaction(async (tx) => {
        const used = await repo.rotate(tx, hash, now);
        if (!used) {
          const seen = await repo.byHash(tx, hash);
          if (seen?.rotatedAt && !seen.revokedAt) {
            await repo.revokeFamily(tx, seen.familyId, now);
            await audit.record(tx, { actor: { type: 'anonymous' }, action: 'auth.refresh_reuse', targetType: 'staff', targetId: seen.staffId, outcome: 'denied' });
          }
          return undefined;
        }
        const staff = await deps.staff.byId(tx, used.staffId);
        if (!staff || staff.disabled || staff.tokenVersion !== used.tokenVersion) {
          await repo.revokeFamily(tx, used.familyId, now);
          return undefined;
        }
        const next = newToken();
        // The idle limit slides; the day's limit does not.
        const idleExpiresAt = new Date(Math.min(now.getTime() + idleMs, used.familyExpiresAt.getTime()));
        await repo.insert(tx, { familyId: used.familyId, staffId: staff.id, tokenHash: hashOf(next), tokenVersion: used.tokenVersion, issuedAt: now, idleExpiresAt, familyExpiresAt: used.familyExpiresAt });
        return { token: next, staff, idleExpiresAt, familyExpiresAt: used.familyExpiresAt };
      });
      // Reuse and revocation are committed before the refusal is thrown.
      if (!outcome) throw new AppError('token-invalid');
      return outcome;
    },

    /** Sign-out: the token's whole family ends. Unknown or dead tokens are ignored (signing out twice is fine). */
    async end(token: string | undefined): Promise<void> {
      if (!token || !TOKEN.test(token)) return;
      const now = clock();
      await db.transaction(async (tx) => {
        const row = await repo.byHash(tx, hashOf(token));
        if (!row || row.revokedAt) return;
        await repo.revokeFamily(tx, row.familyId, now);
        const staff = await deps.staff.byId(tx, row.staffId);
        if (staff) await audit.record(tx, { actor: actor(staff), action: 'auth.logout', targetType: 'staff', targetId: staff.id });
      });
    },

    /** Every session of an account ends (it was disabled, its password reset or its role changed). */
    async endAllFor(staffId: string): Promise<void> {
      await repo.revokeStaff(db, staffId, clock());
    },

    /** Deletes sessions that ended more than a day ago. */
    async purge(): Promise<number> {
      return repo.forgetEnded(db, new Date(clock().getTime() - 86_400_000));
    },
  };
}

export type StaffSessionService = ReturnType<typeof createStaffSessionService>;
