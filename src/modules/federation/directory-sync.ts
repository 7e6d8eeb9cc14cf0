/**
 * Keeping the world directory current (DESIGN.md "World directory"): the
 * directory from DIRECTORY_URL, verified against DIRECTORY_ANCHOR_JWK, then
 * each national trust list it names, verified against that country's
 * coordinator key as the directory gives it. The issuers of those lists
 * become partners (source `directory`, pending until the partner sync has
 * verified their own metadata), so their cards read `foreign_issuer` with
 * `genuine` — never `valid` here.
 *
 * Every document is fetched through the same guarded transport as partners'
 * (public addresses only, no redirects, size caps, ETags). A failed step
 * keeps the last good copy and records its problem code; a directory or list
 * older than the one held (rollback), or dated more than 5 minutes ahead, is
 * refused. The city's own country is not taken from the directory: it comes
 * from its national list (TRUST_ANCHOR_JWK), as before.
 */
import type { Db, Executor } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { OutboundGuard } from '../../http/outbound-guard.js';
import type { AuditService } from '../audit/audit-service.js';
import type { DirectoryRepository, NationalListRow } from './directory-repository.js';
import { MAX_DIRECTORY_CHARS, verifyDirectory, type Directory } from './directory.js';
import { fetchDocument, type FetchFn } from './fetch-document.js';
import type { FederationRepository } from './federation-repository.js';
import { MAX_TRUST_LIST_CHARS, verifyTrustList, type TrustListEntry } from './trust-list.js';

export const DIRECTORY_SOURCE = 'directory';

export interface DirectorySyncDeps {
  db: Db;
  repo: DirectoryRepository;
  partners: FederationRepository;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  fetch: FetchFn;
  guard: OutboundGuard;
  timeoutMs: number;
  own: { id: string; country: string };
  anchor: Record<string, string> | undefined;
  url: string | undefined;
  onChange: () => void;
  log?: { warn(obj: object, msg: string): void };
}

export interface DirectoryView {
  configured: boolean;
  url: string | null;
  iat: number | null;
  fetchedAt: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  countries: Array<{ country: string; fingerprint: string; trustListUrl: string; issuers: number; listIat: number | null; listFetchedAt: string | null; lastError: string | null }>;
}

const codeOf = (e: unknown, fallback: string): string => (e instanceof AppError ? e.code : fallback);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The payload of a directory JWS that was verified when it was stored. */
export function storedDirectory(jws: string): Directory {
  return JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Directory;
}

export function createDirectorySync(deps: DirectorySyncDeps) {
  const { db, repo, partners, clock, own } = deps;

  /** Drops the partners the directory brought for one country (its coordinator left the directory or was re-keyed). */
  async function dropCountry(tx: Executor, country: string): Promise<number> {
    const gone = (await partners.pins(tx)).filter((p) => p.source === DIRECTORY_SOURCE && p.country === country).map((p) => p.id);
    await partners.deleteMany(tx, gone);
    return gone.length;
  }

  /** Fetches and checks the directory; on success stores it and reconciles the national list rows. Returns whether anything changed. */
  async function refreshDirectory(now: Date): Promise<boolean> {
    const held = await repo.get(db);
    const got = await fetchDocument(deps.fetch, deps.url!, { etag: held?.jws ? held.etag : null, maxBytes: MAX_DIRECTORY_CHARS, timeoutMs: deps.timeoutMs, guard: deps.guard });
    if (got.notModified) {
      await repo.set(db, { fetchedAt: now });
      return false;
    }
    const directory = await verifyDirectory(got.body, deps.anchor!, { now });
    return db.transaction(async (tx) => {
      const locked = await repo.lock(tx);
      // A replayed older directory could bring back a coordinator the network has since dropped.
      if (locked.iat !== null && directory.iat < locked.iat) throw new AppError('directory-stale');
      await repo.set(tx, { jws: got.body, iat: directory.iat, etag: got.etag ?? null, fetchedAt: now });
      const rows = new Map((await repo.lists(tx)).map((r) => [r.country, r]));
      let changed = locked.jws !== got.body;
      const named = new Set<string>();
      for (const e of directory.entries) {
        if (e.country === own.country) continue;
        named.add(e.country);
        const row = rows.get(e.country);
        if (!row) {
          await repo.insertList(tx, { country: e.country, coordinatorFingerprint: e.fingerprint, coordinatorJwk: e.coordinatorJwk, trustListUrl: e.trustListUrl, createdAt: now, updatedAt: now });
          changed = true;
        } else if (row.coordinatorFingerprint !== e.fingerprint) {
          // A new national coordinator: nothing the old one vouched for is trusted any more, and its list's iat is no floor.
          await dropCountry(tx, e.country);
          await repo.updateList(tx, e.country, { coordinatorFingerprint: e.fingerprint, coordinatorJwk: e.coordinatorJwk, trustListUrl: e.trustListUrl, listIat: null, listEtag: null, listFetchedAt: null, issuers: 0 }, now);
          changed = true;
        } else if (row.trustListUrl !== e.trustListUrl) {
          await repo.updateList(tx, e.country, { trustListUrl: e.trustListUrl, listEtag: null }, now);
          changed = true;
        }
      }
      for (const country of rows.keys()) {
        if (named.has(country)) continue;
        await dropCountry(tx, country);
        await repo.deleteList(tx, country);
        changed = true;
      }
      if (changed) {
        await partners.bumpVersion(tx);
        await deps.audit.record(tx, { actor: { type: 'system' }, action: 'directory.update', targetType: 'directory', targetId: String(directory.iat) });
      }
      return changed;
    });
  }

  /** Fetches one national list and imports its issuers as partners pending their metadata. Returns whether anything changed. */
  async function refreshList(row: NationalListRow, now: Date): Promise<boolean> {
    const got = await fetchDocument(deps.fetch, row.trustListUrl, { etag: row.listIat !== null ? row.listEtag : null, maxBytes: MAX_TRUST_LIST_CHARS, timeoutMs: deps.timeoutMs, guard: deps.guard });
    if (got.notModified) {
      await repo.updateList(db, row.country, { listFetchedAt: now, lastSyncAt: now, lastError: null }, now);
      return false;
    }
    const list = await verifyTrustList(got.body, row.coordinatorJwk, { now });
    if (list.country !== row.country) throw new AppError('trust-list-country-mismatch', { detail: `the directory names this list for ${row.country}` });
    return db.transaction(async (tx) => {
      const current = await repo.list(tx, row.country);
      if (!current || current.coordinatorFingerprint !== row.coordinatorFingerprint) return false;
      if (current.listIat !== null && list.iat < current.listIat) throw new AppError('trust-list-stale');
      const existing = new Map((await partners.pins(tx)).map((p) => [p.id, p]));
      const inserts: TrustListEntry[] = [];
      const listed = new Set<string>();
      let changed = 0;
      for (const e of list.issuers) {
        listed.add(e.id);
        if (e.id === own.id) continue;
        const old = existing.get(e.id);
        if (!old) inserts.push(e);
        // Registered otherwise (by hand, by the national list, or under another country): left as it is.
        else if (old.source !== DIRECTORY_SOURCE || old.country !== list.country) continue;
        else if (old.rootFingerprint !== e.rootFingerprint) {
          await partners.update(tx, e.id, { name: e.name, state: 'pending', rootFingerprint: e.rootFingerprint, rootJwk: null, metadataUrl: e.metadataUrl, keys: [], revoked: [], metadataJws: null, metadataIat: null, metadataEtag: null, metadataFetchedAt: null, statusListUrl: null, statusListJwt: null, statusListEtag: null, statusListFetchedAt: null }, now);
          changed++;
        } else if (old.metadataUrl !== e.metadataUrl) {
          await partners.update(tx, e.id, { metadataUrl: e.metadataUrl }, now);
          changed++;
        }
      }
      await partners.insertPending(tx, inserts, DIRECTORY_SOURCE, now);
      const gone = [...existing.values()].filter((p) => p.source === DIRECTORY_SOURCE && p.country === list.country && !listed.has(p.id)).map((p) => p.id);
      await partners.deleteMany(tx, gone);
      changed += inserts.length + gone.length;
      await repo.updateList(tx, row.country, { listIat: list.iat, listEtag: got.etag ?? null, listFetchedAt: now, issuers: list.issuers.length, lastSyncAt: now, lastError: null }, now);
      if (changed > 0) {
        await partners.bumpVersion(tx);
        await deps.audit.record(tx, { actor: { type: 'system' }, action: 'trust_list.import', targetType: 'trust_list', targetId: `${list.country}:${list.iat}` });
      }
      return changed > 0;
    });
  }

  return {
    configured: () => deps.anchor !== undefined && deps.url !== undefined,

    /**
     * One round: the directory, then every national list it names (the last
     * good copies stay when a step fails). Never throws for a remote fault.
     */
    async sync(): Promise<DirectoryView> {
      if (deps.anchor && deps.url) {
        const now = clock();
        let changed = false;
        try {
          changed = await refreshDirectory(now);
          await repo.set(db, { lastSyncAt: now, lastError: null });
        } catch (e) {
          const code = codeOf(e, 'partner-fetch-failed');
          await repo.set(db, { lastSyncAt: now, lastError: code });
          deps.log?.warn({ code }, 'directory sync failed; keeping the last good copy');
        }
        for (const row of await repo.lists(db)) {
          try {
            if (await refreshList(row, now)) changed = true;
          } catch (e) {
            const code = codeOf(e, 'partner-fetch-failed');
            await repo.updateList(db, row.country, { lastSyncAt: now, lastError: code }, now);
            deps.log?.warn({ country: row.country, code }, 'national trust list sync failed; keeping the last good copy');
          }
        }
        if (changed) deps.onChange();
      }
      return this.view();
    },

    async view(): Promise<DirectoryView> {
      const [row, lists] = await Promise.all([repo.get(db), repo.lists(db)]);
      return {
        configured: deps.anchor !== undefined && deps.url !== undefined,
        url: deps.url ?? null,
        iat: row?.iat ?? null,
        fetchedAt: iso(row?.fetchedAt),
        lastSyncAt: iso(row?.lastSyncAt),
        lastError: row?.lastError ?? null,
        countries: lists.map((l) => ({ country: l.country, fingerprint: l.coordinatorFingerprint, trustListUrl: l.trustListUrl, issuers: l.issuers, listIat: l.listIat, listFetchedAt: iso(l.listFetchedAt), lastError: l.lastError })),
      };
    },
  };
}

export type DirectorySync = ReturnType<typeof createDirectorySync>;
