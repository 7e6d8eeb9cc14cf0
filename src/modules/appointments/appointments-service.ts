/**
 * The appointments domain, wired: sites and capacity, bookings, the desk,
 * the purge and reminders. One factory so services.ts adds one line.
 */
import type { Db } from '../../db/client.js';
import type { AuditService } from '../audit/audit-service.js';
import type { FieldCipher } from '../../security/field-cipher.js';
import type { EvidenceRules } from '../residents/city-rules.js';
import { createAppointmentsRepository } from './appointments-repository.js';
import { createAppointmentsPurge } from './appointments-purge.js';
import { createBookingService } from './booking-service.js';
import { createDeskService } from './desk-service.js';
import { createSitesService } from './sites-service.js';
import { createReminders } from './reminders.js';
import type { ReminderSender } from './reminder-sender.js';

export interface AppointmentsDeps {
  db: Db;
  audit: Pick<AuditService, 'record'>;
  cipher: FieldCipher;
  pinPepper: Buffer;
  evidence: EvidenceRules;
  clock: () => Date;
  zone: string;
  retentionDays: number;
  /** Unset: no reminders, and no contact is taken. */
  sender?: ReminderSender;
  publicUrl: string;
}

export function createAppointmentsService(d: AppointmentsDeps) {
  const repo = createAppointmentsRepository();
  const sites = createSitesService({ db: d.db, repo, audit: d.audit, clock: d.clock, zone: d.zone });
  const booking = createBookingService({
    db: d.db,
    repo,
    sites,
    cipher: d.cipher,
    pinPepper: d.pinPepper,
    evidence: d.evidence,
    clock: d.clock,
    zone: d.zone,
    remindersEnabled: d.sender !== undefined,
    host: new URL(d.publicUrl).host,
  });
  const desk = createDeskService({ db: d.db, repo, sites, clock: d.clock, zone: d.zone });
  const purge = createAppointmentsPurge({ db: d.db, repo, clock: d.clock, zone: d.zone, retentionDays: d.retentionDays });
  const reminders = createReminders({ db: d.db, repo, cipher: d.cipher, sender: d.sender, clock: d.clock, zone: d.zone });

  /** The minute timer: due draws, reminders, the purge. Each round's failure waits for the next round. */
  function start(seconds: number): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve();
    const tick = () => {
      running = running.then(() => Promise.allSettled([booking.runDueDraws(), reminders.sendDue(), purge()]));
    };
    const timer = setInterval(tick, seconds * 1000);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
      d.sender?.close();
    };
  }
  return { repo, sites, booking, desk, purge, reminders, start };
}

export type AppointmentsService = ReturnType<typeof createAppointmentsService>;
