/**
 * RSVP latency when 200 card holders sign up for one first-come event at
 * the same moment (capacity 150): `npx tsx bench/events-rsvp.ts` with
 * BENCH_DATABASE_URL or TEST_DATABASE_URL pointing at PostgreSQL. Each RSVP
 * is a real HTTP request; every RSVP to the event waits for the event's row
 * lock, so this measures the line, not one request. Prints p50/p99/max and
 * checks that exactly 150 got a place.
 */
import { cardPhoto } from '../test/helpers/photo.js';
import { createBenchApp, fmt, table } from './lib/bench-app.js';

const HOLDERS = Number(process.argv[2] ?? 200);
const CAPACITY = Math.round(HOLDERS * 0.75);
const bench = await createBenchApp({ postgres: true, poolSize: 20 });
try {
  const clerk = { authorization: `Bearer ${await bench.token('clerk')}` };
  const admin = { authorization: `Bearer ${await bench.token('admin')}` };
  const tokens: string[] = [];
  for (let i = 0; i < HOLDERS; i++) {
    const r = await bench.app.inject({ method: 'POST', url: '/v1/residents', headers: clerk, payload: { names: { printed: `Bench Holder ${i}` }, preferredLanguage: 'fr', evidence: [{ type: 'passport' }, { type: 'utility-bill' }] } });
    const residentId = r.json().resident.id as string;
    // A card needs a photo, as at a real desk (the default card rules).
    await bench.app.inject({ method: 'PUT', url: `/v1/residents/${residentId}/photo`, headers: { ...clerk, 'content-type': 'image/jpeg' }, payload: await cardPhoto() });
    const card = (await bench.app.inject({ method: 'POST', url: `/v1/residents/${residentId}/cards`, headers: clerk })).json();
    const s = await bench.app.inject({ method: 'POST', url: '/v1/self/claim', payload: { number: card.number, claimCode: card.claimCode, pin: '583920' }, remoteAddress: `10.9.${i >> 8}.${i & 255}` });
    tokens.push(s.json().accessToken);
  }
  const ev = await bench.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: admin,
    payload: { title: { en: 'Bench dinner' }, category: 'cooking', startsAt: '2099-09-20T18:00:00+02:00', endsAt: '2099-09-20T21:00:00+02:00', place: { name: 'Hall', address: '1 rue' }, capacity: CAPACITY, access: 'card-holders', rsvp: 'first-come' },
  });
  const id = ev.json().id;
  const times: number[] = [];
  const errors = new Map<string, number>();
  const started = performance.now();
  const answers = await Promise.all(
    tokens.map(async (token) => {
      const t = performance.now();
      const res = await fetch(`${bench.url}/v1/self/events/${id}/rsvp`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { status: string; code?: string };
      if (!body.status) errors.set(String(body.code), (errors.get(String(body.code)) ?? 0) + 1);
      times.push(performance.now() - t);
      return body.status ?? body.code;
    }),
  );
  const wall = performance.now() - started;
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
  if (process.env.BENCH_DEBUG) console.log(answers.slice(0, 3), ev.statusCode, ev.body.slice(0, 200));
  const confirmed = answers.filter((s) => s === 'confirmed').length;
  const waitlisted = answers.filter((s) => s === 'waitlisted').length;
  table(`Events: ${HOLDERS} simultaneous RSVPs, capacity ${CAPACITY} (${bench.kind}, pool 20, Node ${process.version})`, [
    ['confirmed / waitlisted', `${confirmed} / ${waitlisted}${confirmed === CAPACITY && waitlisted === HOLDERS - CAPACITY ? ' (exact)' : ' — WRONG'}`],
    ['latency p50 / p99 / max', `${fmt(q(0.5))} / ${fmt(q(0.99))} / ${fmt(q(1))} ms`],
    ['errors', errors.size ? JSON.stringify(Object.fromEntries(errors)) : 'none'],
    ['all answered in', `${fmt(wall)} ms (${fmt((HOLDERS * 1000) / wall)} RSVPs/s)`],
  ]);
  if (confirmed !== CAPACITY) process.exitCode = 1;
} finally {
  await bench.close();
}
