/**
 * Redemption latency at the counter: `npx tsx bench/benefits-redeem.ts
 * [cards] [clients]` with BENCH_DATABASE_URL or TEST_DATABASE_URL pointing
 * at PostgreSQL (a database of its own, created and dropped). Each
 * redemption is a real HTTP request with the partner's service key, for a
 * once-a-year offer: verify the card, derive the pseudonym, insert it.
 * Three rounds: every card once by `clients` concurrent counters (201s),
 * the same cards again (409 offer-already-redeemed, the conflict path), and
 * 20 simultaneous redemptions of one fresh card (exactly one 201).
 */
import { cardPhoto } from '../test/helpers/photo.js';
import { createBenchApp, fmt, table } from './lib/bench-app.js';

const CARDS = Number(process.argv[2] ?? 400);
const CLIENTS = Number(process.argv[3] ?? 16);
const bench = await createBenchApp({ postgres: true, poolSize: 20 });

function quantiles(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  return `${fmt(q(0.5), 1)} / ${fmt(q(0.99), 1)} / ${fmt(q(1), 1)} ms`;
}

try {
  const clerk = { authorization: `Bearer ${await bench.token('clerk')}` };
  const admin = { authorization: `Bearer ${await bench.token('admin')}` };
  const photo = await cardPhoto();
  const qrs: string[] = [];
  for (let i = 0; i <= CARDS; i++) {
    const r = await bench.app.inject({ method: 'POST', url: '/v1/residents', headers: clerk, payload: { names: { printed: `Bench Holder ${i}` }, birthDate: '1990-04-12', preferredLanguage: 'fr', evidence: [{ type: 'passport' }, { type: 'utility-bill' }] } });
    const residentId = r.json().resident.id as string;
    await bench.app.inject({ method: 'PUT', url: `/v1/residents/${residentId}/photo`, headers: { ...clerk, 'content-type': 'image/jpeg' }, payload: photo });
    qrs.push((await bench.app.inject({ method: 'POST', url: `/v1/residents/${residentId}/cards`, headers: clerk })).json().qr as string);
  }
  const partner = (await bench.app.inject({ method: 'POST', url: '/v1/partners', headers: admin, payload: { name: 'Bench Museum', category: 'culture' } })).json().id as string;
  const offer = (await bench.app.inject({ method: 'POST', url: `/v1/partners/${partner}/offers`, headers: admin, payload: { title: { fr: 'Entrée gratuite' }, kind: 'free-entry', limit: { per: 'year' } } })).json().id as string;
  const key = (await bench.app.inject({ method: 'POST', url: '/v1/service-keys', headers: admin, payload: { name: 'Bench counter', profile: 'residency_only', partnerId: partner } })).json().secret as string;
  const lone = qrs.pop()!;

  const redeem = async (qr: string) => {
    const t = performance.now();
    const res = await fetch(`${bench.url}/v1/offers/${offer}/redemptions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ qr }) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t };
  };
  /** `CLIENTS` counters, each redeeming the next card in the queue as soon as its last answer came. */
  async function round(cards: string[]) {
    const queue = [...cards];
    const out: Array<{ status: number; ms: number }> = [];
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      for (let qr = queue.shift(); qr !== undefined; qr = queue.shift()) out.push(await redeem(qr));
    }));
    const wall = performance.now() - started;
    const codes = Object.fromEntries([...new Set(out.map((o) => o.status))].map((s) => [s, out.filter((o) => o.status === s).length]));
    return { times: out.map((o) => o.ms), codes, rate: (cards.length * 1000) / wall };
  }
  // Warm-up: a few cards not counted (JIT, connections, the trust store).
  await round(qrs.splice(0, Math.min(40, Math.floor(CARDS / 10))));
  const first = await round(qrs);
  const again = await round(qrs);
  const burst = await Promise.all(Array.from({ length: 20 }, () => redeem(lone)));
  const won = burst.filter((b) => b.status === 201).length;
  table(`Benefits: redemptions of a once-a-year offer through the API (${bench.kind}, pool 20, ${CLIENTS} concurrent clients, ${qrs.length} cards, Node ${process.version})`, [
    ['first redemption: p50 / p99 / max', quantiles(first.times)],
    ['first redemption: answers', `${JSON.stringify(first.codes)}, ${fmt(first.rate)} redemptions/s`],
    ['same cards again: p50 / p99 / max', quantiles(again.times)],
    ['same cards again: answers', `${JSON.stringify(again.codes)}, ${fmt(again.rate)} answers/s`],
    ['one card, 20 at once', `${won} × 201, ${burst.filter((b) => b.status === 409).length} × 409${won === 1 ? ' (exact)' : ' — WRONG'}; p50 / p99 / max ${quantiles(burst.map((b) => b.ms))}`],
  ]);
  if (won !== 1 || first.codes[201] !== qrs.length || again.codes[409] !== qrs.length) process.exitCode = 1;
} finally {
  await bench.close();
}
