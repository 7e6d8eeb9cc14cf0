/**
 * Bulk issuance (`npm run cli -- cards:issue-missing`): a card for every
 * resident without a live one — a city's first issuance, or re-issuing
 * everyone after a key compromise.
 */
import { randomBytes, sign as nodeSign } from 'node:crypto';
import { CredentialError, generateCardNumber } from '../../credential/index.js';
import type { Db } from '../../db/client.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import type { CardSubjectSource } from './card-subject.js';
import type { CardRules } from './card-rules.js';
import { bufferedRandom, type CardSealer, type IssuerContext } from './card-sealing.js';
import type { CardsRepository } from './cards-repository.js';

/** A resident bulk issuance skipped: its id (opaque) and why, with no personal data. */
export interface IssueFailure {
  residentId: string;
  reason: string;
}

/**
 * Why a card could not be sealed, fit for an operator's screen: a
 * credential error's code and message name the claim ("claims: name"),
 * never its value; anything else only by its class.
 */
function failureReason(e: unknown): string {
  if (e instanceof CredentialError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.name : 'unknown error';
}

export function createBulkIssuance(deps: {
  db: Db;
  repo: CardsRepository;
  residents: CardSubjectSource;
  audit: Pick<AuditService, 'recordMany'>;
  clock: () => Date;
  rules: CardRules;
  sealer: CardSealer;
  issuerContext: () => Promise<IssuerContext>;
  random?: (n: number) => Uint8Array;
}) {
  const { db, repo, residents, audit, clock, rules, issuerContext } = deps;
  const { numberIndex, sealCard } = deps.sealer;

  /**
   * Issues a card to every resident who has no live card, in batches (a
   * city's first issuance, or re-issuing everyone after a key compromise).
   * Each batch is one transaction: cards, residents' expiry and chained
   * audit entries together; a crash loses at most the batch in flight, and
   * running again continues where it stopped. The signing and sealing of
   * the next batch (Node's CPU) overlaps the writing of the current one
   * (the database's): the two halves take about as long as each other.
   */
  async function issueMissing(actor: Actor, opts: { batchSize?: number; onProgress?: (issued: number, scanned: number) => void } = {}): Promise<{ issued: number; failed: IssueFailure[] }> {
    const batchSize = opts.batchSize ?? 1000;
    const ctx = await issuerContext();
    const signer = {
      kid: ctx.signer.kid,
      privateKey: ctx.signer.privateKey,
      alg: 'EdDSA' as const,
      // node:crypto signs ~5× faster than jose's WebCrypto path; the bytes are identical (Ed25519 is deterministic).
      signBytes: (data: Uint8Array) => nodeSign(null, data, ctx.signer.privateKey),
    };
    const used = new Set<number>(await repo.allStatusIndexes(db));
    // Random bytes drawn 64 KiB at a time: a million tiny draws cost more than the signatures.
    const random = bufferedRandom(deps.random ?? ((n: number) => new Uint8Array(randomBytes(n))));
    let size = (await repo.statusListState(db))?.size ?? rules.statusListMinSlots;

    const failed: IssueFailure[] = [];
    type Prepared = { rows: Parameters<typeof repo.insertMany>[1]; events: Parameters<typeof audit.recordMany>[1]; expiries: Array<{ id: string; expiresAt: Date }>; size: number; scanned: number };

    /** Signs and seals one batch, outside any transaction. */
    async function prepare(ids: string[]): Promise<Prepared> {
      const now = clock();
      const live = await repo.residentsWithLiveCard(db, ids);
      const subjects = await residents.cardSubjectsMany(db, ids.filter((id) => !live.has(id)));
      const holders = await residents.holders(db, [...subjects.keys()]);
      while (used.size + subjects.size > size / 2) size *= 2;
      const numbers = new Map<string, string>();
      while (numbers.size < subjects.size) {
        const n = generateCardNumber(random);
        numbers.set(numberIndex(n), n);
      }
      for (const t of await repo.numberIndexesTaken(db, [...numbers.keys()])) numbers.delete(t);
      const freeNumbers = [...numbers.values()];
      while (freeNumbers.length < subjects.size) {
        const n = generateCardNumber(random);
        if (!(await repo.numberIndexTaken(db, numberIndex(n)))) freeNumbers.push(n);
      }
      const out: Prepared = { rows: [], events: [], expiries: [], size, scanned: ids.length };
      let k = 0;
      for (const [residentId, subject] of subjects) {
        let slot: number;
        do {
          const b = random(4);
          slot = new DataView(b.buffer, b.byteOffset, 4).getUint32(0) % size;
        } while (used.has(slot));
        let card: Awaited<ReturnType<typeof sealCard>>;
        try {
          card = await sealCard({ ctx, signer, residentId, holder: holders.get(residentId)!, subject, number: freeNumbers[k++]!, slot, now, draw: random });
        } catch (e) {
          // One record the credential refuses (say, a name over its byte
          // limit that predates enrolment's check) must not cost the batch:
          // skip it, free its slot, and tell the operator which one.
          failed.push({ residentId, reason: failureReason(e) });
          continue;
        }
        used.add(slot);
        out.rows.push(card.row);
        out.events.push({ actor, action: 'card.issue', targetType: 'card', targetId: card.row.id, subject: residentId });
        out.expiries.push({ id: residentId, expiresAt: card.expiresAt });
      }
      return out;
    }

    /** Writes one prepared batch in one transaction. */
    async function write(batch: Prepared): Promise<number> {
      if (batch.rows.length === 0) return 0;
      return db.transaction(async (tx) => {
        const state = await repo.lockStatusList(tx, rules.statusListMinSlots, clock());
        await repo.insertMany(tx, batch.rows);
        if (batch.size > state.size) await repo.bumpStatusList(tx, { version: state.version + 1, size: batch.size, changedAt: clock() });
        await residents.setLastCardExpiryMany(tx, batch.expiries);
        await audit.recordMany(tx, batch.events);
        return batch.rows.length;
      });
    }

    let issued = 0;
    let scanned = 0;
    let after: string | undefined;
    let writing: Promise<void> | undefined;
    for (;;) {
      const ids = await residents.residentIdsAfter(db, after, batchSize);
      if (ids.length === 0) break;
      after = ids[ids.length - 1];
      const batch = await prepare(ids);
      await writing;
      writing = write(batch).then((n) => {
        issued += n;
        scanned += batch.scanned;
        opts.onProgress?.(issued, scanned);
      });
    }
    await writing;
    return { issued, failed };
  }

  return { issueMissing };
}
