/** One booking as an iCalendar file (RFC 5545), written with ical.js. It names the site, never a person. */
import ICAL from 'ical.js';
import { textsFor } from './appointment-texts.js';

export function appointmentIcs(a: { reference: string; start: Date; minutes: number; language: string; siteName: string; address: string; now: Date; host: string }): string {
  const t = textsFor(a.language);
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.updatePropertyWithValue('prodid', '-//local-citizenship-card//appointments//EN');
  cal.updatePropertyWithValue('version', '2.0');
  const vevent = new ICAL.Component('vevent');
  const event = new ICAL.Event(vevent);
  event.uid = `${a.reference}@${a.host}`;
  event.summary = `${t.summary} — ${a.siteName}`;
  event.location = a.address;
  event.description = `${t.reference}: ${a.reference}. ${t.bring}`;
  event.startDate = ICAL.Time.fromJSDate(a.start, true);
  event.endDate = ICAL.Time.fromJSDate(new Date(a.start.getTime() + a.minutes * 60_000), true);
  vevent.updatePropertyWithValue('dtstamp', ICAL.Time.fromJSDate(a.now, true));
  cal.addSubcomponent(vevent);
  return cal.toString();
}
