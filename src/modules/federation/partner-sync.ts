/**
 * Keeping partners current: their metadata (key rotation, revocation) and
 * status lists, each fetched with If-None-Match and verified before it
 * replaces the last good copy. A failed step keeps that copy, records its
 * problem code, and the verification answers keep reporting the copy's age.
 */
import { verifyStatusList } from '../../credential/index.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { AuditService } from '../audit/audit-service.js';
import type { OutboundGuard } from '../../http/outbound-guard.js';
import { fetchDocument, type FetchFn } from './fetch-document.js';
import type { FederationRepository, PartnerPatch, PartnerRow } from './federation-repository.js';
import { MAX_METADATA_CHARS, mergeKeys, verifyIssuerMetadata } from './metadata-check.js';

/** A status list of a million cards is ~46 kB; 4 MiB is far beyond any real one. */
const MAX_STATUS_LIST_BYTES = 4 * 1024 * 1024;
const SYNC_CONCURRENCY = 8;

export interface SyncDeps {
  db: Db;
  repo: FederationRepository;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  fetch: FetchFn;
  /** Which addresses may be fetched (public only, unless FEDERATION_ALLOW_PRIVATE_NETWORKS). */
  guard: OutboundGuard;
  timeoutMs: number;
  /** After any change (trust store caches). */
  onChange: () => void;
  /** Runs first in each timed round (the world directory and the national lists it names). */
  before?: () => Promise<unknown>;
  log?: { warn(obj: object, msg: string): void };
}

export interface SyncOutcome {
  id: string;
  changed: boolean;
  /** Problem code of the first failed step, if any. */
  error?: string;
}

const codeOf = (e: unknown): string => (e instanceof AppError ? e.code : 'partner-fetch-failed');
const sameKeys = (a: PartnerRow['keys'], b: PartnerRow['keys']) => JSON.stringify(a) === JSON.stringify(b);

export function createPartnerSync(deps: SyncDeps) {
  const { db, repo, clock } = deps;

  async function refreshMetadata(row: PartnerRow, now: Date, patch: PartnerPatch): Promise<void> {
    const got = await fetchDocument(deps.fetch, row.metadataUrl!, { etag: row.state === 'active' ? row.metadataEtag : null, maxBytes: MAX_METADATA_CHARS, timeoutMs: deps.timeoutMs, guard: deps.guard });
    if (got.notModified) {
      patch.metadataFetchedAt = now;
      return;
    }
    const m = await verifyIssuerMetadata(got.body, {
      fingerprint: row.rootFingerprint,
      now,
      expectedIssuer: row.id,
      // A listed issuer must be of the country its list (national, or through the directory) gives it.
      ...(row.source === 'trust_list' || row.source === 'directory' ? { expectedCountry: row.country } : {}),
    });
    // A replayed older copy could resurrect a key the partner has since dropped.
    if (row.metadataIat !== null && m.iat < row.metadataIat) throw new AppError('partner-metadata-stale');
    Object.assign(patch, {
      state: 'active',
      name: m.name,
      country: m.country,
      rootJwk: m.rootJwk,
      keys: mergeKeys(row.keys, m.keys, m.revoked),
      revoked: m.revoked,
      metadataJws: got.body,
      metadataIat: m.iat,
      metadataEtag: got.etag ?? null,
      metadataFetchedAt: now,
      statusListUrl: m.statusListUrl,
    } satisfies PartnerPatch);
  }

  async function refreshStatusList(row: PartnerRow, now: Date, patch: PartnerPatch): Promise<void> {
    const keys = patch.keys ?? row.keys;
    const url = patch.statusListUrl ?? row.statusListUrl;
    if (!url || keys.length === 0) return;
    const got = await fetchDocument(deps.fetch, url, { etag: row.statusListJwt ? row.statusListEtag : null, maxBytes: MAX_STATUS_LIST_BYTES, timeoutMs: deps.timeoutMs, guard: deps.guard });
    if (got.notModified) {
      patch.statusListFetchedAt = now;
      return;
    }
    try {
      await verifyStatusList(got.body, { id: row.id, name: row.name, country: patch.country ?? row.country, keys: keys.map((k) => ({ ...k })) }, { now });
    } catch {
      throw new AppError('partner-status-list-invalid');
    }
    Object.assign(patch, { statusListJwt: got.body, statusListEtag: got.etag ?? null, statusListFetchedAt: now } satisfies PartnerPatch);
  }

  /**
   * Refreshes one partner: metadata (when it has a URL), then its status
   * list with the keys just verified. Never throws for the partner's faults.
   */
  async function syncOne(id: string, opts: { metadata?: boolean } = {}): Promise<SyncOutcome> {
    const row = await repo.get(db, id);
    if (!row) throw new AppError('partner-not-found');
    const now = clock();
    const patch: PartnerPatch = {};
    let error: string | undefined;
    if (row.metadataUrl && opts.metadata !== false) {
      await refreshMetadata(row, now, patch).catch((e: unknown) => {
        error = codeOf(e);
      });
    }
    if ((patch.state ?? row.state) === 'active') {
      await refreshStatusList(row, now, patch).catch((e: unknown) => {
        error ??= codeOf(e);
      });
    }
    const changed = Object.keys(patch).length > 0;
    const keysChanged = patch.keys !== undefined && !sameKeys(patch.keys, row.keys);
    await db.transaction(async (tx) => {
      await repo.update(tx, id, { ...patch, lastSyncAt: now, lastError: error ?? null }, now);
      if (changed) await repo.bumpVersion(tx);
      if (keysChanged) await deps.audit.record(tx, { actor: { type: 'system' }, action: 'partner.keys_update', targetType: 'partner', targetId: id });
    });
    if (changed) deps.onChange();
    if (error) deps.log?.warn({ partner: id, code: error }, 'partner sync failed; keeping the last good copy');
    return { id, changed, ...(error ? { error } : {}) };
  }

  /** Every partner, a few at a time. */
  async function syncAll(): Promise<{ partners: number; changed: number; failed: number }> {
    const ids = await repo.ids(db);
    let next = 0;
    let changed = 0;
    let failed = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const r = await syncOne(id).catch(() => ({ id, changed: false, error: 'gone' }));
        if (r.changed) changed++;
        if (r.error) failed++;
      }
    };
    await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, worker));
    return { partners: ids.length, changed, failed };
  }

  /**
   * Starts the timer: every `seconds`, the instance holding the lease syncs
   * all partners. Returns the stop function.
   */
  function start(seconds: number): () => Promise<void> {
    let running: Promise<unknown> | undefined;
    const tick = async () => {
      const now = clock();
      // The lease lapses before the next tick, so the instance that holds it need not release it.
      if (!(await repo.takeSyncLease(db, now, new Date(now.getTime() + seconds * 900)))) return;
      await deps.before?.();
      await syncAll();
    };
    const timer = setInterval(() => {
      running ??= tick()
        .catch((e: unknown) => deps.log?.warn({ err: e }, 'partner sync round failed'))
        .finally(() => {
          running = undefined;
        });
    }, seconds * 1000);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }

  return { syncOne, syncAll, start };
}

export type PartnerSync = ReturnType<typeof createPartnerSync>;
