/**
 * Two instances on one PostgreSQL database (issue 10; DESIGN.md "Scale"):
 * buildApp twice, each on its own pool, sharing the config and MASTER_KEY,
 * as two replicas behind a load balancer. Both issue cards for the same
 * residents at once and race transitions on the same cards. Afterwards: one
 * winner per race and the loser told why (409), no duplicate number or slot,
 * one live card per resident, an audit entry for every change that
 * answered 2xx and none for the refusals, a status list that both
 * instances serve byte for byte and whose bits match every card's state,
 * verify answers that agree with it, and an audit chain that verifies.
 *
 * PGlite is one process's embedded database: two instances cannot share it,
 * so this file runs in the postgres project only.
 */
import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { decodeStatusList, getStatus } from '../../src/credential/index.js';
import { wrapPgPool, type Database } from '../../src/db/client.js';
import { STATUS_VALUE, type CardState } from '../../src/modules/cards/card-states.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, givePhoto } from '../helpers/cards.js';
import { contractBreach } from './problem-check.js';

const RESIDENTS = 40;
const ROUNDS = 4;

describe.runIf(process.env.LCC_TEST_DB === 'postgres')('two instances on one PostgreSQL database', () => {
  let t: TestContext;
  let b: FastifyInstance;
  let bDatabase: Database;
  let apps: FastifyInstance[];
  let residentIds: string[];
  const ok = new Map<string, number>();

  const clerk = () => t.auth('clerk');
  const count = (key: string) => ok.set(key, (ok.get(key) ?? 0) + 1);
  const expectContract = (res: LightMyRequestResponse) => expect(contractBreach(res)).toBeUndefined();
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await t.database.db.execute(q)) as unknown as { rows: T[] }).rows;

  beforeAll(async () => {
    t = await createTestApp();
    bDatabase = wrapPgPool(new pg.Pool({ connectionString: t.database.url, max: 10 }));
    // Same config, same MASTER_KEY: tokens, blind indexes and field encryption agree across instances.
    b = await buildApp({ config: t.config, database: bDatabase, logger: false });
    await b.ready();
    apps = [t.app, b];
    residentIds = [];
    for (let i = 0; i < RESIDENTS; i++) residentIds.push(await enrol(t, { names: { printed: `Twin ${i}` }, preferredLanguage: 'fr', evidence: [{ type: 'passport' }, { type: 'utility-bill' }] }));
    for (const id of residentIds) await givePhoto(t, id);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await bDatabase?.close();
    await t?.close();
  });

  it('both instances issue for the same residents at once: one card each, the other told 409', async () => {
    const answers = await Promise.all(
      residentIds.flatMap((id) => apps.map((app) => app.inject({ method: 'POST', url: `/v1/residents/${id}/cards`, headers: clerk() }))),
    );
    answers.forEach(expectContract);
    for (let i = 0; i < residentIds.length; i++) {
      const pair = [answers[2 * i]!, answers[2 * i + 1]!].map((r) => r.statusCode).sort();
      expect(pair).toEqual([201, 409]);
      expect([answers[2 * i]!, answers[2 * i + 1]!].find((r) => r.statusCode === 409)!.json().code).toBe('card-already-active');
      count('card.issue');
    }
  }, 60_000);

  it('racing transitions on both instances: every answer is a 2xx or a catalogued 409', async () => {
    const actions = ['suspend', 'reinstate', 'revoke', 'replace'] as const;
    for (let round = 0; round < ROUNDS; round++) {
      const live = await Promise.all(residentIds.map(async (id) => (await t.app.services.cards.forResident(id)).find((c) => c.status === 'active' || c.status === 'suspended')));
      const calls = live.flatMap((card) =>
        card
          ? apps.map(async (app) => {
              const action = actions[randomInt(actions.length)]!;
              const res = await app.inject({ method: 'POST', url: `/v1/cards/${card.number}/${action}`, headers: clerk(), payload: action === 'revoke' || action === 'replace' ? { reason: 'lost' } : {} });
              return { action, res };
            })
          : [],
      );
      for (const { action, res } of await Promise.all(calls)) {
        expectContract(res);
        expect([200, 409]).toContain(res.statusCode);
        if (res.statusCode === 200) {
          count(`card.${action}`);
          if (action === 'replace') count('card.issue');
        } else {
          expect(['card-state-conflict']).toContain(res.json().code);
        }
      }
    }
    expect(ok.get('card.suspend') ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('no duplicate number or slot, one live card per resident, one audit entry per change', async () => {
    expect(await rows(sql`select number_index from cards group by 1 having count(*) > 1`)).toEqual([]);
    expect(await rows(sql`select status_index from cards group by 1 having count(*) > 1`)).toEqual([]);
    expect(await rows(sql`select resident_id from cards where state in ('active', 'suspended') group by 1 having count(*) > 1`)).toEqual([]);
    const audited = await rows<{ action: string; n: number }>(sql`select action, count(*)::int as n from audit_log where action like 'card.%' group by action`);
    expect(Object.fromEntries(audited.map((r) => [r.action, r.n]))).toEqual(Object.fromEntries(ok));
    const chain = await t.app.services.audit.verifyChain();
    expect(chain.ok).toBe(true);
  });

  it('both instances serve the same status list, and its bits are the cards’ states', async () => {
    const [a, bb] = await Promise.all(apps.map((app) => app.inject('/v1/status-list')));
    expect(a!.statusCode).toBe(200);
    expect(bb!.body).toBe(a!.body);
    expect(bb!.headers.etag).toBe(a!.headers.etag);
    const claim = JSON.parse(Buffer.from(a!.body.split('.')[1]!, 'base64url').toString()).status_list;
    const list = decodeStatusList(claim);
    const cards = await rows<{ status_index: number; state: CardState }>(sql`select status_index, state from cards`);
    expect(cards.length).toBeGreaterThan(RESIDENTS);
    for (const card of cards) expect({ slot: card.status_index, bits: getStatus(list, card.status_index) }).toEqual({ slot: card.status_index, bits: STATUS_VALUE[card.state] });
  });

  it('each instance verifies every card as the database says (after its trust store refresh)', async () => {
    await new Promise((r) => setTimeout(r, 2_100));
    const expected: Record<CardState, string> = { active: 'valid', suspended: 'suspended', revoked: 'revoked', superseded: 'revoked' };
    for (const id of residentIds.slice(0, 10)) {
      for (const card of await t.app.services.cards.forResident(id)) {
        const { qr } = await t.app.services.cards.get(card.number);
        for (const app of apps) {
          const res = await app.inject({ method: 'POST', url: '/v1/verify', headers: t.auth('official'), payload: { qr } });
          expect(res.statusCode).toBe(200);
          expect(res.json().result).toBe(expected[card.status]);
        }
      }
    }
  }, 60_000);
});
