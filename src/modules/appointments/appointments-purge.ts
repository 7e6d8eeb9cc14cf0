/**
 * Appointments are deleted APPOINTMENT_RETENTION_DAYS after their date
 * (with their contact, which lives in the row), walk-in counters with them.
 * Called by the timer in appointments-service and by `npm run cli -- appointments:purge`.
 */
import type { Db } from '../../db/client.js';
import type { AppointmentsRepository } from './appointments-repository.js';
import { addDays, wallTime, zonedInstant } from './zoned-time.js';

export function createAppointmentsPurge({ db, repo, clock, zone, retentionDays }: { db: Db; repo: AppointmentsRepository; clock: () => Date; zone: string; retentionDays: number }) {
  return async function purge(): Promise<{ deleted: number }> {
    const now = clock();
    // By local date: the bookings of day D go once day D + retentionDays is over (a DST change moves nothing).
    const day = addDays(wallTime(now, zone).date, -retentionDays);
    const before = zonedInstant(day, 0, zone) ?? zonedInstant(day, 60, zone)!;
    const deleted = await db.transaction(async (tx) => {
      const n = await repo.purgeBefore(tx, before);
      // Requests of the draw (pending or unplaced) and walk-in counters go by local date.
      const r = await repo.purgeRequestsBefore(tx, day);
      await repo.purgeWalkInsBefore(tx, day);
      return n + r;
    });
    return { deleted };
  };
}
