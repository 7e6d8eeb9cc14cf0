/** Checks a schema cannot make: time zones and languages against the runtime's IANA and CLDR data, date order. */
import { AppError } from '../../errors/app-error.js';

export function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
/** A BCP 47 primary language subtag that CLDR names (`fr`, `ar`, `wo`, `prs`); `xx` and `zz` are not languages. */
export function knownLanguage(code: string): boolean {
  if (!/^[a-z]{2,3}$/.test(code)) return false;
  try {
    const name = languageNames.of(code);
    return name !== undefined && name !== code;
  } catch {
    return false;
  }
}

export function checkEventInput(input: { startsAt?: string; endsAt?: string; timeZone?: string; languages?: string[]; spaceLanguages?: string[] }, current?: { startsAt: Date; endsAt: Date }) {
  if (input.timeZone !== undefined && !knownTimeZone(input.timeZone)) {
    throw new AppError('time-zone-unknown', { errors: [{ path: '/timeZone', message: `not an IANA time zone: ${input.timeZone}` }] });
  }
  const bad = (input.languages ?? []).map((l, i) => ({ l, i })).filter(({ l }) => !knownLanguage(l));
  if (bad.length > 0) throw new AppError('language-unknown', { errors: bad.map(({ l, i }) => ({ path: `/languages/${i}`, message: `unknown language: ${l}` })) });
  const starts = input.startsAt !== undefined ? new Date(input.startsAt) : current?.startsAt;
  const ends = input.endsAt !== undefined ? new Date(input.endsAt) : current?.endsAt;
  if (starts && ends && !(ends.getTime() > starts.getTime())) {
    throw new AppError('event-dates-invalid', { errors: [{ path: '/endsAt', message: 'must be after startsAt' }] });
  }
}
