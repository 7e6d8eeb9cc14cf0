/**
 * RFC 5545 calendars of published events, made with ical.js. Each event is
 * written in its own local time (DTSTART;TZID=Europe/Paris:…) with a
 * VTIMEZONE built from the runtime's IANA data (Intl): one observance per
 * offset change in the years the events span, so a calendar keeps 10:00 at
 * 10:00 on both sides of a daylight-saving change, even in a client with no
 * time-zone database of its own.
 */
import ICAL from 'ical.js';
import type { EventView } from './events-views.js';

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(instant: number, timeZone: string): Wall {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour!, minute: +p.minute!, second: +p.second! };
}

/** UTC offset of a zone at an instant, in seconds (east positive). */
export function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 1000);
}

/** Instants where the zone's offset changes in [from, to), to the second. */
export function transitions(timeZone: string, from: number, to: number): Array<{ at: number; before: number; after: number }> {
  const out: Array<{ at: number; before: number; after: number }> = [];
  const step = 86_400_000;
  let t = from;
  let prev = offsetAt(t, timeZone);
  while (t < to) {
    const next = Math.min(t + step, to);
    const off = offsetAt(next, timeZone);
    if (off !== prev) {
      let lo = t;
      let hi = next; // offset(lo) = prev, offset(hi) = off
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetAt(mid, timeZone) === prev) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, before: prev, after: off });
      prev = off;
    }
    t = next;
  }
  return out;
}

const icalTime = (w: Wall) => ICAL.Time.fromData({ ...w, isDate: false });

/** A VTIMEZONE covering whole calendar years [fromYear, toYear]. */
export function vtimezone(timeZone: string, fromYear: number, toYear: number): ICAL.Component {
  const tz = new ICAL.Component('vtimezone');
  tz.addPropertyWithValue('tzid', timeZone);
  const from = Date.UTC(fromYear, 0, 1);
  const first = offsetAt(from, timeZone);
  const observance = (kind: 'standard' | 'daylight', at: number, before: number, after: number) => {
    const c = new ICAL.Component(kind);
    // RFC 5545 3.6.5: DTSTART of an observance is local time in the offset in force before it.
    c.addPropertyWithValue('dtstart', icalTime(wallClock(at + (before - after) * 1000, timeZone)));
    c.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(before));
    c.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(after));
    tz.addSubcomponent(c);
  };
  const changes = transitions(timeZone, from, Date.UTC(toYear + 1, 0, 1));
  // The offset in force when the range opens; a change to a larger offset is daylight time.
  observance(changes[0] && changes[0].after < changes[0].before ? 'daylight' : 'standard', from, first, first);
  for (const c of changes) observance(c.after > c.before ? 'daylight' : 'standard', c.at, c.before, c.after);
  return tz;
}

const pick = (text: Record<string, string>, lang: string) => text[lang] ?? text.en ?? Object.values(text)[0] ?? '';

/** One VCALENDAR holding the events (titles in `lang`, falling back to English). */
export function calendar(events: readonly EventView[], opts: { lang: string; publicUrl: string; cityName: string; now: Date }): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.updatePropertyWithValue('prodid', '-//local-citizenship-card//Welcoming Week//EN');
  cal.updatePropertyWithValue('version', '2.0');
  cal.updatePropertyWithValue('calscale', 'GREGORIAN');
  cal.updatePropertyWithValue('x-wr-calname', `${opts.cityName} — Welcoming Week`);
  const years = new Map<string, { from: number; to: number }>();
  for (const e of events) {
    const s = new Date(e.startsAt).getUTCFullYear() - 1;
    const t = new Date(e.endsAt).getUTCFullYear() + 1;
    const y = years.get(e.timeZone);
    years.set(e.timeZone, { from: Math.min(y?.from ?? s, s), to: Math.max(y?.to ?? t, t) });
  }
  for (const [zone, y] of years) cal.addSubcomponent(vtimezone(zone, y.from, y.to));
  const host = new URL(opts.publicUrl).host;
  for (const e of events) {
    const v = new ICAL.Component('vevent');
    v.addPropertyWithValue('uid', `${e.id}@${host}`);
    v.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(opts.now, true));
    for (const [name, at] of [['dtstart', e.startsAt], ['dtend', e.endsAt]] as const) {
      v.addPropertyWithValue(name, icalTime(wallClock(Date.parse(at), e.timeZone))).setParameter('tzid', e.timeZone);
    }
    v.addPropertyWithValue('summary', pick(e.title, opts.lang));
    if (e.description) v.addPropertyWithValue('description', pick(e.description, opts.lang));
    const where = e.place ? `${e.place.name}, ${e.place.address}` : undefined;
    if (where) v.addPropertyWithValue('location', where);
    v.addPropertyWithValue('categories', e.category);
    v.addPropertyWithValue('url', `${opts.publicUrl}/events#${e.id}`);
    cal.addSubcomponent(v);
  }
  return cal.toString() + '\r\n';
}
