/**
 * Retention and emergency purges: erasing records whose cards are long
 * expired, and — in an emergency — everything no valid card needs. Each
 * record in its own locked read, in batches, every erasure audited.
 */
import type { Db, Executor } from '../../db/client.js';
import type { Actor, AuditService } from '../audit/audit-service.js';
import type { ResidentRules } from './city-rules.js';
import type { ResidentData } from './resident-record.js';
import type { ResidentSealer } from './resident-sealing.js';
import type { ResidentKeys } from './resident-keys.js';
import type { Shredder } from './resident-shredding.js';
import type { ResidentsRepository } from './residents-repository.js';
import type { ResidentCardsPort } from './residents-service.js';

const DAY = 86_400_000;
const BATCH = 50;

export function createResidentPurges(deps: {
  db: Db;
  repo: ResidentsRepository;
  audit: Pick<AuditService, 'record'>;
  clock: () => Date;
  rules: ResidentRules;
  cards: ResidentCardsPort;
  sealer: ResidentSealer;
  keys: ResidentKeys;
  shredder: Shredder;
  /** The service's erasure (cards revoked, record deleted, audited). */
  erase(tx: Executor, id: string, actor: Actor, reason: 'erasure' | 'retention' | 'emergency'): Promise<void>;
}) {
  const { db, repo, audit, clock, rules, cards, keys, shredder, erase } = deps;
  const { decrypt, sealed } = deps.sealer;
  return {
    /**
     * Retention: erases the residents whose last card expired more than the
     * city's retention period ago — or, with no card ever issued, whose
     * record has not changed for that long.
     */
    async purgeExpired(opts: { onProgress?: (done: number) => void } = {}): Promise<{ erased: number; cutoff: Date }> {
      const now = clock();
      const cutoff = new Date(now.getTime() - rules.city.retentionDaysAfterLastCard * DAY);
      const actor: Actor = { type: 'system' };
      let erased = 0;
      for (;;) {
        const ids = await repo.expiredIds(db, cutoff, BATCH);
        if (ids.length === 0) break;
        const done = await db.transaction(async (tx) => {
          let n = 0;
          for (const id of ids) {
            const row = await repo.byId(tx, id, { forUpdate: true });
            // Re-checked under the lock: a card may have been issued meanwhile.
            if (!row) continue;
            const last = row.lastCardExpiresAt ?? row.updatedAt;
            if (last >= cutoff) continue;
            await erase(tx, id, actor, 'retention');
            n++;
          }
          return n;
        });
        erased += done;
        opts.onProgress?.(erased);
        if (done === 0) break;
      }
      if (erased > 0) await shredder.afterErasure();
      return { erased, cutoff };
    },

    /**
     * Emergency purge (a raid, a subpoena, a change of government): erases
     * every resident without a valid card; of those with one, keeps only
     * what the card shows and needs to be re-issued (printed name, birth
     * date, printed marker, preferred language, photo) and drops the rest —
     * legal, original and transliterated names, address, gender details,
     * languages, evidence and every search index. A kept record gets a new
     * data key (its photo and valid card are sealed again with it; its other
     * cards keep only their slots), so the dropped fields' old ciphertexts no
     * longer open anywhere; at the end every touched table is rewritten.
     */
    async purgeEmergency(opts: { onStart?: (total: number) => void; onProgress?: (done: number) => void } = {}): Promise<{ erased: number; minimised: number }> {
      const now = clock();
      const actor: Actor = { type: 'system' };
      opts.onStart?.(await repo.count(db));
      let erased = 0;
      let minimised = 0;
      let after: string | undefined;
      for (;;) {
        const ids = await repo.idsAfter(db, after, BATCH);
        if (ids.length === 0) break;
        after = ids[ids.length - 1];
        await db.transaction(async (tx) => {
          for (const id of ids) {
            const row = await repo.byId(tx, id, { forUpdate: true });
            if (!row) continue;
            if (!(await cards.hasValidCard(tx, id, now))) {
              await erase(tx, id, actor, 'emergency');
              erased++;
              continue;
            }
            const from = (await keys.forResident(tx, id))!;
            const d = decrypt(row, from);
            const kept: ResidentData = {
              names: { printed: d.names.printed },
              birthDate: d.birthDate,
              gender: d.gender.printMarker && d.gender.marker ? { marker: d.gender.marker, printMarker: true } : { printMarker: false },
              address: null,
              addressConfidential: false,
              preferredLanguage: d.preferredLanguage,
              languages: [],
              guardianPresent: false,
              evidence: [],
            };
            const to = await keys.rotate(tx, id);
            await repo.update(tx, id, { ...sealed(to, kept), version: row.version + 1, updatedAt: now });
            const photo = await repo.photo(tx, id);
            if (photo) await repo.upsertPhoto(tx, { residentId: id, photo: deps.sealer.sealPhoto(to, deps.sealer.openPhoto(from, photo.photo)), width: photo.width, height: photo.height, at: now });
            await cards.minimiseForResident(tx, id, from, to, now);
            await repo.deleteLookups(tx, id);
            await audit.record(tx, { actor, action: 'resident.minimise', targetType: 'resident', targetId: id });
            minimised++;
          }
        });
        opts.onProgress?.(erased + minimised);
      }
      await db.transaction((tx) => audit.record(tx, { actor, action: 'residents.purge_emergency', targetType: 'resident' }));
      await shredder.emergency();
      return { erased, minimised };
    },
  };
}
