/**
 * What a booking keeps and for how long (issue 18): the reminder contact is
 * encrypted, sent to a local SMTP server the test runs, then erased; nothing
 * links a booking to a resident record; the purge deletes bookings
 * APPOINTMENT_RETENTION_DAYS after their date. And the desk: check-in,
 * no-shows that free their desk, walk-in numbers.
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { dumpDatabase, forms } from '../helpers/dump.js';
import { createSite, movableClock, nextAddress, ZONE } from './appointments-fixtures.js';

const CONTACT = 'zephyrine.quartermaine@example.org';
const mail: Array<{ to: string[]; body: string }> = [];
let smtp: SMTPServer;
const time = movableClock('2027-03-25T07:30:00+01:00');
let t: TestContext;
let siteId: string;
let withContact: { reference: string; pin: string };
let without: { reference: string; pin: string };

beforeAll(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mail.push({ to: session.envelope.rcptTo.map((r) => r.address), body: Buffer.concat(chunks).toString('utf8') });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await createTestApp({ clock: time.clock, env: { TIME_ZONE: ZONE, SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'rdv@testville.example', APPOINTMENT_RETENTION_DAYS: '7' } });
  siteId = await createSite(t, { noShowMinutes: 15 });
  const book = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/appointments', payload: { siteId, start: '2027-03-26T09:00:00+01:00', language: 'es', ...payload }, remoteAddress: nextAddress() });
    expect(res.statusCode).toBe(201);
    return res.json();
  };
  withContact = await book({ contact: CONTACT });
  without = await book({});
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const read = (r: { reference: string; pin: string }) => t.app.inject({ method: 'GET', url: `/v1/appointments/${r.reference}`, headers: { 'appointment-pin': r.pin }, remoteAddress: nextAddress() });

describe('the reminder contact', () => {
  it('is asked for only when a sender is configured', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/enrolment-sites' })).json().reminders).toBe(true);
    expect((await read(withContact)).json().reminder).toBe(true);
    const bad = await t.app.inject({ method: 'POST', url: '/v1/appointments', payload: { siteId, start: '2027-03-26T09:30:00+01:00', language: 'es', contact: 'not an address' }, remoteAddress: nextAddress() });
    expect(bad.json().code).toBe('validation-failed');
  });

  it('is not in clear anywhere in the database, nor is the PIN', async () => {
    const dump = await dumpDatabase(t.database);
    for (const f of [...forms(CONTACT), ...forms('zephyrine.quartermaine'), ...forms('quartermaine@example')]) expect(dump).not.toContain(f);
    expect(dump).not.toContain(`\n${withContact.pin}\n`);
  });

  it('a reminder goes to the local SMTP server the day before, only to those who left a contact; then the contact is erased', async () => {
    time.at('2027-03-25T08:59:00+01:00');
    expect(await t.app.services.appointments.reminders.sendDue()).toEqual({ sent: 0, failed: 0 });
    time.at('2027-03-25T09:30:00+01:00');
    expect(await t.app.services.appointments.reminders.sendDue()).toEqual({ sent: 1, failed: 0 });
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to).toEqual([CONTACT]);
    expect(mail[0]!.body).toContain(withContact.reference);
    expect(mail[0]!.body).toContain('Subject: Recordatorio: su cita para la tarjeta');
    expect(mail[0]!.body).toContain('2027-03-26 09:00');
    expect(mail[0]!.body).not.toContain(withContact.pin);
    expect(await t.app.services.appointments.reminders.sendDue()).toEqual({ sent: 0, failed: 0 });
    const rows = (await t.database.db.execute(sql`select count(*)::int as n from appointments where contact is not null`)) as unknown as { rows: Array<{ n: number }> };
    expect(Number(rows.rows[0]!.n)).toBe(0);
  });

  it('nothing links a booking to a resident record', async () => {
    const fks = (await t.database.db.execute(
      sql`select tc.table_name as t, ccu.table_name as r from information_schema.table_constraints tc join information_schema.constraint_column_usage ccu on tc.constraint_name = ccu.constraint_name
          where tc.constraint_type = 'FOREIGN KEY' and tc.table_name in ('appointments', 'appointment_requests', 'appointment_booking_rights', 'appointment_walk_in_counters')`,
    )) as unknown as { rows: Array<{ t: string; r: string }> };
    expect(new Set(fks.rows.map((x) => x.r))).toEqual(new Set(['enrolment_sites']));
    const cols = (await t.database.db.execute(sql`select column_name as c from information_schema.columns where table_name = 'appointments'`)) as unknown as { rows: Array<{ c: string }> };
    expect(cols.rows.map((x) => x.c).filter((c) => /resident|card|name/.test(c))).toEqual([]);
  });
});

describe('the desk', () => {
  it('checks in by reference, once, on the day', async () => {
    const checkIn = (ref: string) => t.app.inject({ method: 'POST', url: `/v1/appointments/${ref}/check-in`, headers: t.auth('clerk') });
    expect((await checkIn(withContact.reference)).json().code).toBe('appointment-not-today');
    time.at('2027-03-26T09:05:00+01:00');
    const res = await checkIn(withContact.reference);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ reference: withContact.reference, start: '2027-03-26T09:00:00+01:00', checkedIn: true });
    expect((await checkIn(withContact.reference)).json().code).toBe('appointment-already-checked-in');
    expect((await checkIn('ZZZZ-ZZZZ')).json().code).toBe('appointment-not-found');
  });

  it('a no-show frees its desk for walk-ins after the delay', async () => {
    const day = async () => (await t.app.inject({ method: 'GET', url: `/v1/enrolment-sites/${siteId}/day?date=2027-03-26`, headers: t.auth('clerk') })).json();
    let d = await day();
    expect(d.items.map((i: { reference: string; checkedIn: boolean; noShow: boolean }) => [i.reference, i.checkedIn, i.noShow]).sort()).toEqual(
      [[withContact.reference, true, false], [without.reference, false, false]].sort(),
    );
    expect(d.slots[0]).toEqual({ start: '2027-03-26T09:00:00+01:00', places: 3, booked: 2, walkInDesks: 1 });
    time.at('2027-03-26T09:16:00+01:00');
    d = await day();
    expect(d.items.find((i: { reference: string }) => i.reference === without.reference).noShow).toBe(true);
    expect(d.slots[0].walkInDesks).toBe(2);
    expect((await t.app.inject({ method: 'GET', url: `/v1/enrolment-sites/${siteId}/day?date=26-03-2027`, headers: t.auth('clerk') })).json().code).toBe('validation-failed');
  });

  it('gives walk-in numbers, each once, under simultaneous requests; a new day starts at 1', async () => {
    const take = () => t.app.inject({ method: 'POST', url: `/v1/enrolment-sites/${siteId}/walk-ins`, headers: t.auth('clerk') });
    const numbers = (await Promise.all(Array.from({ length: 20 }, take))).map((r) => r.json().number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    time.at('2027-03-27T09:00:00+01:00');
    expect((await take()).json()).toEqual({ date: '2027-03-27', number: 1 });
  });
});

describe('the purge', () => {
  it('deletes bookings seven days after their date, not before', async () => {
    const purge = t.app.services.appointments.purge;
    time.at('2027-04-02T23:59:00+02:00');
    expect((await purge()).deleted).toBe(0);
    expect((await read(without)).statusCode).toBe(200);
    time.at('2027-04-03T00:01:00+02:00');
    expect((await purge()).deleted).toBe(2);
    expect((await read(without)).json().code).toBe('appointment-not-found');
    const left = (await t.database.db.execute(sql`select count(*)::int as n from appointments`)) as unknown as { rows: Array<{ n: number }> };
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
