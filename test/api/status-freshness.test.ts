/**
 * A change made on this instance reads at once on this instance (issue 13,
 * finding 11): a card suspended, reinstated, revoked or erased here, or a
 * signing key revoked here, is verified in its new state by the very next
 * check — no 2-second window in which the trust store still says "valid".
 * Other instances see it within the store's refresh (README).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, transition } from '../helpers/cards.js';

let t: TestContext;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const verify = async (qr: string): Promise<string> => {
  const res = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: t.auth('official'), payload: { qr } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().result as string;
};

const newCard = async () => issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Fresh ${++seq}` } }));

const ok = async (p: ReturnType<typeof transition>) => {
  const res = await p;
  expect(res.statusCode, res.body).toBe(200);
};

describe('this instance reads its own changes at once', () => {
  it('suspend → suspended, reinstate → valid, revoke → revoked, each on the next check', async () => {
    const card = await newCard();
    expect(await verify(card.qr)).toBe('valid'); // the trust store is warm: a stale copy would answer next
    await ok(transition(t, card.number, 'suspend'));
    expect(await verify(card.qr)).toBe('suspended');
    await ok(transition(t, card.number, 'reinstate'));
    expect(await verify(card.qr)).toBe('valid');
    await ok(transition(t, card.number, 'revoke', 'stolen'));
    expect(await verify(card.qr)).toBe('revoked');
  });

  it('with checks running all the while: every check started after the change answers the new state', async () => {
    const card = await newCard();
    for (let round = 0; round < 5; round++) {
      // Checks in flight while the card changes (they may answer either state); a refresh they started must not stick.
      const during = Array.from({ length: 20 }, () => verify(card.qr));
      await ok(transition(t, card.number, 'suspend'));
      const after = await Promise.all(Array.from({ length: 10 }, () => verify(card.qr)));
      expect(after.every((r) => r === 'suspended'), `round ${round}: ${after.join(',')}`).toBe(true);
      expect((await Promise.all(during)).every((r) => r === 'valid' || r === 'suspended')).toBe(true);
      await ok(transition(t, card.number, 'reinstate'));
      expect(await verify(card.qr)).toBe('valid');
    }
  }, 60_000);

  it('an erased holder: the card reads revoked on the next check', async () => {
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Fresh ${++seq}` } });
    const card = await issue(t, id);
    expect(await verify(card.qr)).toBe('valid');
    const res = await t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: t.auth('clerk') });
    expect(res.statusCode, res.body).toBe(204);
    expect(await verify(card.qr)).toBe('revoked');
  });

  it('a signing key revoked here: its cards read key_revoked on the next check', async () => {
    const card = await newCard();
    expect(await verify(card.qr)).toBe('valid');
    const kid = (await t.app.services.city.activeSigner()).kid;
    expect((await t.app.inject({ method: 'POST', url: `/v1/keys/${kid}/revoke`, headers: t.auth('admin') })).statusCode).toBe(200);
    expect(await verify(card.qr)).toBe('key_revoked');
    expect(await verify((await newCard()).qr)).toBe('valid');
  });
});
