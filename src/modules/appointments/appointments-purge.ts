/**
 * Appointments are deleted APPOINTMENT_RETENTION_DAYS after their start
 * (with their contact, which lives in the row), walk-in counters with them.
 * Called by the timer in appointments-service and by `npm run cli -- appointments:purge`.
 */
import type { Db } from '../../db/client.js';
import type { AppointmentsRepository } from './appointments-repository.js';
import { addDays, wallTime } from './zoned-time.js';

export function createAppointmentsPurge({ db, repo, clock, zone, retentionDays }: { db: Db; repo: AppointmentsRepository; clock: () => Date; zone: string; retentionDays: number }) {
  return async function purge(): Promise<{ deleted: number }> {
    const now = clock();
    const before = new Date(now.getTime() - retentionDays * 86_400_000);
    const deleted = await db.transaction(async (tx) => {
      const n = await repo.purgeBefore(tx, before);
      await repo.purgeWalkInsBefore(tx, addDays(wallTime(before, zone).date, 0));
      return n;
    });
    return { deleted };
  };
}
