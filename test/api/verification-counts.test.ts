/**
 * Verification counts cannot single out a holder (issue 13, finding 6).
 * A stored "day D, suspended, 1" beside the one suspended card named whose
 * card was checked that day. Now only the ISO week, the issuer and valid /
 * not valid are kept, and no figure under 10 is ever served; the week in
 * progress is not served at all.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_SERVED_COUNT } from '../../src/modules/verification/verification-counts.js';
import { isoWeekLabel, weekStartOf } from '../../src/modules/verification/verification-weeks.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, type Issued, REFERENCE_RESIDENT, transition } from '../helpers/cards.js';

const WEEK = 7 * 86_400_000;
// A Wednesday in ISO week 2026-W10 (Monday 2 March).
const START = new Date('2026-03-04T10:00:00Z');
let now = START;
let t: TestContext;
let suspended: Issued;
let valid: Issued;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  valid = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Counted Valid' } }));
  suspended = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Counted Suspended' } }));
  await transition(t, suspended.number, 'suspend');
  await new Promise((r) => setTimeout(r, 2100)); // the trust store refreshes every 2 s
});
afterAll(() => t.close());

async function check(card: Issued, times: number, expected: string) {
  for (let i = 0; i < times; i++) {
    const res = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: t.auth('official'), payload: { qr: card.qr } });
    expect(res.json().result).toBe(expected);
  }
}

async function storedRows() {
  await t.app.services.verificationCounter.flush();
  const res = (await t.app.services.db.execute(sql`select week_start::text as week_start, issuer, outcome, count from verification_weekly_counts order by 1, 2, 3`)) as unknown as { rows: Array<Record<string, unknown>> };
  return res.rows;
}

async function served() {
  const res = await t.app.inject({ url: '/v1/verification-counts?weeks=52', headers: t.auth('admin') });
  expect(res.statusCode).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  return res.json() as { threshold: number; items: Array<{ week: string; weekStart: string; issuer: string; valid: number | null; notValid: number | null }> };
}

describe('ISO weeks', () => {
  it.each([
    ['2026-03-02T00:00:00Z', '2026-03-02', '2026-W10'],
    ['2026-03-08T23:59:59Z', '2026-03-02', '2026-W10'],
    ['2021-01-03T12:00:00Z', '2020-12-28', '2020-W53'],
    ['2024-12-30T08:00:00Z', '2024-12-30', '2025-W01'],
    ['1970-01-01T00:00:00Z', '1969-12-29', '1970-W01'],
  ])('%s is in the week starting %s (%s)', (at, monday, label) => {
    expect(weekStartOf(new Date(at))).toBe(monday);
    expect(isoWeekLabel(monday)).toBe(label);
  });
});

describe('a handful of checks of the one suspended card', () => {
  it('leaves no stored day or result: one weekly not-valid cell, and the per-day table is gone', async () => {
    await check(suspended, 3, 'suspended');
    expect(await storedRows()).toEqual([{ week_start: '2026-03-02', issuer: t.config.cityId, outcome: 'not_valid', count: 3 }]);
    const columns = (await t.app.services.db.execute(sql`select column_name from information_schema.columns where table_name = 'verification_weekly_counts' order by 1`)) as unknown as { rows: Array<{ column_name: string }> };
    expect(columns.rows.map((r) => r.column_name)).toEqual(['count', 'issuer', 'outcome', 'week_start']);
    const old = (await t.app.services.db.execute(sql`select count(*)::int as n from information_schema.tables where table_name = 'verification_counts'`)) as unknown as { rows: Array<{ n: number }> };
    expect(old.rows[0]!.n).toBe(0);
  });

  it('serves nothing for the week in progress, and no small figure once it is over', async () => {
    expect((await served()).items).toEqual([]);
    now = new Date(START.getTime() + WEEK);
    const body = await served();
    expect(body.threshold).toBe(MIN_SERVED_COUNT);
    // 3 not valid and 0 valid are both under the threshold: nothing at all is said of that week.
    expect(body.items).toEqual([]);
  });
});

describe('at or above the threshold the bucket shows', () => {
  it('10 not valid and 12 valid are served; 9 is null, as is 0', async () => {
    // Week 2026-W11: 10 suspended, 12 valid. Week 2026-W12: 9 suspended, 10 valid.
    now = new Date(START.getTime() + WEEK);
    await check(suspended, 10, 'suspended');
    await check(valid, 12, 'valid');
    now = new Date(START.getTime() + 2 * WEEK);
    await check(suspended, 9, 'suspended');
    await check(valid, 10, 'valid');
    now = new Date(START.getTime() + 3 * WEEK);
    await t.app.services.verificationCounter.flush();
    expect((await served()).items).toEqual([
      { week: '2026-W11', weekStart: '2026-03-09', issuer: t.config.cityId, valid: 12, notValid: 10 },
      { week: '2026-W12', weekStart: '2026-03-16', issuer: t.config.cityId, valid: 10, notValid: null },
    ]);
    // Still no day and no result in storage: weeks and valid / not valid only.
    const rows = await storedRows();
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['valid', 'not_valid']));
    expect(rows.every((r) => new Date(`${String(r.week_start)}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
  });

  it('is for administrators only', async () => {
    for (const role of ['clerk', 'official', 'partner_service'] as const) {
      expect((await t.app.inject({ url: '/v1/verification-counts', headers: t.auth(role) })).statusCode).toBe(403);
    }
    expect((await t.app.inject({ url: '/v1/verification-counts' })).statusCode).toBe(401);
  });
});
