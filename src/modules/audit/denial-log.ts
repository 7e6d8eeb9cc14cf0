/**
 * Refused calls in the audit log, without letting any token holder flood it
 * (issue 13, finding 11: each 403 wrote an entry, so a loop of forbidden
 * calls grew the log — and held its chain head — as fast as it could send).
 *
 * Per caller (principal type and id) and route, within a window of
 * DENIAL_WINDOW_MS: the first refusal is written at once, the rest are only
 * counted, and one more entry with `count` = how many followed is written
 * when the window ends (a sweep every few seconds, a flush at shutdown). So
 * an entry per caller and route appears at once, and at most two per window;
 * the counts add up to every refusal. Memory is bounded: past MAX_OPEN open
 * windows, all are closed and written.
 *
 * Per instance: N instances write at most N times as many entries. Counts
 * still open when a process dies are lost (at most one window's worth).
 */
import type { Db } from '../../db/client.js';
import type { Actor, AuditEvent, AuditService } from './audit-service.js';

export const DENIAL_WINDOW_MS = 60_000;
const MAX_OPEN = 10_000;
const SWEEP_MS = 5_000;

interface Window {
  actor: Actor;
  route: string;
  until: number;
  /** Refusals after the first, not yet written. */
  more: number;
}

export function createDenialLog(deps: {
  db: Db;
  audit: Pick<AuditService, 'recordMany'>;
  /** Real time (windows must end even when a test freezes the business clock). */
  now?: () => number;
  windowMs?: number;
  onError?: (e: unknown) => void;
}) {
  const now = deps.now ?? Date.now;
  const windowMs = deps.windowMs ?? DENIAL_WINDOW_MS;
  const open = new Map<string, Window>();
  let timer: NodeJS.Timeout | undefined;

  const entry = (w: Window, count?: number): AuditEvent => ({
    actor: w.actor,
    action: 'access.denied',
    targetType: 'route',
    targetId: w.route,
    outcome: 'denied',
    ...(count !== undefined ? { count } : {}),
  });

  const write = (events: AuditEvent[]) => (events.length ? deps.db.transaction((tx) => deps.audit.recordMany(tx, events)) : Promise.resolve());

  /** Closes the windows that ended (all of them with `all`) and writes their counts. */
  async function sweep(all = false): Promise<void> {
    const t = now();
    const due: AuditEvent[] = [];
    for (const [key, w] of open) {
      if (!all && w.until > t) continue;
      open.delete(key);
      if (w.more > 0) due.push(entry(w, w.more));
    }
    if (open.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
    await write(due);
  }

  return {
    /** One refused call by `actor` on `route` (method and pattern). */
    async denied(actor: Actor, route: string): Promise<void> {
      const key = `${actor.type}\u0000${actor.id ?? ''}\u0000${route}`;
      const t = now();
      const current = open.get(key);
      // Counted synchronously, before any await: concurrent refusals all see the open window.
      if (current && current.until > t) {
        current.more++;
        return;
      }
      const ended = current && current.more > 0 ? [entry(current, current.more)] : [];
      const w: Window = { actor, route, until: t + windowMs, more: 0 };
      open.set(key, w);
      if (open.size > MAX_OPEN) {
        open.delete(key);
        await sweep(true);
        open.set(key, w);
      }
      timer ??= setInterval(() => sweep().catch((e: unknown) => deps.onError?.(e)), Math.min(SWEEP_MS, windowMs)).unref();
      await write([...ended, entry(w)]);
    },
    /** Writes every count still open (at shutdown; tests). */
    flush: () => sweep(true),
  };
}

export type DenialLog = ReturnType<typeof createDenialLog>;
