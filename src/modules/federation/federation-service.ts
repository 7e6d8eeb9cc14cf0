/**
 * Registering partner cities (one by one from their signed metadata and a
 * confirmed root fingerprint, or many from the national trust list), listing
 * and removing them. Their refresh is partner-sync.ts.
 */
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors/app-error.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import type { OutboundGuard } from '../../http/outbound-guard.js';
import { fetchDocument, type FetchFn } from './fetch-document.js';
import type { FederationRepository, NewPartnerRow, PartnerRow } from './federation-repository.js';
import { isFetchableUrl, MAX_METADATA_CHARS, mergeKeys, verifyIssuerMetadata } from './metadata-check.js';
import type { PartnerSync } from './partner-sync.js';
import { verifyTrustList, type TrustListEntry } from './trust-list.js';

export interface PartnerView {
  id: string;
  name: string;
  country: string;
  /** False for a partner of another country: stored, its cards read `foreign_issuer`. */
  recognised: boolean;
  source: 'manual' | 'trust_list';
  state: 'pending' | 'active';
  rootFingerprint: string;
  metadataUrl: string | null;
  statusListUrl: string | null;
  keys: Array<{ kid: string; status: string; notBefore: string; notAfter: string }>;
  revoked: string[];
  metadataFetchedAt: string | null;
  statusListFetchedAt: string | null;
  /** Seconds since the status list copy was fetched or confirmed (what verify answers report as statusListAge). */
  statusListAge: number | null;
  metadataAge: number | null;
  lastSyncAt: string | null;
  lastError: string | null;
}

export interface TrustListImport {
  country: string;
  iat: number;
  exp: number;
  issuers: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  /** Listed ids an administrator registered by hand with another root: left as they are. */
  conflicts: string[];
}

export interface FederationServiceDeps {
  db: Db;
  repo: FederationRepository;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  fetch: FetchFn;
  /** Which addresses may be fetched (public only, unless FEDERATION_ALLOW_PRIVATE_NETWORKS). */
  guard: OutboundGuard;
  timeoutMs: number;
  sync: Pick<PartnerSync, 'syncOne'>;
  /** This city: its own metadata is refused as a partner; only its country is recognised. */
  own: { id: string; country: string };
  trustAnchor: Record<string, string> | undefined;
  onChange: () => void;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const age = (d: Date | null, now: Date) => (d ? Math.max(0, Math.floor((now.getTime() - d.getTime()) / 1000)) : null);

export function createFederationService(deps: FederationServiceDeps) {
  const { db, repo, audit, clock, own } = deps;

  function toView(r: PartnerRow): PartnerView {
    const now = clock();
    return {
      id: r.id,
      name: r.name,
      country: r.country,
      recognised: r.country === own.country,
      source: r.source as PartnerView['source'],
      state: r.state as PartnerView['state'],
      rootFingerprint: r.rootFingerprint,
      metadataUrl: r.metadataUrl,
      statusListUrl: r.statusListUrl,
      keys: r.keys.map((k) => ({ kid: k.kid, status: k.status, notBefore: k.notBefore, notAfter: k.notAfter })),
      revoked: r.revoked,
      metadataFetchedAt: iso(r.metadataFetchedAt),
      statusListFetchedAt: iso(r.statusListFetchedAt),
      statusListAge: age(r.statusListFetchedAt, now),
      metadataAge: age(r.metadataFetchedAt, now),
      lastSyncAt: iso(r.lastSyncAt),
      lastError: r.lastError,
    };
  }

  async function view(id: string): Promise<PartnerView> {
    const row = await repo.get(db, id);
    if (!row) throw new AppError('partner-not-found');
    return toView(row);
  }

  return {
    view,

    async list(q: { after?: string; limit: number; country?: string; state?: string }): Promise<{ items: PartnerView[]; next?: string }> {
      const rows = await repo.list(db, { ...q, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      return { items: page.map(toView), ...(rows.length > q.limit ? { next: page[page.length - 1]!.id } : {}) };
    },

    /**
     * Registers (or refreshes) a partner from its signed metadata, pasted or
     * fetched from `url`, pinned by the fingerprint the administrator
     * confirmed with the partner. Returns whether it was new.
     */
    async register(actor: Actor, input: { metadata?: string; url?: string; fingerprint: string }): Promise<{ created: boolean; partner: PartnerView }> {
      if (input.metadata === undefined && input.url === undefined) {
        throw new AppError('validation-failed', { errors: [{ path: '/body', message: 'give the signed metadata, its URL, or both' }] });
      }
      if (input.url !== undefined && !isFetchableUrl(input.url)) throw new AppError('validation-failed', { errors: [{ path: '/body/url', message: 'must be an https URL' }] });
      const now = clock();
      let jws = input.metadata;
      let etag: string | null = null;
      if (jws === undefined) {
        const got = await fetchDocument(deps.fetch, input.url!, { maxBytes: MAX_METADATA_CHARS, timeoutMs: deps.timeoutMs, guard: deps.guard });
        if (got.notModified) throw new AppError('partner-fetch-failed');
        jws = got.body;
        etag = got.etag ?? null;
      }
      const m = await verifyIssuerMetadata(jws, { fingerprint: input.fingerprint, now });
      if (m.iss === own.id) throw new AppError('partner-is-self');
      const created = await db.transaction(async (tx) => {
        const existing = await repo.get(tx, m.iss);
        if (existing && existing.rootFingerprint !== m.rootFingerprint) throw new AppError('partner-root-conflict');
        if (existing?.metadataIat != null && m.iat < existing.metadataIat) throw new AppError('partner-metadata-stale');
        const row = {
          name: m.name,
          country: m.country,
          source: 'manual',
          state: 'active',
          rootFingerprint: m.rootFingerprint,
          rootJwk: m.rootJwk,
          metadataUrl: input.url ?? existing?.metadataUrl ?? null,
          keys: mergeKeys(existing?.keys ?? [], m.keys, m.revoked),
          revoked: m.revoked,
          metadataJws: jws,
          metadataIat: m.iat,
          metadataEtag: etag,
          metadataFetchedAt: now,
          statusListUrl: m.statusListUrl,
          lastError: null,
        } satisfies Omit<NewPartnerRow, 'id'>;
        if (existing) await repo.update(tx, m.iss, row, now);
        else await repo.insert(tx, { id: m.iss, ...row });
        await repo.bumpVersion(tx);
        await audit.record(tx, { actor, action: existing ? 'partner.update' : 'partner.register', targetType: 'partner', targetId: m.iss });
        return !existing;
      });
      deps.onChange();
      // The status list now, so revocation is checked from the first card; a failure is recorded, not fatal.
      await deps.sync.syncOne(m.iss, { metadata: false });
      return { created, partner: await view(m.iss) };
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await repo.delete(tx, id))) throw new AppError('partner-not-found');
        await repo.bumpVersion(tx);
        await audit.record(tx, { actor, action: 'partner.delete', targetType: 'partner', targetId: id });
      });
      deps.onChange();
    },

    async sync(id: string): Promise<PartnerView> {
      await deps.sync.syncOne(id);
      return view(id);
    },

    /**
     * Imports the national trust list: listed issuers become partners pending
     * their metadata (pinned by the listed fingerprint), entries that left
     * the list are removed, partners registered by hand are never overridden.
     * One transaction, batched inserts.
     */
    async importTrustList(actor: Actor, jws: string): Promise<TrustListImport> {
      if (!deps.trustAnchor) throw new AppError('trust-anchor-missing');
      const now = clock();
      const list = await verifyTrustList(jws, deps.trustAnchor, { now });
      if (list.country !== own.country) throw new AppError('trust-list-country-mismatch');
      const result = await db.transaction(async (tx) => {
        const newest = await repo.lockTrustListIat(tx);
        if (newest !== null && list.iat < newest) throw new AppError('trust-list-stale');
        const existing = new Map((await repo.pins(tx)).map((p) => [p.id, p]));
        const out: TrustListImport = { country: list.country, iat: list.iat, exp: list.exp, issuers: list.issuers.length, added: 0, updated: 0, removed: 0, unchanged: 0, conflicts: [] };
        const inserts: TrustListEntry[] = [];
        const listed = new Set<string>();
        for (const e of list.issuers) {
          listed.add(e.id);
          if (e.id === own.id) continue;
          const old = existing.get(e.id);
          if (!old) {
            inserts.push(e);
          } else if (old.rootFingerprint !== e.rootFingerprint) {
            if (old.source === 'manual') {
              out.conflicts.push(e.id);
              continue;
            }
            // The coordinator re-keyed this issuer: nothing signed by the old root is trusted any more.
            await repo.update(tx, e.id, { name: e.name, country: e.country, state: 'pending', rootFingerprint: e.rootFingerprint, rootJwk: null, metadataUrl: e.metadataUrl, keys: [], revoked: [], metadataJws: null, metadataIat: null, metadataEtag: null, metadataFetchedAt: null, statusListUrl: null, statusListJwt: null, statusListEtag: null, statusListFetchedAt: null }, now);
            out.updated++;
          } else if (old.source === 'trust_list' && (old.metadataUrl !== e.metadataUrl || old.country !== e.country)) {
            await repo.update(tx, e.id, { metadataUrl: e.metadataUrl, country: e.country }, now);
            out.updated++;
          } else out.unchanged++;
        }
        await repo.insertPending(tx, inserts, 'trust_list', now);
        out.added = inserts.length;
        const gone = [...existing.values()].filter((p) => p.source === 'trust_list' && !listed.has(p.id)).map((p) => p.id);
        await repo.deleteMany(tx, gone);
        out.removed = gone.length;
        await repo.setTrustList(tx, list.iat, now);
        await repo.bumpVersion(tx);
        await audit.record(tx, { actor, action: 'trust_list.import', targetType: 'trust_list', targetId: `${list.country}:${list.iat}` });
        return out;
      });
      deps.onChange();
      return result;
    },
  };
}

export type FederationService = ReturnType<typeof createFederationService>;
