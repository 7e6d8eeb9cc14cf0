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

export interface AppointmentsDeps {
  db: Db;
  audit: Pick<AuditService, 'record'>;
  cipher: FieldCipher;
  pinPepper: Buffer;
  evidence: EvidenceRules;
  clock: () => Date;
  zone: string;
  retentionDays: number;
  remindersEnabled: boolean;
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
    remindersEnabled: d.remindersEnabled,
    host: new URL(d.publicUrl).host,
  });
  const desk = createDeskService({ db: d.db, repo, sites, clock: d.clock, zone: d.zone });
  const purge = createAppointmentsPurge({ db: d.db, repo, clock: d.clock, zone: d.zone, retentionDays: d.retentionDays });
  return { repo, sites, booking, desk, purge };
}

export type AppointmentsService = ReturnType<typeof createAppointmentsService>;
