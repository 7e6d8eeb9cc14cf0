/**
 * Appends audit entries inside the caller's transaction (so an entry exists
 * exactly when its change does) and verifies the chain.
 */
import type { Db, Executor } from '../../db/client.js';
import { entryHash, GENESIS_HASH } from './audit-chain.js';
import type { AuditRepository, AuditRow } from './audit-repository.js';

export type ActorType = 'admin' | 'clerk' | 'official' | 'partner_service' | 'service_key' | 'resident' | 'system' | 'anonymous';

export interface Actor {
  type: ActorType;
  /** Staff, service-key or resident-account id; absent for system/anonymous. */
  id?: string | null;
}

export interface AuditEvent {
  actor: Actor;
  action: string;
  targetType?: string;
  /** An opaque id, never a name or other personal data. */
  targetId?: string;
  outcome?: 'success' | 'failure' | 'denied';
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  lastSeq: number;
  firstBroken?: { seq: number; reason: 'hash_mismatch' | 'broken_link' | 'gap' | 'head_mismatch' };
}

export interface AuditService {
  record(tx: Executor, event: AuditEvent): Promise<void>;
  /** Many entries in one go (bulk work), chained in the order given. */
  recordMany(tx: Executor, events: AuditEvent[]): Promise<void>;
  list: AuditRepository['list'];
  verifyChain(): Promise<ChainReport>;
}

export function createAuditService(deps: { db: Db; repo: AuditRepository; clock: () => Date }): AuditService {
  const { db, repo, clock } = deps;
  const service: AuditService = {
    record: (tx, event) => service.recordMany(tx, [event]),

    async recordMany(tx, events) {
      if (events.length === 0) return;
      const { first, prevHash } = await repo.reserveMany(tx, events.length);
      const at = clock();
      let prev = prevHash;
      const rows: AuditRow[] = events.map((event, i) => {
        const base = {
          seq: first + i,
          at,
          actorId: event.actor.id ?? null,
          actorType: event.actor.type,
          action: event.action,
          targetType: event.targetType ?? null,
          targetId: event.targetId ?? null,
          outcome: event.outcome ?? 'success',
          prevHash: prev,
        };
        prev = entryHash(base);
        return { ...base, hash: prev };
      });
      await repo.appendMany(tx, rows);
    },

    list: (d, filter) => repo.list(d, filter),

    async verifyChain() {
      let prevHash = GENESIS_HASH;
      let expectedSeq = 1;
      let checked = 0;
      for (;;) {
        const batch = await repo.batchAfter(db, expectedSeq - 1, 2000);
        if (batch.length === 0) break;
        for (const row of batch) {
          if (row.seq !== expectedSeq) return { ok: false, checked, lastSeq: expectedSeq - 1, firstBroken: { seq: expectedSeq, reason: 'gap' } };
          if (row.prevHash !== prevHash) return { ok: false, checked, lastSeq: row.seq - 1, firstBroken: { seq: row.seq, reason: 'broken_link' } };
          if (entryHash(row) !== row.hash) return { ok: false, checked, lastSeq: row.seq - 1, firstBroken: { seq: row.seq, reason: 'hash_mismatch' } };
          prevHash = row.hash;
          expectedSeq++;
          checked++;
        }
      }
      const head = await repo.head(db);
      const lastSeq = expectedSeq - 1;
      if (head && (head.lastSeq !== lastSeq || head.lastHash !== prevHash)) {
        // Entries at the end were removed (or the head was tampered with).
        return { ok: false, checked, lastSeq, firstBroken: { seq: lastSeq + 1, reason: 'head_mismatch' } };
      }
      return { ok: true, checked, lastSeq };
    },
  };
  return service;
}
