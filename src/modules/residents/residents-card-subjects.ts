/**
 * The residents module's side of CardSubjectSource (src/modules/cards/card-subject.ts):
 * what cards need from a record, and the card expiry they report back.
 */
import type { Executor } from '../../db/client.js';
import type { CardSubject, CardSubjectSource } from '../cards/card-subject.js';
import type { ResidentSealer } from './resident-sealing.js';
import type { ResidentsRepository } from './residents-repository.js';

export function createCardSubjects(repo: ResidentsRepository, sealer: ResidentSealer): CardSubjectSource {
  return {
    /** Read with the record locked for the caller's transaction. */
    async cardSubject(tx, id, opts = {}) {
      const row = await repo.byId(tx, id, { forUpdate: true });
      if (!row) return undefined;
      const photo = opts.photo ? await repo.photo(tx, id) : undefined;
      return { ...sealer.cardSubject(row), ...(photo ? { photoJpeg: sealer.openPhoto(id, photo.photo) } : {}) };
    },
    async photo(tx: Executor, id: string) {
      const p = await repo.photo(tx, id);
      return p ? sealer.openPhoto(id, p.photo) : undefined;
    },
    async setLastCardExpiry(tx, id, expiresAt) {
      await repo.update(tx, id, { lastCardExpiresAt: expiresAt });
    },
    residentIdsAfter: (tx, after, limit) => repo.idsAfter(tx, after, limit),
    async cardSubjectsMany(tx, ids) {
      const out = new Map<string, CardSubject>();
      for (const row of await repo.byIds(tx, ids)) out.set(row.id, sealer.cardSubject(row));
      return out;
    },
    setLastCardExpiryMany: (tx, updates) => repo.setLastCardExpiryMany(tx, updates),
  };
}
