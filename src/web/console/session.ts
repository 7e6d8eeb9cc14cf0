/**
 * The console's sliding session (issue 15, item 6). Sign-in goes through
 * `POST /v1/auth/session`: the access token stays in memory, the refresh
 * token in an HttpOnly cookie that scripts never see. While the clerk works,
 * the access token is exchanged (`/refresh`, which rotates the cookie) before
 * it runs out and before the server's idle limit, so an active clerk is never
 * signed out; a reload resumes the session from the cookie. With no activity
 * for the server's `idleTimeout`, a warning comes a minute before, then the
 * session is revoked (so a reload cannot skip the lock) and the page asks for
 * the password again over the view it keeps. Tabs of the console share their
 * activity and their sign-out (BroadcastChannel), and take turns to refresh
 * (Web Locks): two tabs presenting the same token would look like a stolen
 * token to the server, which then ends the session.
 */
import { ApiError, type Api } from '../shared/api.js';

export interface Grant {
  accessToken: string;
  /** Seconds the access token lasts. */
  expiresIn: number;
  role: string;
  username: string;
  /** Seconds without activity after which the session ends. */
  idleTimeout: number;
  /** Signed in with a one-time password: the console asks for a new one before anything else (password.ts). */
  passwordChangeRequired?: boolean;
}

/** `idle`: nobody used the console for `idleTimeout`; `ended`: the server ended it (revoked, account changed, day over). */
export type EndReason = 'idle' | 'ended';

export interface SessionEvents {
  /** The idle warning: the session ends at `endsAt` (ms) unless the clerk stays. */
  warn(endsAt: number): void;
  /** The warning is moot (the clerk stayed, or worked in another tab). */
  unwarn(): void;
  /** The session is over while the page is open: ask for the password again. */
  ended(reason: EndReason): void;
  /** Signed out in another tab. */
  signedOutElsewhere(): void;
}

const PATH = '/v1/auth/session';
export const WARN_MS = 60_000;
const CHANNEL = 'lcc-console-session';
/** Activity is told to other tabs at most this often. */
const SHARE_MS = 5_000;
const withCookie = { anonymous: true, credentials: 'same-origin' } as const;

/** @example const s = createSession(api, events); const g = await s.resume(); if (!g) showSignIn(); */
export function createSession(api: Api, events: SessionEvents, now: () => number = () => Date.now()) {
  let grant: Grant | null = null;
  let grantedAt = 0;
  let lastActivity = 0;
  let warned = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: Promise<Grant | null> | null = null;
  let waiting: Array<(back: boolean) => void> = [];
  let shared = 0;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;

  const idleMs = () => (grant?.idleTimeout ?? 900) * 1000;
  const idleAt = () => lastActivity + idleMs();
  const warnAt = () => idleAt() - Math.min(WARN_MS, idleMs() / 2);
  // Renewed well before the access token dies and before the server's idle limit counted from the last renewal.
  const renewAt = () => grantedAt + Math.min((grant?.expiresIn ?? 900) * 1000, idleMs()) * 0.8;
  const renewDue = (t: number) => lastActivity > grantedAt && t >= renewAt();

  function take(g: Grant): Grant {
    grant = g;
    api.token = g.accessToken;
    grantedAt = now();
    if (warned) {
      warned = false;
      events.unwarn();
    }
    for (const w of waiting.splice(0)) w(true);
    check();
    return g;
  }

  function drop() {
    grant = null;
    api.token = null;
    clearTimeout(timer);
    if (warned) {
      warned = false;
      events.unwarn();
    }
  }

  function check() {
    clearTimeout(timer);
    if (!grant) return;
    const t = now();
    if (t >= idleAt()) {
      drop();
      void request('DELETE', PATH).catch(() => undefined);
      events.ended('idle');
      return;
    }
    if (t >= warnAt() && !warned) {
      warned = true;
      events.warn(idleAt());
    } else if (t < warnAt() && warned) {
      warned = false;
      events.unwarn();
    }
    if (renewDue(t)) void refresh().catch(() => undefined);
    const next = [warnAt(), idleAt(), renewAt()].filter((x) => x > t);
    timer = setTimeout(check, Math.max(250, Math.min(...next) - t));
  }

  const request = <T>(method: string, path: string, json?: unknown) => api.request<T>(method, path, { ...withCookie, ...(json ? { json } : {}) });

  /** One exchange at a time, in this tab and across tabs; 401 means the session is over (null). */
  function refresh(): Promise<Grant | null> {
    inflight ??= (async () => {
      const run = async () => {
        try {
          const g = await request<Grant>('POST', `${PATH}/refresh`);
          // Someone else signed in at this browser since (the cookie is the browser's, not the tab's): not ours to use.
          if (grant && g.username !== grant.username) return null;
          return take(g);
        } catch (err) {
          if (err instanceof ApiError && err.status === 401) return null;
          throw err;
        }
      };
      return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks.request(CHANNEL, run) : run();
    })().finally(() => (inflight = null));
    return inflight.then((g) => {
      if (!g && grant) {
        drop();
        events.ended('ended');
      }
      return g;
    });
  }

  channel?.addEventListener('message', (e: MessageEvent<{ type: string }>) => {
    if (!grant && e.data.type !== 'signed-out') return;
    if (e.data.type === 'active') {
      lastActivity = now();
      check();
    } else if (e.data.type === 'signed-out') {
      drop();
      for (const w of waiting.splice(0)) w(false);
      events.signedOutElsewhere();
    }
  });

  return {
    get username() {
      return grant?.username ?? null;
    },

    /** Sign-in with a password; throws the server's problem (wrong password, throttled…). */
    async signIn(username: string, password: string): Promise<Grant> {
      const g = await request<Grant>('POST', PATH, { username, password });
      lastActivity = now();
      return take(g);
    },

    /** On load (F5, Back): the session in the cookie, if one is alive. */
    async resume(): Promise<Grant | null> {
      // Opening the page is the clerk being there. (A renewal is not: it only carries activity seen before it.)
      lastActivity = now();
      try {
        return await refresh();
      } catch {
        return null;
      }
    },

    /** A key, a click, a scroll: the clerk is there. */
    activity() {
      if (!grant || warned) return;
      const t = now();
      lastActivity = t;
      if (channel && t - shared > SHARE_MS) {
        shared = t;
        channel.postMessage({ type: 'active' });
      }
      if (renewDue(t)) void refresh().catch(() => undefined);
    },

    /** "Stay signed in": renew now, whatever the timers say. */
    async stay(): Promise<void> {
      lastActivity = now();
      check();
      await refresh().catch(() => undefined);
    },

    /** Re-runs the timers (after the device slept or the page came back from the back-forward cache). */
    check,

    /**
     * For the API's 401: renew, else wait for the clerk to sign in again
     * (true) or to give up (false).
     */
    async renewOrWait(): Promise<boolean> {
      if (grant && (await refresh().catch(() => null))) return true;
      return new Promise((resolve) => waiting.push(resolve));
    },

    /** Sign-out: the server revokes the refresh token; every tab of the console signs out. */
    async signOut(): Promise<void> {
      drop();
      for (const w of waiting.splice(0)) w(false);
      channel?.postMessage({ type: 'signed-out' });
      await request('DELETE', PATH).catch(() => undefined);
    },
  };
}

export type Session = ReturnType<typeof createSession>;
