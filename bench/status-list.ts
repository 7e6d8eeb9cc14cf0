/**
 * The status list at scale: `npx tsx bench/status-list.ts [cards]` (default
 * 1,300,000; PostgreSQL when BENCH_DATABASE_URL/TEST_DATABASE_URL is set,
 * else embedded PGlite). Fills the cards table with synthetic rows (random
 * slots, 1 % revoked, 0.5 % suspended — only the columns the list reads
 * matter), then times what a transition costs the publisher: reading the
 * non-valid slots, packing 2 bits per slot, zlib, and signing the JWT; and
 * how large the published token is. Also the same for a city at the
 * 131,072-slot minimum.
 */
import { sql } from 'drizzle-orm';
import { createBenchApp, fmt, table } from './lib/bench-app.js';

const N = Number(process.argv[2] ?? 1_300_000);

async function fill(bench: Awaited<ReturnType<typeof createBenchApp>>, cards: number): Promise<number> {
  let size = 131_072;
  while (cards > size / 2) size *= 2;
  const db = bench.app.services.db;
  await db.execute(sql`delete from cards`);
  // A random permutation prefix of the slots: distinct, spread over the list.
  await db.execute(sql`
    insert into cards (id, number_index, resident_id, state, status_index, kid, issued_at, expires_on, credential)
    select gen_random_uuid(), md5(s::text), null,
           case when r < 0.01 then 'revoked' when r < 0.015 then 'suspended' else 'active' end,
           slot, 'bench', now(), current_date + 1000, '\\x00'::bytea
    from (select s, random() as r, slot from (
            select row_number() over () as s, slot from (select g as slot from generate_series(0, ${size - 1}) g order by random() limit ${cards}) x
          ) y) z`);
  await db.execute(sql`insert into status_list_state (id, version, size, changed_at) values (1, 1, ${size}, now())
                       on conflict (id) do update set version = status_list_state.version + 1, size = ${size}, changed_at = now()`);
  return size;
}

async function measure(bench: Awaited<ReturnType<typeof createBenchApp>>, cards: number): Promise<Array<[string, string]>> {
  const t0 = performance.now();
  const size = await fill(bench, cards);
  const fillMs = performance.now() - t0;
  const { statusList } = bench.app.services;
  const times: number[] = [];
  let last = { jwt: '' };
  for (let i = 0; i < 5; i++) {
    await bench.app.services.db.execute(sql`update status_list_state set version = version + 1 where id = 1`);
    const t = performance.now();
    last = await statusList.current();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const served: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await bench.app.inject('/v1/status-list');
    served.push(performance.now() - t);
  }
  served.sort((a, b) => a - b);
  return [
    [`${fmt(cards)} cards in ${fmt(size)} slots: filled in`, `${fmt(fillMs / 1000, 1)} s`],
    [`${fmt(cards)} cards: re-sign after a change (read, pack, zlib, sign), median of 5`, `${fmt(times[2]!, 0)} ms`],
    [`${fmt(cards)} cards: published JWT`, `${fmt(last.jwt.length)} bytes`],
    [`${fmt(cards)} cards: serving the cached list, p50 / p99`, `${fmt(served[100]!, 2)} / ${fmt(served[198]!, 2)} ms`],
  ];
}

const bench = await createBenchApp();
try {
  const rows = [...(await measure(bench, 60_000)), ...(await measure(bench, N))];
  table(`Status list — Node ${process.version}, ${bench.kind}`, rows);
} finally {
  await bench.close();
}
