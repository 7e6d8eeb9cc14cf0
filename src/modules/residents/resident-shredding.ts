/**
 * Erasure made final on disk. Deleting a row leaves its bytes in the table
 * file: as a dead row until VACUUM, and even after a plain VACUUM in the
 * page's free space (PostgreSQL compacts pages without zeroing them); and
 * VACUUM FULL still copies a deleted row that some open snapshot (an
 * auto-analyze, a report) could see. The residents' values are sealed with
 * per-resident keys (resident-keys.ts), so only the key table must really be
 * rewritten, and it is rewritten from what a fresh snapshot sees: under an
 * exclusive lock, the live rows are copied aside, the table is TRUNCATEd (a
 * new, empty file; the old one is cut to nothing at commit) and the rows put
 * back. A destroyed key is then in no page, whatever other sessions hold,
 * and with it every copy of that resident's ciphertexts stays shut. (A
 * reader whose statement began before the rewrite may see no key: it makes
 * one, finds the kept row instead, and reads again — resident-keys.ts.)
 * The other touched tables get a plain VACUUM (dead rows go, the space is
 * reused); after the emergency purge a VACUUM FULL rewrites them all.
 *
 * Runs after the erasure's commit (VACUUM cannot run inside a transaction,
 * and the lock must not be taken while the erasure holds the audit head).
 * Erasures that arrive while one runs share the next run, so a burst of
 * them costs two rewrites, not one each. The rewrite holds resident_keys
 * exclusively for about a second per million residents: reads of records
 * wait that long.
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

  const rewriteKeys = () =>
    db.transaction(async (tx) => {
      await tx.execute(sql.raw('lock table resident_keys in access exclusive mode'));
      await tx.execute(sql.raw('create temporary table resident_keys_kept on commit drop as select * from resident_keys'));
      await tx.execute(sql.raw('truncate resident_keys'));
      await tx.execute(sql.raw('insert into resident_keys select * from resident_keys_kept'));
    });

  const work = async () => {
    await rewriteKeys();
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
      await rewriteKeys();
      await db.execute(sql.raw(`vacuum (full) ${TOUCHED.join(', ')}`));
    },
  };
}

/** For services built without a database to vacuum (unit wiring). */
export const noShredding: Shredder = { afterErasure: async () => {}, emergency: async () => {} };
