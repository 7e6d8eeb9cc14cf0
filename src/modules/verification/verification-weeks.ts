/**
 * ISO 8601 weeks (Monday to Sunday, week 1 holds the year's first
 * Thursday), all in UTC: the only time grain verification counts keep.
 */
const DAY_MS = 86_400_000;

/** The Monday (YYYY-MM-DD, UTC) that starts the ISO week holding `at`. */
export function weekStartOf(at: Date): string {
  const day = Math.floor(at.getTime() / DAY_MS);
  // 1970-01-01 was a Thursday: (day + 3) mod 7 counts from Monday.
  const monday = day - ((((day + 3) % 7) + 7) % 7);
  return new Date(monday * DAY_MS).toISOString().slice(0, 10);
}

/** `2026-W10` for the week starting on Monday `weekStart`. */
export function isoWeekLabel(weekStart: string): string {
  const thursday = new Date(Date.parse(`${weekStart}T00:00:00Z`) + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
