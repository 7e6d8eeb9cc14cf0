/**
 * Erasure made final on disk. Deleting a row leaves its bytes in the table
 * file: as a dead row until VACUUM, and even after a plain VACUUM in the
 * page's free space (PostgreSQL compacts pages without zeroing them). The
 * residents' values are sealed with per-resident keys (resident-keys.ts), so
 * only the key table must really be rewritten: VACUUM FULL writes
 * resident_keys anew and drops the old file, so a destroyed key cannot be
 * read back, and with it every copy of that resident's ciphertexts stays
 * shut. The other touched tables get a plain VACUUM (dead rows go, the
 * space is reused); the emergency purge rewrites them all.
 *
 * VACUUM cannot run inside a transaction: it runs after the erasure's commit.
 * Erasures that arrive while one runs share the next run, so a burst of them
 * costs two rewrites, not one each. VACUUM FULL holds resident_keys
 * exclusively while it copies it (about a second per million residents):
 * reads of records wait that long.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

const TOUCHED = ['residents', 'resident_lookup', 'resident_photos', 'cards', 'resident_accounts'];

export interface Shredder {
  /** After erasures committed: rewrites the key table, vacuums the others. Resolves once a run that started after the call is done. */
  afterErasure(): Promise<void>;
  /** After the emergency purge: rewrites every touched table. */
  emergency(): Promise<void>;
}

export function createShredder(db: Db): Shredder {
  let current: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  const work = async () => {
    await db.execute(sql.raw('vacuum (full) resident_keys'));
    await db.execute(sql.raw(`vacuum ${TOUCHED.join(', ')}`));
  };

  function start(): Promise<void> {
    current = work().finally(() => {
      current = undefined;
    });
    return current;
  }

  return {
    afterErasure() {
      if (!current) return start();
      // A run is going: it may have begun before this erasure committed, so wait for the next one.
      queued ??= current.catch(() => {}).then(() => {
        queued = undefined;
        return start();
      });
      return queued;
    },
    async emergency() {
      await current?.catch(() => {});
      await db.execute(sql.raw(`vacuum (full) resident_keys, ${TOUCHED.join(', ')}`));
    },
  };
}

/** For services built without a database to vacuum (unit wiring). */
export const noShredding: Shredder = { afterErasure: async () => {}, emergency: async () => {} };
