/**
 * Appends audit entries inside the caller's transaction (so an entry exists
 * exactly when its change does) and verifies the chain.
 *
 * An entry about a resident never holds the resident's id: its target (the
 * record, or one of their cards) and, when the resident acts themself, their
 * account id are replaced by pseudonyms keyed by the resident's own data key
 * (src/modules/residents/resident-keys.ts). While the record exists the
 * service can compute them (to find who looked at whom); once it is erased
 * the key is gone, and nothing ties these entries to the person any more.
 * The chain hashes what is stored, so it verifies as before.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/client.js';
import { entryHash, GENESIS_HASH } from './audit-chain.js';
import type { AuditRepository, AuditRow } from './audit-repository.js';

export type ActorType = 'admin' | 'clerk' | 'official' | 'partner_service' | 'organiser' | 'door' | 'service_key' | 'resident' | 'operator' | 'system' | 'anonymous';

export interface Actor {
  type: ActorType;
  /** Staff, service-key or resident-account id; absent for system/anonymous. */
  id?: string | null;
}

export interface AuditEvent {
  actor: Actor;
  action: string;
  targetType?: string;
  /** An opaque id, never a name or other personal data. Of a resident (targetType `resident`): replaced by their pseudonym. */
  targetId?: string;
  /** The resident this entry is about when the target is something of theirs (a card): its id is pseudonymised with their key. */
  subject?: string;
  outcome?: 'success' | 'failure' | 'denied';
  /** How many events of this kind the entry sums up (aggregated refusals); absent for one. */
  count?: number;
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

/** Residents' pseudonym keys, by resident id (none for an id without a record). */
export type PseudonymKeys = (tx: Executor, residentIds: string[]) => Promise<Map<string, { pseudonym(label: string): string }>>;

export function createAuditService(deps: { db: Db; repo: AuditRepository; clock: () => Date; pseudonyms?: PseudonymKeys }): AuditService {
  const { db, repo, clock } = deps;

  /** Entries about residents, with their ids replaced by pseudonyms (a random one when no key exists: it names no one). */
  async function pseudonymised(tx: Executor, events: AuditEvent[]): Promise<AuditEvent[]> {
    const subjectOf = (e: AuditEvent) => e.subject ?? (e.targetType === 'resident' ? e.targetId : undefined);
    const ids = [...new Set(events.map(subjectOf).filter((id): id is string => id !== undefined))];
    if (ids.length === 0) return events;
    const keys = deps.pseudonyms ? await deps.pseudonyms(tx, ids) : new Map();
    return events.map((e) => {
      const subject = subjectOf(e);
      if (subject === undefined) return e;
      const key = keys.get(subject);
      const name = (label: string) => (key ? key.pseudonym(label) : randomUUID());
      const targetId = e.targetType === 'resident' ? name('resident') : e.targetId !== undefined ? name(`${e.targetType}:${e.targetId}`) : undefined;
      const actor = e.actor.type === 'resident' && e.actor.id ? { ...e.actor, id: name(`account:${e.actor.id}`) } : e.actor;
      const { subject: _, ...rest } = e;
      return { ...rest, actor, ...(targetId !== undefined ? { targetId } : {}) };
    });
  }

  const service: AuditService = {
    record: (tx, event) => service.recordMany(tx, [event]),

    async recordMany(tx, given) {
      if (given.length === 0) return;
      // Before taking the chain head: the head is held until commit, keep that short.
      const events = await pseudonymised(tx, given);
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
          count: event.count ?? null,
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
