/** A site and a movable clock for the appointments suites (times in Europe/Paris). */
import type { TestContext } from '../helpers/app.js';

export const ZONE = 'Europe/Paris';

/** A clock the test moves: `at('2027-03-25T07:30:00+01:00')`. */
export function movableClock(start: string) {
  let now = new Date(start);
  return { clock: () => new Date(now), at: (iso: string) => void (now = new Date(iso)) };
}

export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '09:00', close: '12:00' }));

export const SITE = {
  name: 'Mairie centrale',
  address: '1 place de la Mairie',
  kind: 'permanent',
  languages: ['fr', 'ar', 'es'],
  accessibility: 'Step-free entrance',
  hours: EVERY_DAY,
  desks: 4,
  slotMinutes: 30,
  walkInShare: 0.25,
  bookingWindowDays: 3,
  releaseTime: '08:00',
} as const;

export async function createSite(t: TestContext, patch: Record<string, unknown> = {}): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/enrolment-sites', headers: t.auth('admin'), payload: { ...SITE, ...patch } });
  if (res.statusCode !== 201) throw new Error(`site: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

let n = 0;
/** A different client address per request, so the per-address rate limit does not decide a concurrency test. */
export const nextAddress = () => `10.${(++n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
