/**
 * Staff accounts, login with throttling and lockout, and partner service
 * keys. Knows nothing of HTTP: it returns values or throws AppError.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import { AppError } from '../../errors/app-error.js';
import type { PasswordHashParams } from '../../config.js';
import { dummyHash, hashPassword, verifyPassword } from '../../security/password.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import type { Profile, Role } from './roles.js';
import type { ServiceKeyRow, StaffRepository, StaffRow } from './staff-repository.js';
import { createLoginThrottle } from './login-throttle.js';

export interface StaffView {
  id: string;
  username: string;
  role: Role;
  profile: Profile | null;
  /** The partner organisation a `partner_service` account acts for (src/modules/benefits). */
  partnerId: string | null;
  disabled: boolean;
  /** The password is a one-time one (generated at first start, or set by an administrator as such): the holder must replace it. */
  passwordChangeRequired: boolean;
  createdAt: string;
}

export interface ServiceKeyView {
  id: string;
  name: string;
  profile: Profile;
  /** The partner organisation the key acts for; null for a plain verifier. */
  partnerId: string | null;
  prefix: string;
  revoked: boolean;
  createdAt: string;
}

export function toStaffView(r: StaffRow): StaffView {
  return {
    id: r.id,
    username: r.username,
    role: r.role as Role,
    profile: (r.profile as Profile | null) ?? null,
    partnerId: r.partnerId ?? null,
    disabled: r.disabled,
    passwordChangeRequired: passwordChangeRequired(r),
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * A one-time password is stored as its hash behind this mark. The mark lives
 * with the secret it describes, so setting any new password clears it without
 * a second column to keep in step (no migration).
 */
const ONE_TIME = 'otp:';
const marked = (hash: string, oneTime: boolean | undefined) => (oneTime ? ONE_TIME + hash : hash);
const bare = (stored: string) => (stored.startsWith(ONE_TIME) ? stored.slice(ONE_TIME.length) : stored);
/** Whether the account must replace its password before working (the console asks at sign-in). */
export const passwordChangeRequired = (r: Pick<StaffRow, 'passwordHash'>) => r.passwordHash.startsWith(ONE_TIME);

function toKeyView(r: ServiceKeyRow): ServiceKeyView {
  return { id: r.id, name: r.name, profile: r.profile as Profile, partnerId: r.partnerId ?? null, prefix: r.prefix, revoked: r.revokedAt !== null, createdAt: r.createdAt.toISOString() };
}

const SERVICE_KEY = /^lcc_sk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface StaffServiceDeps {
  db: Db;
  repo: StaffRepository;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  passwordHash: PasswordHashParams;
  /** HMAC key for throttle keys, so no raw IP address or username is stored. */
  throttleKey: Buffer;
  /** Whether a live partner organisation has this id (src/modules/benefits); without it, no account can name one. */
  partnerExists?: (id: string) => Promise<boolean>;
}

/**
 * Who a token or service key belongs to is remembered this long, so a busy
 * verification desk does not cost a database read per scan. Changes made on
 * this instance (disable, role change, revocation) take effect at once; on
 * other instances of the city within this time.
 */
export const PRINCIPAL_CACHE_MS = 10_000;
/**
 * While the database cannot be reached, a principal confirmed this recently
 * still counts (stale-if-error), so verification desks keep working through
 * an outage, as the trust store does. Tokens still expire on their own.
 */
export const PRINCIPAL_STALE_IF_UNAVAILABLE_MS = 15 * 60_000;

export function createStaffService(deps: StaffServiceDeps) {
  const { db, repo, audit, clock } = deps;
  let dummy: Promise<string> | undefined;
  const staffCache = new Map<string, { row: StaffRow | undefined; at: number }>();
  const keyCache = new Map<string, { row: ServiceKeyRow | undefined; at: number }>();
  const forgetPrincipals = () => {
    staffCache.clear();
    keyCache.clear();
  };
  function remembered<T>(cache: Map<string, { row: T; at: number }>, key: string, maxAge = PRINCIPAL_CACHE_MS): { row: T } | undefined {
    const hit = cache.get(key);
    // An old entry stays (until the size cap clears the map) for use while the database is away.
    return hit && Date.now() - hit.at <= maxAge ? hit : undefined;
  }
  async function lookup<T>(cache: Map<string, { row: T; at: number }>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = remembered(cache, key);
    if (hit) return hit.row;
    try {
      return remember(cache, key, await load());
    } catch (e) {
      const stale = isDatabaseUnavailable(e) ? remembered(cache, key, PRINCIPAL_STALE_IF_UNAVAILABLE_MS) : undefined;
      if (stale) return stale.row;
      throw e;
    }
  }
  function remember<T>(cache: Map<string, { row: T; at: number }>, key: string, row: T): T {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { row, at: Date.now() });
    return row;
  }
  const throttle = createLoginThrottle({ repo, key: deps.throttleKey });
  async function checkPartner(partnerId: string | undefined): Promise<void> {
    if (partnerId !== undefined && !(await deps.partnerExists?.(partnerId))) throw new AppError('organisation-not-found', { errors: [{ path: '/partnerId', message: 'no such partner organisation' }] });
  }

  return {
    async create(actor: Actor, input: { username: string; password: string; role: Role; profile?: Profile; partnerId?: string; mustChangePassword?: boolean }): Promise<StaffView> {
      await checkPartner(input.partnerId);
      const username = input.username.normalize('NFC').toLowerCase();
      const passwordHash = marked(await hashPassword(input.password, deps.passwordHash), input.mustChangePassword);
      return db.transaction(async (tx) => {
        if (await repo.byUsername(tx, username)) throw new AppError('username-taken');
        const row = await repo.insert(tx, {
          username,
          role: input.role,
          profile: input.role === 'partner_service' ? (input.profile ?? 'name_and_photo') : null,
          partnerId: input.role === 'partner_service' ? (input.partnerId ?? null) : null,
          passwordHash,
        });
        await audit.record(tx, { actor, action: 'staff.create', targetType: 'staff', targetId: row.id });
        return toStaffView(row);
      });
    },

    async list(): Promise<StaffView[]> {
      return (await repo.list(db)).map(toStaffView);
    },

    async update(
      actor: Actor,
      id: string,
      patch: { role?: Role; profile?: Profile; partnerId?: string | null; disabled?: boolean; password?: string; mustChangePassword?: boolean },
    ): Promise<StaffView> {
      await checkPartner(patch.partnerId ?? undefined);
      const passwordHash = patch.password ? marked(await hashPassword(patch.password, deps.passwordHash), patch.mustChangePassword) : undefined;
      // Forget cached principals again after commit: a read between the two could have cached the old row.
      return db.transaction(async (tx) => {
        const current = await repo.byId(tx, id, { forUpdate: true });
        if (!current) throw new AppError('staff-not-found');
        if (actor.id === id && (patch.disabled === true || (patch.role && patch.role !== 'admin'))) {
          throw new AppError('conflict', { detail: 'An administrator cannot disable or demote their own account.' });
        }
        const role = patch.role ?? (current.role as Role);
        // Any change to who may do what ends the sessions that carried the old rights.
        const revokesTokens = patch.disabled === true || (patch.partnerId !== undefined && patch.partnerId !== current.partnerId) || passwordHash !== undefined || (patch.role !== undefined && patch.role !== current.role);
        const row = await repo.update(tx, id, {
          ...(patch.role ? { role } : {}),
          profile: role === 'partner_service' ? (patch.profile ?? current.profile ?? 'name_and_photo') : null,
          partnerId: role === 'partner_service' ? (patch.partnerId !== undefined ? patch.partnerId : current.partnerId) : null,
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          ...(passwordHash ? { passwordHash } : patch.mustChangePassword !== undefined ? { passwordHash: marked(bare(current.passwordHash), patch.mustChangePassword) } : {}),
          tokenVersion: current.tokenVersion + (revokesTokens ? 1 : 0),
          updatedAt: clock(),
        });
        forgetPrincipals();
        const action = patch.disabled === true ? 'staff.disable' : patch.disabled === false ? 'staff.enable' : passwordHash ? 'staff.reset_password' : 'staff.update';
        await audit.record(tx, { actor, action, targetType: 'staff', targetId: id });
        return toStaffView(row);
      }).finally(forgetPrincipals);
    },

    /**
     * Checks a username and password. The guess is counted first, against
     * the (account, address) pair, the address and the account (see
     * login-throttle.ts); a guess beyond a limit is refused without checking
     * the password. The answer is the same whether or not the username exists.
     */
    async login(username: string, password: string, address: string): Promise<{ staff: StaffRow }> {
      const now = clock();
      const name = username.normalize('NFC').toLowerCase();
      const gate = await throttle.admit(db, throttle.keys(name, address), now);
      if (!gate.admitted) {
        await db.transaction((tx) => audit.record(tx, { actor: { type: 'anonymous' }, action: 'auth.login_locked', outcome: 'denied' }));
        throw new AppError('account-locked', { headers: { 'retry-after': String(gate.retryAfterSeconds) } });
      }
      const row = await repo.byUsername(db, name);
      // An unknown name costs the same scrypt work as a known one.
      const ok = (await verifyPassword(password, row ? bare(row.passwordHash) : await (dummy ??= dummyHash(deps.passwordHash)))) && row !== undefined;
      if (!ok) {
        await db.transaction(async (tx) => {
          await throttle.failed(tx, gate.admission, now);
          await audit.record(tx, { actor: { type: 'anonymous' }, action: 'auth.login_failed', targetType: row ? 'staff' : undefined, targetId: row?.id, outcome: 'failure' });
        });
        throw new AppError('invalid-credentials');
      }
      if (row!.disabled) {
        await db.transaction((tx) => audit.record(tx, { actor: { type: 'anonymous' }, action: 'auth.login_disabled', targetType: 'staff', targetId: row!.id, outcome: 'denied' }));
        throw new AppError('account-disabled');
      }
      await db.transaction(async (tx) => {
        await throttle.succeeded(tx, gate.admission, now);
        await audit.record(tx, { actor: { type: row!.role as Role, id: row!.id }, action: 'auth.login', targetType: 'staff', targetId: row!.id });
      });
      return { staff: row! };
    },

    /**
     * A signed-in account replaces its own password. The current one is a
     * guess like a sign-in's: counted first by the same throttle (so guesses
     * here and at sign-in share one lock), audited, and a wrong one answers
     * `current-password-wrong`. Success ends the account's other sessions
     * (token version) and returns the row to issue the caller a new token.
     */
    async changeOwnPassword(actor: Actor & { id: string }, input: { current: string; next: string }, address: string): Promise<{ staff: StaffRow }> {
      // Compares the two strings sent, no secret: so it may come before the guess is counted.
      if (input.next.normalize('NFKC') === input.current.normalize('NFKC')) throw new AppError('password-unchanged', { errors: [{ path: '/body/next', message: 'must differ from the current password' }] });
      const now = clock();
      const row = await repo.byId(db, actor.id);
      if (!row || row.disabled) throw new AppError('token-invalid');
      const gate = await throttle.admit(db, throttle.keys(row.username, address), now);
      if (!gate.admitted) {
        await db.transaction((tx) => audit.record(tx, { actor, action: 'auth.password_change_locked', targetType: 'staff', targetId: row.id, outcome: 'denied' }));
        throw new AppError('account-locked', { headers: { 'retry-after': String(gate.retryAfterSeconds) } });
      }
      if (!(await verifyPassword(input.current, bare(row.passwordHash)))) {
        await db.transaction(async (tx) => {
          await throttle.failed(tx, gate.admission, now);
          await audit.record(tx, { actor, action: 'auth.password_change_failed', targetType: 'staff', targetId: row.id, outcome: 'failure' });
        });
        throw new AppError('current-password-wrong');
      }
      const passwordHash = await hashPassword(input.next, deps.passwordHash);
      return db.transaction(async (tx) => {
        const fresh = await repo.byId(tx, row.id, { forUpdate: true });
        if (!fresh || fresh.disabled) throw new AppError('token-invalid');
        const updated = await repo.update(tx, row.id, { passwordHash, tokenVersion: fresh.tokenVersion + 1, updatedAt: now });
        forgetPrincipals();
        await throttle.succeeded(tx, gate.admission, now);
        await audit.record(tx, { actor, action: 'auth.password_change', targetType: 'staff', targetId: row.id });
        return { staff: updated };
      }).finally(forgetPrincipals);
    },

    /** The account behind a token, if it still may act (not disabled, same token version). */
    async activeStaff(id: string, tokenVersion: number): Promise<StaffRow | undefined> {
      return lookup(staffCache, `${id}:${tokenVersion}`, async () => {
        const row = await repo.byId(db, id);
        return !row || row.disabled || row.tokenVersion !== tokenVersion ? undefined : row;
      });
    },

    async createServiceKey(actor: Actor, input: { name: string; profile: Profile; partnerId?: string }): Promise<ServiceKeyView & { secret: string }> {
      await checkPartner(input.partnerId);
      const prefix = randomBytes(6).toString('hex');
      const secretPart = randomBytes(32).toString('base64url');
      const secret = `lcc_sk_${prefix}_${secretPart}`;
      return db.transaction(async (tx) => {
        const row = await repo.insertServiceKey(tx, {
          name: input.name,
          profile: input.profile,
          partnerId: input.partnerId ?? null,
          prefix,
          secretHash: createHash('sha256').update(secret).digest('hex'),
          createdBy: actor.id ?? null,
        });
        await audit.record(tx, { actor, action: 'service_key.create', targetType: 'service_key', targetId: row.id });
        return { ...toKeyView(row), secret };
      });
    },

    async listServiceKeys(): Promise<ServiceKeyView[]> {
      return (await repo.listServiceKeys(db)).map(toKeyView);
    },

    async revokeServiceKey(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await repo.serviceKeyById(tx, id);
        if (!row) throw new AppError('service-key-not-found');
        if (row.revokedAt) return;
        await repo.revokeServiceKey(tx, id, clock());
        forgetPrincipals();
        await audit.record(tx, { actor, action: 'service_key.revoke', targetType: 'service_key', targetId: id });
      }).finally(forgetPrincipals);
    },

    /** The live service key matching a presented secret, or undefined. */
    async authenticateServiceKey(secret: string): Promise<ServiceKeyRow | undefined> {
      const m = SERVICE_KEY.exec(secret);
      if (!m) return undefined;
      const presented = createHash('sha256').update(secret).digest();
      return lookup(keyCache, presented.toString('base64'), async () => {
        const row = await repo.serviceKeyByPrefix(db, m[1]!);
        if (!row || row.revokedAt) return undefined;
        const stored = Buffer.from(row.secretHash, 'hex');
        return presented.length === stored.length && timingSafeEqual(presented, stored) ? row : undefined;
      });
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
