import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStatus, verifyStatusList } from '../../src/credential/index.js';
import { claimsOf } from '../../src/modules/cards/cards-service.js';
import { CARD_ACTIONS, CARD_STATES, TRANSITIONS, type CardAction, type CardState } from '../../src/modules/cards/card-states.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, transition, trustFromJwks } from '../helpers/cards.js';

const START = new Date('2026-03-02T10:00:00Z');
let now = START;
let t: TestContext;
let seq = 0;
beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(() => t.close());

const person = () => ({ ...REFERENCE_RESIDENT, names: { printed: `Holder ${++seq}` } });

/** A card brought into `state` the way a clerk would. */
async function cardIn(state: CardState): Promise<string> {
  const card = await issue(t, await enrol(t, person()));
  const n = card.number;
  if (state === 'suspended') expect((await transition(t, n, 'suspend')).statusCode).toBe(200);
  if (state === 'revoked') expect((await transition(t, n, 'revoke', 'stolen')).statusCode).toBe(200);
  if (state === 'superseded') {
    now = new Date(Date.parse(`${card.expiresAt}T12:00:00Z`) - 30 * 86_400_000);
    expect((await transition(t, n, 'renew')).statusCode).toBe(200);
    now = START;
  }
  return n;
}

const reasonFor = (a: CardAction) => (a === 'revoke' || a === 'replace' ? 'lost' : undefined);

describe('the card state table', () => {
  const cases = CARD_STATES.flatMap((from) => CARD_ACTIONS.map((action) => ({ from, action, to: TRANSITIONS[action][from] })));

  it.each(cases)('$action from $from → $to', async ({ from, action, to }) => {
    const number = await cardIn(from);
    if (action === 'renew' && to) now = new Date(Date.parse('2031-01-15T10:00:00Z'));
    const res = await transition(t, number, action, reasonFor(action));
    now = START;
    if (!to) {
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'card-state-conflict', state: from, action });
      const after = await t.app.inject({ url: `/v1/cards/${number}`, headers: t.auth('clerk') });
      expect(after.json().status).toBe(from);
      return;
    }
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.card.status).toBe(to);
    if (action === 'renew' || action === 'replace') {
      expect(body.newCard.status).toBe('active');
      expect(body.newCard.number).not.toBe(number);
      expect(body.newCard.previousNumber).toBe(number);
    } else {
      expect(body.newCard).toBeUndefined();
    }
  });
});

describe('transitions', () => {
  it('revoke and replace need a reason from the city list', async () => {
    const n = await cardIn('active');
    const none = await transition(t, n, 'revoke');
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].path).toBe('/body/reason');
    const unknown = await transition(t, n, 'replace', 'bored');
    expect(unknown.statusCode).toBe(400);
    const ok = await transition(t, n, 'replace', 'stolen');
    expect(ok.json().card).toMatchObject({ status: 'revoked', reason: 'stolen' });
  });

  it('renews only inside the renewal window', async () => {
    const card = await issue(t, await enrol(t, person()));
    const early = await transition(t, card.number, 'renew');
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'card-not-renewable', state: 'active', expiresAt: card.expiresAt });
    // The answer says when renewal opens and closes (90 days before expiry, 365 after: templates/rules/card-rules.json).
    const day = (offset: number) => new Date(Date.parse(`${card.expiresAt}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    expect(early.json()).toMatchObject({ renewableFrom: day(-90), renewableUntil: day(365) });
    now = new Date(Date.parse(`${card.expiresAt}T10:00:00Z`) + 200 * 86_400_000);
    const late = await transition(t, card.number, 'renew');
    expect(late.statusCode).toBe(200);
    expect(late.json().newCard.expiresAt > card.expiresAt).toBe(true);
    expect(late.json().card).toMatchObject({ status: 'superseded', reason: 'renewed' });
    // Past the window after expiry, renewal is refused (the resident gets a new card instead).
    const other = await issue(t, await enrol(t, person()));
    now = new Date(Date.parse(`${other.expiresAt}T10:00:00Z`) + 400 * 86_400_000);
    expect((await transition(t, other.number, 'renew')).json().code).toBe('card-not-renewable');
    now = START;
  });

  it('a card past expiry reports expired with no job run', async () => {
    const card = await issue(t, await enrol(t, person()));
    now = new Date(Date.parse(`${card.expiresAt}T10:00:00Z`) + 2 * 86_400_000);
    const got = await t.app.inject({ url: `/v1/cards/${card.number}`, headers: t.auth('clerk') });
    expect(got.json()).toMatchObject({ status: 'active', expired: true });
    // The daily tidy-up (npm run cli -- cards:expire) only drops claim codes nobody can use any more.
    const tidy = await t.app.services.cards.tidyExpired();
    expect(tidy.expiredCards).toBeGreaterThanOrEqual(1);
    expect(tidy.claimCodesCleared).toBeGreaterThanOrEqual(1);
    expect((await t.app.services.cards.tidyExpired()).claimCodesCleared).toBe(0);
    now = START;
  });

  it('unknown numbers are 404, bad check characters 400, on every transition', async () => {
    for (const action of CARD_ACTIONS) {
      expect((await transition(t, '0000-0000-00', action, reasonFor(action))).statusCode).toBe(404);
      expect((await transition(t, '0000-0000-01', action, reasonFor(action))).statusCode).toBe(400);
    }
  });

  it('concurrent transitions on one card leave one consistent outcome', async () => {
    const n = await cardIn('active');
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => transition(t, n, 'suspend')),
      ...Array.from({ length: 4 }, () => transition(t, n, 'revoke', 'fraud')),
    ]);
    const ok = results.filter((r) => r.statusCode === 200);
    expect(results.every((r) => r.statusCode === 200 || r.statusCode === 409)).toBe(true);
    const final = (await t.app.inject({ url: `/v1/cards/${n}`, headers: t.auth('clerk') })).json().status;
    // Either revoke won outright, or one suspend then one revoke: never two suspends, never a lost revoke.
    expect(ok.filter((r) => r.json().card.status === 'suspended').length).toBeLessThanOrEqual(1);
    expect(ok.filter((r) => r.json().card.status === 'revoked')).toHaveLength(1);
    expect(final).toBe('revoked');
  });

  it('erasing the resident revokes the card and leaves nothing of it but the slot: 410 card-erased', async () => {
    const id = await enrol(t, person());
    const card = await issue(t, id);
    const etag = (await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') })).headers.etag as string;
    const del = await t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': etag } });
    expect(del.statusCode).toBe(204);
    const after = await t.app.inject({ url: `/v1/cards/${card.number}`, headers: t.auth('clerk') });
    expect(after.statusCode).toBe(410);
    expect(after.json()).toMatchObject({ code: 'card-erased', status: 410 });
    expect(after.body).not.toContain(card.qr);
    const [row] = (await t.database.db.execute(sql`select state, reason, resident_id, credential from cards where resident_id is null and state = 'revoked' and reason = 'erasure'`) as unknown as { rows: Array<Record<string, unknown>> }).rows;
    expect(row).toMatchObject({ state: 'revoked', reason: 'erasure', resident_id: null, credential: null });
  });

  it('every transition is audited', async () => {
    const actions = (await t.app.inject({ url: '/v1/audit?action=card.*&limit=500', headers: t.auth('admin') })).json().items.map((e: { action: string }) => e.action);
    for (const a of ['card.issue', 'card.suspend', 'card.reinstate', 'card.revoke', 'card.replace', 'card.renew']) expect(actions).toContain(a);
  });
});

describe('the status list', () => {
  async function fetchList() {
    const res = await t.app.inject('/v1/status-list');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/statuslist+jwt');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, no-cache');
    const trust = await trustFromJwks(t);
    const list = await verifyStatusList(res.body, trust.issuers[0]!);
    return { res, list };
  }

  it('holds at least 131,072 slots and decodes to the right status for random cards after many transitions', async () => {
    const expected = new Map<number, number>();
    const states: CardState[] = ['active', 'suspended', 'revoked', 'superseded'];
    for (let i = 0; i < 16; i++) {
      const state = states[i % 4]!;
      const n = await cardIn(state);
      const qr = (await t.app.inject({ url: `/v1/cards/${n}`, headers: t.auth('clerk') })).json().qr;
      expected.set(claimsOf(qr).statusIndex, { active: 0, suspended: 2, revoked: 1, superseded: 1 }[state]);
    }
    // Reinstate one suspended card: it is valid again.
    const back = await cardIn('suspended');
    await transition(t, back, 'reinstate');
    expected.set(claimsOf((await t.app.inject({ url: `/v1/cards/${back}`, headers: t.auth('clerk') })).json().qr).statusIndex, 0);

    const { list } = await fetchList();
    expect(list.bits).toBe(2);
    expect(list.list.length * 4).toBeGreaterThanOrEqual(131_072);
    for (const [index, status] of expected) expect(getStatus(list, index), `slot ${index}`).toBe(status);
    // Slots are spread over the list, not handed out in order.
    const indexes = [...expected.keys()];
    expect(Math.max(...indexes) - Math.min(...indexes)).toBeGreaterThan(10_000);
  });

  it('revalidates with ETag: 304 while unchanged, a new list after a change', async () => {
    const { res } = await fetchList();
    const etag = res.headers.etag as string;
    const same = await t.app.inject({ url: '/v1/status-list', headers: { 'if-none-match': etag } });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    await transition(t, await cardIn('active'), 'suspend');
    const changed = await t.app.inject({ url: '/v1/status-list', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });
});
