/**
 * Reminders, the day before: each appointment with a contact, starting in
 * the next 24 hours, gets one message. The contact is then erased from the
 * row at once: it was kept only for this. Rows are claimed with SKIP LOCKED,
 * so two instances never send the same reminder twice.
 */
import type { Db } from '../../db/client.js';
import type { FieldCipher } from '../../security/field-cipher.js';
import type { AppointmentsRepository } from './appointments-repository.js';
import { textsFor } from './appointment-texts.js';
import { contactAad } from './booking-service.js';
import type { ReminderSender } from './reminder-sender.js';
import { isoInZone } from './zoned-time.js';

const AHEAD_MS = 24 * 3_600_000;

export function createReminders(d: { db: Db; repo: AppointmentsRepository; cipher: FieldCipher; sender: ReminderSender | undefined; clock: () => Date; zone: string }) {
  return {
    /** Sends the reminders now due; returns how many left. */
    async sendDue(): Promise<{ sent: number; failed: number }> {
      if (!d.sender) return { sent: 0, failed: 0 };
      const sender = d.sender;
      const now = d.clock();
      let sent = 0;
      let failed = 0;
      await d.db.transaction(async (tx) => {
        for (const row of await d.repo.dueReminders(tx, now, new Date(now.getTime() + AHEAD_MS))) {
          const site = await d.repo.site(tx, row.siteId);
          const t = textsFor(row.language);
          try {
            await sender.send({
              to: d.cipher.decryptText(row.contact!, contactAad(row.id)),
              subject: t.reminder,
              text: `${t.summary}: ${isoInZone(row.start, d.zone).slice(0, 16).replace('T', ' ')} — ${site?.name ?? ''}, ${site?.address ?? ''}\n${t.reference}: ${row.reference}\n${t.bring}`,
            });
            await d.repo.updateAppointment(tx, row.id, { reminderSentAt: now, contact: null });
            sent++;
          } catch {
            // The next round tries again; nothing about the person is logged.
            failed++;
          }
        }
      });
      return { sent, failed };
    },
  };
}
