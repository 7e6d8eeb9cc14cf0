import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, transition } from '../helpers/cards.js';
import { decodeQr, pageSizes } from '../unit/pdf/helpers.js';

let t: TestContext;
let seq = 0;
let ip = 0;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Each call from its own address, so the per-address rate limit does not mix tests up. */
const from = () => `10.20.${Math.floor(++ip / 250)}.${ip % 250}`;
const claim = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/v1/self/claim', payload, remoteAddress: from() });
const login = (payload: Record<string, unknown>, remoteAddress = from()) => t.app.inject({ method: 'POST', url: '/v1/self/login', payload, remoteAddress });
const me = (token: string) => ({ authorization: `Bearer ${token}` });

async function holder() {
  const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Portal User ${++seq}` } });
  const card = await issue(t, id);
  return { id, card };
}

describe('claiming a card', () => {
  it('the receipt code works once, then card number + PIN sign in', async () => {
    const { card } = await holder();
    const res = await claim({ number: card.number, claimCode: card.claimCode, pin: '482915' });
    expect(res.statusCode).toBe(200);
    expect(res.json().expiresIn).toBe(900);
    const again = await claim({ number: card.number, claimCode: card.claimCode, pin: '482915' });
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('claim-invalid');
    const back = await login({ number: card.number.toLowerCase(), pin: '482915' });
    expect(back.statusCode).toBe(200);
  });

  it.each([
    ['a wrong code', (c: { number: string; claimCode: string }) => ({ number: c.number, claimCode: 'ZZZZZZZZZZ', pin: '482915' }), 401, 'claim-invalid'],
    ['a wrong card', (c: { number: string; claimCode: string }) => ({ number: '0000-0000-00', claimCode: c.claimCode, pin: '482915' }), 401, 'claim-invalid'],
    ['a short PIN', (c: { number: string; claimCode: string }) => ({ number: c.number, claimCode: c.claimCode, pin: '1234' }), 400, 'validation-failed'],
    ['an extra field', (c: { number: string; claimCode: string }) => ({ number: c.number, claimCode: c.claimCode, pin: '482915', admin: true }), 400, 'validation-failed'],
  ])('refuses %s', async (_n, body, status, code) => {
    const { card } = await holder();
    const res = await claim(body(card));
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });

  it('a revoked card cannot be claimed', async () => {
    const { card } = await holder();
    await transition(t, card.number, 'revoke', 'stolen');
    expect((await claim({ number: card.number, claimCode: card.claimCode, pin: '482915' })).statusCode).toBe(401);
  });

  it('locks after 5 wrong PINs, answering like an unknown card until then', async () => {
    const { card } = await holder();
    const session = (await claim({ number: card.number, claimCode: card.claimCode, pin: 'a long passphrase' })).json().accessToken;
    const wrong = await login({ number: card.number, pin: '000000' });
    const unknown = await login({ number: '0000-0000-00', pin: '000000' });
    expect(wrong.json()).toEqual(unknown.json());
    for (let i = 0; i < 4; i++) await login({ number: card.number, pin: '000000' });
    const locked = await login({ number: card.number, pin: 'a long passphrase' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('account-locked');
    // The lock also ends open sessions.
    expect((await t.app.inject({ url: '/v1/self/data', headers: me(session) })).statusCode).toBe(401);
  });

  it('rate-limits guessing from one address', async () => {
    const addr = '10.99.0.1';
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await login({ number: '0000-0000-00', pin: '000000' }, addr)).statusCode);
    expect(codes).toContain(429);
  });
});

describe('a signed-in resident', () => {
  it('sees all data held, downloads the card in their language, gets a proof, and erases themselves', async () => {
    const { id, card } = await holder();
    const token = (await claim({ number: card.number, claimCode: card.claimCode, pin: '739102' })).json().accessToken;

    const data = await t.app.inject({ url: '/v1/self/data', headers: me(token) });
    expect(data.statusCode).toBe(200);
    expect(data.headers['cache-control']).toBe('no-store');
    const body = data.json();
    expect(body.resident).toMatchObject({ id, names: { printed: `Portal User ${seq}` }, birthDate: REFERENCE_RESIDENT.birthDate, address: REFERENCE_RESIDENT.address });
    expect(body.cards[0]).toMatchObject({ number: card.number, status: 'active' });

    const pdf = await t.app.inject({ url: '/v1/self/card.pdf?lang=ar', headers: me(token) });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pageSizes(pdf.rawPayload)).toHaveLength(2);
    expect(decodeQr(pdf.rawPayload, 2)).toBe(card.qr);

    const proof = await t.app.inject({ method: 'POST', url: '/v1/self/proof', headers: me(token) });
    expect(proof.json().qr).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    const checked = (await t.app.inject({ method: 'POST', url: '/v1/verify', headers: t.auth('official'), payload: { qr: proof.json().qr } })).json();
    expect(checked).toMatchObject({ result: 'valid', kind: 'resident_proof', issuer: { id: 'fr-testville' } });
    expect(checked.card).toBeUndefined();

    // Staff routes stay closed to a resident, and another resident's data is out of reach by construction (no id in the route).
    expect((await t.app.inject({ url: `/v1/residents/${id}`, headers: me(token) })).statusCode).toBe(403);

    const unconfirmed = await t.app.inject({ method: 'DELETE', url: '/v1/self', headers: me(token), payload: { confirm: false } });
    expect(unconfirmed.json().code).toBe('confirmation-required');
    const erased = await t.app.inject({ method: 'DELETE', url: '/v1/self', headers: me(token), payload: { confirm: true } });
    expect(erased.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/v1/self/data', headers: me(token) })).statusCode).toBe(401);
    // Nothing of the card is left to show but its revoked slot (test/api/erasure-readback.test.ts).
    const after = (await t.app.inject({ url: `/v1/cards/${card.number}`, headers: t.auth('clerk') })).json();
    expect(after).toMatchObject({ status: 410, code: 'card-erased' });
    await new Promise((r) => setTimeout(r, 2100));
    expect((await t.app.inject({ method: 'POST', url: '/v1/verify', headers: t.auth('official'), payload: { qr: card.qr } })).json().result).toBe('revoked');
  });

  it('no valid card, no proof', async () => {
    const { card } = await holder();
    const token = (await claim({ number: card.number, claimCode: card.claimCode, pin: '739102' })).json().accessToken;
    await transition(t, card.number, 'suspend');
    const res = await t.app.inject({ method: 'POST', url: '/v1/self/proof', headers: me(token) });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('card-not-valid');
  });
});
