/**
 * Local time in the city's zone through Intl (src/modules/appointments/zoned-time.ts)
 * and TIME_ZONE in the config: offsets on both sides of each change, the
 * skipped hour (no instant), the repeated hour (the earlier one), a zone
 * south of the equator and one without changes.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isoInZone, offsetMinutes, wallTime, zonedInstant } from '../../src/modules/appointments/zoned-time.js';
import { placesPerSlot, releaseOf, slotsOn } from '../../src/modules/appointments/site-calendar.js';

describe('zoned time', () => {
  it.each([
    ['Europe/Paris', '2027-03-27', 9 * 60, '2027-03-27T08:00:00.000Z'],
    ['Europe/Paris', '2027-03-28', 9 * 60, '2027-03-28T07:00:00.000Z'],
    ['Europe/Paris', '2027-10-31', 9 * 60, '2027-10-31T08:00:00.000Z'],
    ['America/New_York', '2027-03-14', 9 * 60, '2027-03-14T13:00:00.000Z'],
    ['America/Sao_Paulo', '2027-01-10', 9 * 60, '2027-01-10T12:00:00.000Z'],
    ['Africa/Dakar', '2027-06-01', 23 * 60 + 30, '2027-06-01T23:30:00.000Z'],
  ])('%s %s at minute %i is %s', (zone, date, minutes, iso) => {
    expect(zonedInstant(date, minutes, zone)?.toISOString()).toBe(iso);
    expect(wallTime(new Date(iso), zone)).toEqual({ date, minutes });
  });

  it('a time skipped by the spring change names no instant; the repeated autumn hour is the earlier', () => {
    expect(zonedInstant('2027-03-28', 2 * 60 + 30, 'Europe/Paris')).toBeUndefined();
    expect(zonedInstant('2027-10-31', 2 * 60 + 30, 'Europe/Paris')?.toISOString()).toBe('2027-10-31T00:30:00.000Z');
  });

  it('writes ISO 8601 with the offset of that instant', () => {
    expect(isoInZone(new Date('2027-03-28T07:00:00Z'), 'Europe/Paris')).toBe('2027-03-28T09:00:00+02:00');
    expect(isoInZone(new Date('2027-03-14T13:00:00Z'), 'America/New_York')).toBe('2027-03-14T09:00:00-04:00');
    expect(offsetMinutes(new Date('2027-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });
});

describe('site calendar', () => {
  const site = { kind: 'permanent' as const, from: null, until: null, hours: [{ weekday: 7, open: '01:00', close: '04:00' }], desks: 3, slotMinutes: 60, walkInShare: 0.5, bookingWindowDays: 1, releaseTime: '02:30' };
  it('drops a slot whose local time does not exist and rounds places in favour of walk-ins', () => {
    expect(placesPerSlot(site)).toBe(1);
    expect(slotsOn(site, '2027-03-28', 'Europe/Paris').map((s) => isoInZone(s.start, 'Europe/Paris'))).toEqual(['2027-03-28T01:00:00+01:00', '2027-03-28T03:00:00+02:00']);
  });
  it('a release time skipped by the change happens an hour later', () => {
    expect(isoInZone(releaseOf(site, '2027-03-29', 'Europe/Paris'), 'Europe/Paris')).toBe('2027-03-28T03:30:00+02:00');
  });
});

describe('TIME_ZONE', () => {
  it('defaults to Europe/Paris, takes an IANA name, refuses anything else', () => {
    expect(loadConfig({}).timeZone).toBe('Europe/Paris');
    expect(loadConfig({ TIME_ZONE: 'America/Sao_Paulo' }).timeZone).toBe('America/Sao_Paulo');
    expect(() => loadConfig({ TIME_ZONE: 'Mars/Olympus_Mons' })).toThrow(/TIME_ZONE/);
    expect(() => loadConfig({ APPOINTMENT_RETENTION_DAYS: '-1' })).toThrow(/APPOINTMENT_RETENTION_DAYS/);
    expect(() => loadConfig({ SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
  });
});
