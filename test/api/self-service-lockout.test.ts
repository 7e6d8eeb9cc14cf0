/**
 * Resident PINs under attack (issue 13, finding 2): simultaneous guesses,
 * trivial PINs, and whether timing tells that a card was claimed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIN_POLICY } from '../../src/modules/self-service/self-service-service.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';

let offset = 0;
const clock = () => new Date(Date.now() + offset);

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

let ip = 0;
/** Each call from its own address: the per-address rate limit is not what is under test here. */
const from = () => `10.30.${Math.floor(++ip / 250)}.${ip % 250}`;
const claim = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/v1/self/claim', payload, remoteAddress: from() });
const login = (number: string, pin: string) => t.app.inject({ method: 'POST', url: '/v1/self/login', payload: { number, pin }, remoteAddress: from() });

let seq = 0;
async function card() {
  const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Lockout Holder ${++seq}` } });
  return issue(t, id);
}
async function claimed(pin = '482915') {
  const c = await card();
  const res = await claim({ number: c.number, claimCode: c.claimCode, pin });
  expect(res.statusCode).toBe(200);
  return { ...c, pin, token: res.json().accessToken as string };
}

describe('simultaneous wrong PINs', () => {
  it.each([10, 20])('%i at once: only the limit is checked, then the right PIN is refused until the lock ends', async (n) => {
    const c = await claimed();
    const answers = await Promise.all(Array.from({ length: n }, () => login(c.number, '000000')));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((s) => s === 401)).toHaveLength(PIN_POLICY.maxFailures);
    expect(codes.filter((s) => s === 429)).toHaveLength(n - PIN_POLICY.maxFailures);

    const locked = await login(c.number, c.pin);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('account-locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(PIN_POLICY.lockMs / 1000 - 60);
    // The lock ended the open session too.
    expect((await t.app.inject({ url: '/v1/self/data', headers: { authorization: `Bearer ${c.token}` } })).statusCode).toBe(401);

    offset += PIN_POLICY.lockMs - 30_000;
    expect((await login(c.number, c.pin)).statusCode).toBe(429);
    offset += 31_000;
    expect((await login(c.number, c.pin)).statusCode).toBe(200);
    // A success starts the count afresh: five more wrong guesses are checked before the next lock.
    for (let i = 0; i < PIN_POLICY.maxFailures; i++) expect((await login(c.number, '000000')).statusCode).toBe(401);
    expect((await login(c.number, c.pin)).statusCode).toBe(429);
  });
});

describe('trivial PINs are refused when chosen', () => {
  it.each([
    ['000000', 'repeated'],
    ['777777777', 'repeated'],
    ['121212', 'repeated'],
    ['123123', 'repeated'],
    ['123456', 'sequential'],
    ['234567890', 'sequential'],
    ['654321', 'sequential'],
    ['890123', 'sequential'],
    ['112233', 'common'],
    ['159753', 'common'],
    ['696969', 'repeated'],
    ['147258', 'common'],
    ['aaaaaaaa', 'repeated'],
    ['Password', 'common'],
    ['qwertyuiop', 'common'],
  ])('%s (%s)', async (pin, reason) => {
    const c = await card();
    const res = await claim({ number: c.number, claimCode: c.claimCode, pin });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'pin-too-simple', reason });
    expect(res.json().detail).toBeTruthy();
  });

  it('the claim code survives a refused PIN, and an ordinary PIN or passphrase is accepted', async () => {
    const c = await card();
    expect((await claim({ number: c.number, claimCode: c.claimCode, pin: '123456' })).json().code).toBe('pin-too-simple');
    expect((await claim({ number: c.number, claimCode: c.claimCode, pin: '480917' })).statusCode).toBe(200);
    const other = await card();
    expect((await claim({ number: other.number, claimCode: other.claimCode, pin: 'lilac harbour tuesday' })).statusCode).toBe(200);
  });
});

describe('timing', () => {
  // Its own city at the production scrypt cost, so that one hash clearly outweighs a database read.
  let cheap: TestContext;
  beforeAll(async () => {
    cheap = t;
    t = await createTestApp({ clock, env: { PASSWORD_SCRYPT_LOG2N: '14' } });
  });
  afterAll(async () => {
    await t.close();
    t = cheap;
  });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const timed = async (number: string, pin: string) => {
    const start = performance.now();
    const res = await login(number, pin);
    expect(res.statusCode).toBe(401);
    return performance.now() - start;
  };

  it('a wrong PIN costs the same on a claimed card, an unclaimed card and an unknown number', async () => {
    const holders = [await claimed(), await claimed(), await claimed()];
    const unclaimed = [await card(), await card(), await card()];
    const unknown = '0000-0000-00';
    await timed(unknown, '000000'); // the first unknown number makes the dummy hash once
    const samples = { claimed: [] as number[], unclaimed: [] as number[], unknown: [] as number[] };
    // Interleaved, so a busy machine slows every kind alike; 3 guesses per holder stay under the lockout.
    for (let i = 0; i < 7; i++) {
      samples.claimed.push(await timed(holders[i % 3]!.number, '000000'));
      samples.unclaimed.push(await timed(unclaimed[i % 3]!.number, '000000'));
      samples.unknown.push(await timed(unknown, '000000'));
    }
    const reference = median(samples.claimed);
    // Before the fix an unclaimed card answered in well under a tenth of a claimed card's time (no hash at all).
    for (const kind of ['unclaimed', 'unknown'] as const) {
      const ratio = median(samples[kind]) / reference;
      expect(ratio, `${kind} / claimed = ${ratio.toFixed(2)} (${median(samples[kind]).toFixed(1)} ms vs ${reference.toFixed(1)} ms)`).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    }
  });
});
