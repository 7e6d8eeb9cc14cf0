/**
 * The birth dates of the residents who hold a card in force, a batch at a
 * time and nothing else of their records: what "holders by age band"
 * (src/modules/benefits/holder-ages.ts) counts. The dates are opened in
 * memory, counted by the caller and dropped; no list of them is kept.
 */
import { and, asc, gt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { ResidentKeys } from './resident-keys.js';
import type { ResidentSealer } from './resident-sealing.js';
import { residents } from './residents-tables.js';

export type HolderBirthDates = (db: Executor, today: string, batchSize?: number) => AsyncGenerator<Array<string | null>>;

export function createHolderBirthDates(sealer: ResidentSealer, keys: ResidentKeys): HolderBirthDates {
  return async function* birthDatesOfHolders(db, today, batchSize = 500) {
    let after: string | undefined;
    for (;;) {
      const inForce = sql`exists (select 1 from cards c where c.resident_id = ${residents.id} and c.state = 'active' and c.expires_on >= ${today}::date)`;
      const rows = await db
        .select({ id: residents.id, birthDate: residents.birthDate })
        .from(residents)
        .where(after ? and(gt(residents.id, after), inForce) : inForce)
        .orderBy(asc(residents.id))
        .limit(batchSize);
      if (rows.length === 0) return;
      const ciphers = await keys.forMany(db, rows.map((r) => r.id));
      yield rows.flatMap((r) => {
        const c = ciphers.get(r.id);
        return c ? [sealer.birthDateOf(r, c)] : [];
      });
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1]!.id;
    }
  };
}
