import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const verify = async () => (await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('admin') })).json();
const db = () => t.app.services.db;

/** Every test tampers with its own copy: snapshot the table and restore it. */
let snapshot: unknown[] = [];
beforeEach(async () => {
  if (snapshot.length) {
    await db().execute(sql`delete from audit_log`);
    for (const row of snapshot as Array<Record<string, unknown>>) {
      await db().execute(sql`insert into audit_log (seq, at, actor_id, actor_type, action, target_type, target_id, outcome, prev_hash, hash)
        values (${row.seq}, ${row.at}, ${row.actor_id}, ${row.actor_type}, ${row.action}, ${row.target_type}, ${row.target_id}, ${row.outcome}, ${row.prev_hash}, ${row.hash})`);
    }
  } else {
    const res = await db().execute(sql`select seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.USZ') as at, actor_id, actor_type, action, target_type, target_id, outcome, prev_hash, hash from audit_log order by seq`);
    snapshot = (res as unknown as { rows: unknown[] }).rows;
  }
});

describe('audit log', () => {
  it('records state changes with actor, action, target and outcome, newest first, filterable', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: 'Shelter', profile: 'residency_only' } });
    const all = (await t.app.inject({ url: '/v1/audit', headers: t.auth('admin') })).json();
    expect(all.items[0]).toMatchObject({ action: 'service_key.create', actorType: 'admin', actorId: t.ids.admin, targetType: 'service_key', outcome: 'success' });
    const seqs = all.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const logins = (await t.app.inject({ url: '/v1/audit?action=auth.login', headers: t.auth('admin') })).json().items;
    expect(logins.length).toBeGreaterThanOrEqual(4);
    expect(logins.every((e: { action: string }) => e.action === 'auth.login')).toBe(true);
    const byActor = (await t.app.inject({ url: `/v1/audit?actor=${t.ids.clerk}`, headers: t.auth('admin') })).json().items;
    expect(byActor.every((e: { actorId: string }) => e.actorId === t.ids.clerk)).toBe(true);
    const page1 = (await t.app.inject({ url: '/v1/audit?limit=2', headers: t.auth('admin') })).json();
    const page2 = (await t.app.inject({ url: `/v1/audit?limit=2&before=${page1.next}`, headers: t.auth('admin') })).json();
    expect(page2.items[0].seq).toBe(page1.items[1].seq - 1);
    snapshot = [];
  });

  it('verifies an intact chain', async () => {
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.checked).toBe(snapshot.length);
  });

  it('detects an edited entry', async () => {
    await db().execute(sql`update audit_log set action = 'auth.login' where seq = 3`);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'hash_mismatch' } });
  });

  it('detects an edited entry whose hash was recomputed without the chain', async () => {
    await db().execute(sql`update audit_log set prev_hash = repeat('0', 64) where seq = 4`);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: 4 } });
  });

  it('detects a deleted entry', async () => {
    await db().execute(sql`delete from audit_log where seq = 2`);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: 2, reason: 'gap' } });
  });

  it('detects reordered entries', async () => {
    await db().execute(sql`update audit_log set seq = -1 where seq = 2`);
    await db().execute(sql`update audit_log set seq = 2 where seq = 3`);
    await db().execute(sql`update audit_log set seq = 3 where seq = -1`);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
  });

  it('detects entries cut from the end', async () => {
    await db().execute(sql`delete from audit_log where seq = (select max(seq) from audit_log)`);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { reason: 'head_mismatch' } });
  });

  it('stays one chain under 60 concurrent state changes', async () => {
    const before = (await verify()).checked;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/v1/service-keys', headers: t.auth('admin'), payload: { name: `Scanner ${i}`, profile: 'name_and_photo' } }),
      ),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const report = await verify();
    expect(report).toMatchObject({ ok: true });
    expect(report.checked).toBe(before + 60);
  });
});
