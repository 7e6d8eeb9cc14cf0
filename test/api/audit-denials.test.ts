/**
 * Refused calls cannot flood the audit log (issue 13, finding 11): many
 * simultaneous forbidden calls by one token on one route write one entry at
 * once and one more with the count when the minute ends; the counts add up
 * to every refusal, and the chain still verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createDenialLog } from '../../src/modules/audit/denial-log.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

interface Entry {
  actorId: string | null;
  actorType: string;
  targetId: string | null;
  count: number | null;
}

async function denials(route: string, actorId: string): Promise<Entry[]> {
  const res = await t.app.inject({ url: `/v1/audit?action=access.denied&actor=${actorId}&limit=500`, headers: t.auth('admin') });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Entry[]).filter((e) => e.targetId === route);
}
const total = (entries: Entry[]) => entries.reduce((n, e) => n + (e.count ?? 1), 0);

describe('forbidden calls in the audit log', () => {
  it('200 simultaneous forbidden calls: one entry at once, one with the count after, 200 in all; the chain verifies', async () => {
    const calls = await Promise.all(Array.from({ length: 200 }, () => t.app.inject({ url: '/v1/staff', headers: t.auth('clerk') })));
    expect(calls.every((r) => r.statusCode === 403)).toBe(true);
    expect(await denials('GET /v1/staff', t.ids.clerk)).toHaveLength(1);
    await t.app.services.denials.flush();
    const entries = await denials('GET /v1/staff', t.ids.clerk);
    expect(entries).toHaveLength(2);
    expect(total(entries)).toBe(200);
    expect(entries.every((e) => e.actorType === 'clerk')).toBe(true);
    const chain = await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('admin') });
    expect(chain.json().ok).toBe(true);
  });

  it('each caller and route is told apart: another route, another token each get their first entry at once', async () => {
    await Promise.all([
      ...Array.from({ length: 30 }, () => t.app.inject({ url: '/v1/audit', headers: t.auth('clerk') })),
      ...Array.from({ length: 30 }, () => t.app.inject({ url: '/v1/audit', headers: t.auth('official') })),
    ]);
    expect(await denials('GET /v1/audit', t.ids.clerk)).toHaveLength(1);
    expect(await denials('GET /v1/audit', t.ids.official)).toHaveLength(1);
    await t.app.services.denials.flush();
    expect(total(await denials('GET /v1/audit', t.ids.clerk))).toBe(30);
    expect(total(await denials('GET /v1/audit', t.ids.official))).toBe(30);
  });

  it('when a window ends, the next refusal writes the count of the last one and opens a new one', async () => {
    let now = 1_000_000;
    const log = createDenialLog({ db: t.app.services.db, audit: t.app.services.audit, now: () => now, windowMs: 60_000 });
    const actor = { type: 'clerk' as const, id: t.ids.clerk };
    await Promise.all(Array.from({ length: 5 }, () => log.denied(actor, 'GET /v1/window-test')));
    expect(await denials('GET /v1/window-test', t.ids.clerk)).toHaveLength(1);
    now += 61_000;
    await log.denied(actor, 'GET /v1/window-test');
    const entries = await denials('GET /v1/window-test', t.ids.clerk);
    // The first refusal, the count of the four that followed it, and the first of the new window.
    expect(entries.map((e) => e.count).sort()).toEqual([4, null, null].sort());
    await log.flush();
    expect(total(await denials('GET /v1/window-test', t.ids.clerk))).toBe(6);
  });
});
