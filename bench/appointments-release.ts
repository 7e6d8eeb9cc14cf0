/**
 * A release minute on PostgreSQL (issue 18): `npx tsx bench/appointments-release.ts [attempts] [places] [seconds]`
 * (default 5000 attempts for 500 places within 60 s) with BENCH_DATABASE_URL
 * or TEST_DATABASE_URL. A day of 10 slots × 50 places opens; attempts arrive
 * over the minute, front-loaded (half in the first tenth), each a real HTTP
 * POST /v1/appointments for a random slot, each from its own client address
 * (X-Forwarded-For, TRUST_PROXY=true) as a crowd of phones would. First come
 * (drawMinutes 0): the hardest case for the seat index. Prints bookings made,
 * p50/p99/max latency, and overbookings counted in the database (must be 0).
 */
import { sql } from 'drizzle-orm';
import { createBenchApp, fmt, table } from './lib/bench-app.js';

const ATTEMPTS = Number(process.argv[2] ?? 5000);
const PLACES = Number(process.argv[3] ?? 500);
const SECONDS = Number(process.argv[4] ?? 60);
const SLOTS = 10;
const PER_SLOT = Math.ceil(PLACES / SLOTS);

const bench = await createBenchApp({ postgres: true, poolSize: 20, env: { TRUST_PROXY: 'true', TIME_ZONE: 'Europe/Paris' } });
try {
  const admin = { authorization: `Bearer ${await bench.token('admin')}` };
  const site = await bench.app.inject({
    method: 'POST',
    url: '/v1/enrolment-sites',
    headers: admin,
    payload: {
      name: 'Bench centre', address: '1 rue du Banc', kind: 'permanent',
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '09:00', close: `${String(9 + SLOTS / 2).padStart(2, '0')}:00` })),
      desks: PER_SLOT, slotMinutes: 30, walkInShare: 0, bookingWindowDays: 2, releaseTime: '00:00', drawMinutes: 0,
    },
  });
  const siteId = site.json().id as string;
  // The day after tomorrow is open (window 2 days, released at midnight); its slots are the targets.
  const date = new Date(Date.now() + 2 * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/Paris' });
  const slots = (await bench.app.inject({ method: 'GET', url: `/v1/enrolment-sites/${siteId}/slots?date=${date}` })).json().items as Array<{ start: string }>;
  if (slots.length !== SLOTS) throw new Error(`expected ${SLOTS} slots, got ${slots.length}`);

  const times: number[] = [];
  const counts = new Map<number, number>();
  const started = performance.now();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const attempts = Array.from({ length: ATTEMPTS }, async (_, i) => {
    // Half the crowd in the first tenth of the minute, the rest spread over it.
    const at = i < ATTEMPTS / 2 ? (i / (ATTEMPTS / 2)) * SECONDS * 100 : ((i - ATTEMPTS / 2) / (ATTEMPTS / 2)) * SECONDS * 1000;
    await sleep(at);
    const t0 = performance.now();
    const res = await fetch(`${bench.url}/v1/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
      body: JSON.stringify({ siteId, start: slots[Math.floor(Math.random() * SLOTS)]!.start, language: 'fr' }),
    });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
  });
  await Promise.all(attempts);
  const wall = performance.now() - started;
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
  const rows = (await bench.database.db.execute(sql`select count(*)::int as n, coalesce(sum(greatest(c - ${PER_SLOT}, 0)), 0)::int as over, count(distinct start)::int as slots
    from (select start, count(*)::int as c, count(*) as n from appointments group by start) s`)) as unknown as { rows: Array<{ over: number; slots: number }> };
  const booked = ((await bench.database.db.execute(sql`select count(*)::int as n from appointments`)) as unknown as { rows: Array<{ n: number }> }).rows[0]!.n;
  const over = Number(rows.rows[0]!.over);
  table(`Appointments: a release minute, ${ATTEMPTS} attempts for ${PLACES} places over ${SECONDS} s (${bench.kind}, pool 20, Node ${process.version})`, [
    ['bookings made (201)', `${counts.get(201) ?? 0} (rows: ${booked})`],
    ['refused full (409) / other', `${counts.get(409) ?? 0} / ${ATTEMPTS - (counts.get(201) ?? 0) - (counts.get(409) ?? 0)}`],
    ['overbookings', `${over + Math.max(0, Number(booked) - PLACES)}${over === 0 && Number(booked) <= PLACES ? '' : ' — WRONG'}`],
    ['latency p50 / p99 / max', `${fmt(q(0.5))} / ${fmt(q(0.99))} / ${fmt(q(1))} ms`],
    ['all answered in', `${fmt(wall / 1000, 1)} s`],
  ]);
  if (over !== 0 || Number(booked) > PLACES) process.exitCode = 1;
} finally {
  await bench.close();
}
