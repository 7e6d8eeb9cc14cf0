/**
 * An edition's planning timeline, from six months before the week (the
 * network's action plan: "launch the organisation six months before"), and
 * what is late. Pure: dates are calendar days (YYYY-MM-DD) in the city's zone.
 */

/** Milestone keys in order, with how far before the week's first day (months, or days when negative months make no sense) each is due. */
export const MILESTONES = [
  { key: 'call-for-partners', months: -6 },
  { key: 'spaces-booked', months: -4 },
  { key: 'programme-drafted', months: -3 },
  { key: 'volunteers', months: -2 },
  { key: 'programme-published', days: -42 },
  { key: 'communication', days: -28 },
  { key: 'the-week', days: 0 },
  // The review is due a month after the week's last day.
  { key: 'review', monthsAfterEnd: 1 },
] as const;

export type MilestoneKey = (typeof MILESTONES)[number]['key'];
export const MILESTONE_STATUSES = ['todo', 'in-progress', 'done'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

function parse(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}
const fmt = (d: Date) => d.toISOString().slice(0, 10);

/** Adds calendar months, clamping to the month's last day (31 Aug − 6 months = 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const d = parse(day);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return fmt(new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last))));
}

export function addDays(day: string, days: number): string {
  return fmt(new Date(parse(day).getTime() + days * 86_400_000));
}

/** The milestones' due dates for an edition running from `startsOn` to `endsOn`. */
export function timeline(startsOn: string, endsOn: string): Array<{ key: MilestoneKey; dueOn: string }> {
  return MILESTONES.map((m) => ({
    key: m.key,
    dueOn: 'months' in m ? addMonths(startsOn, m.months) : 'days' in m ? addDays(startsOn, m.days) : addMonths(endsOn, m.monthsAfterEnd),
  }));
}

/** Late: not done and its due day is over (today is the city's calendar day). */
export function isLate(m: { dueOn: string; status: string }, today: string): boolean {
  return m.status !== 'done' && m.dueOn < today;
}

/** Today's calendar day in a time zone. */
export function dayIn(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
