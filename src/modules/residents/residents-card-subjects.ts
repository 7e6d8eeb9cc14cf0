/**
 * The residents module's side of CardSubjectSource (src/modules/cards/card-subject.ts):
 * what cards need from a record, the holder's cipher their credentials are
 * sealed with, and the card expiry they report back.
 */
import type { Executor } from '../../db/client.js';
import type { CardSubject, CardSubjectSource } from '../cards/card-subject.js';
import type { ResidentKeys } from './resident-keys.js';
import type { ResidentSealer } from './resident-sealing.js';
import type { ResidentsRepository } from './residents-repository.js';

export function createCardSubjects(repo: ResidentsRepository, sealer: ResidentSealer, keys: ResidentKeys): CardSubjectSource {
  return {
    /** Read with the record locked for the caller's transaction. */
    async cardSubject(tx, id, opts = {}) {
      const row = await repo.byId(tx, id, { forUpdate: true });
      if (!row) return undefined;
      const c = (await keys.forResident(tx, id))!;
      const photo = opts.photo ? await repo.photo(tx, id) : undefined;
      return { ...sealer.cardSubject(row, c), ...(photo ? { photoJpeg: sealer.openPhoto(c, photo.photo) } : {}) };
    },
    async photo(tx: Executor, id: string) {
      const p = await repo.photo(tx, id);
      if (!p) return undefined;
      const c = await keys.forResident(tx, id);
      return c ? sealer.openPhoto(c, p.photo) : undefined;
    },
    photoOfHolder(db, holder) {
      const read = repo.photoWithKeyOf(db, holder, 'card_holder_photo');
      return async (params) => {
        const p = await read(params);
        return p ? sealer.openPhoto(keys.open(p.residentId, p.key), p.photo) : undefined;
      };
    },
    hasPhoto: async (tx, id) => (await repo.photo(tx, id)) !== undefined,
    async setLastCardExpiry(tx, id, expiresAt) {
      await repo.update(tx, id, { lastCardExpiresAt: expiresAt });
    },
    residentIdsAfter: (tx, after, limit) => repo.idsAfter(tx, after, limit),
    async cardSubjectsMany(tx, ids) {
      const out = new Map<string, CardSubject>();
      const rows = await repo.byIds(tx, ids);
      const ciphers = await keys.forMany(tx, rows.map((r) => r.id));
      for (const row of rows) {
        const c = ciphers.get(row.id);
        if (c) out.set(row.id, sealer.cardSubject(row, c));
      }
      return out;
    },
    setLastCardExpiryMany: (tx, updates) => repo.setLastCardExpiryMany(tx, updates),
    holders: (tx, ids) => keys.forMany(tx, ids),
  };
}
