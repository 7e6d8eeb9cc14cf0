/**
 * A new one-time claim code (issue 15, item 7): POST /v1/cards/:number/claim-code
 * gives a clerk a fresh code for a live card; the new code claims, the old one
 * is dead, the audit entry names no code and nothing personal. Codes are read
 * the Crockford way (O for 0, I and L for 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, transition } from '../helpers/cards.js';
import { normalizeClaimCode } from '../../src/modules/cards/card-sealing.js';

let t: TestContext;
let seq = 0;
let ip = 0;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const from = () => `10.31.${Math.floor(++ip / 250)}.${ip % 250}`;
const claim = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/v1/self/claim', payload, remoteAddress: from() });
const newCode = (number: string) => t.app.inject({ method: 'POST', url: `/v1/cards/${encodeURIComponent(number)}/claim-code`, headers: t.auth('clerk') });

async function holder() {
  const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Claim Code ${++seq}` } });
  return { id, card: await issue(t, id) };
}

describe('a new claim code', () => {
  it('the new code claims the card, the receipt code no longer does', async () => {
    const { card } = await holder();
    const res = await newCode(card.number);
    expect(res.statusCode).toBe(201);
    const fresh = res.json() as { number: string; claimCode: string; claimCodeExpiresAt: string; portalUrl: string };
    expect(fresh.number).toBe(card.number);
    expect(fresh.claimCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(fresh.claimCode).not.toBe(card.claimCode);
    expect(fresh.portalUrl).toBe(`${t.config.publicUrl.replace(/\/$/, "")}/me`);
    expect(Date.parse(fresh.claimCodeExpiresAt)).toBeGreaterThan(Date.now() + 89 * 86_400_000);

    const old = await claim({ number: card.number, claimCode: card.claimCode, pin: '482915' });
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('claim-invalid');
    const ok = await claim({ number: card.number, claimCode: fresh.claimCode, pin: '482915' });
    expect(ok.statusCode).toBe(200);
    // One time only.
    expect((await claim({ number: card.number, claimCode: fresh.claimCode, pin: '482915' })).statusCode).toBe(401);
  });

  it('lets a resident who forgot their PIN set another: the account is kept, the old PIN stops working', async () => {
    const { card } = await holder();
    expect((await claim({ number: card.number, claimCode: card.claimCode, pin: '482915' })).statusCode).toBe(200);
    const fresh = (await newCode(card.number)).json().claimCode as string;
    expect((await claim({ number: card.number, claimCode: fresh, pin: '735184' })).statusCode).toBe(200);
    const login = (pin: string) => t.app.inject({ method: 'POST', url: '/v1/self/login', payload: { number: card.number, pin }, remoteAddress: from() });
    expect((await login('482915')).statusCode).toBe(401);
    expect((await login('735184')).statusCode).toBe(200);
  });

  it('only the latest of several codes works', async () => {
    const { card } = await holder();
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) codes.push((await newCode(card.number)).json().claimCode);
    for (const c of [card.claimCode, codes[0], codes[1]]) expect((await claim({ number: card.number, claimCode: c, pin: '482915' })).statusCode).toBe(401);
    expect((await claim({ number: card.number, claimCode: codes[2], pin: '482915' })).statusCode).toBe(200);
  });

  it('many simultaneous requests leave exactly one working code', async () => {
    const { card } = await holder();
    const answers = await Promise.all(Array.from({ length: 12 }, () => newCode(card.number)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(201));
    const results = [];
    for (const a of answers) results.push((await claim({ number: card.number, claimCode: a.json().claimCode, pin: '482915' })).statusCode);
    expect(results.filter((s) => s === 200)).toHaveLength(1);
  });

  it('reads a typed code the Crockford way: case, dashes and spaces ignored, O as 0, I and L as 1', async () => {
    expect(normalizeClaimCode(' o1-iL zq ')).toBe('0111ZQ');
    const { card } = await holder();
    const typed = card.claimCode.replace(/0/g, 'O').replace(/1/g, (_, i: number) => (i % 2 ? 'I' : 'l')).toLowerCase();
    const spaced = `${typed.slice(0, 5)}-${typed.slice(5)} `;
    expect((await claim({ number: card.number, claimCode: spaced, pin: '482915' })).statusCode).toBe(200);
  });

  it('a suspended card gets a code; the audit entry names the card and the clerk, never the code or the person', async () => {
    const { card } = await holder();
    await transition(t, card.number, 'suspend');
    const res = await newCode(card.number);
    expect(res.statusCode).toBe(201);
    const entries = (await t.app.inject({ url: '/v1/audit?action=card.claim_code', headers: t.auth('admin') })).json().items as Array<Record<string, unknown>>;
    expect(entries.length).toBeGreaterThan(0);
    const last = JSON.stringify(entries[0]);
    expect(entries[0]).toMatchObject({ action: 'card.claim_code', targetType: 'card' });
    expect(JSON.stringify(entries[0])).toContain(t.ids.clerk);
    for (const secret of [res.json().claimCode, card.number, card.number.replace(/-/g, ''), 'Claim Code']) expect(last).not.toContain(secret);
  });

  it.each([
    ['a revoked card', 'revoke', 409, 'card-state-conflict'],
    ['a replaced card', 'replace', 409, 'card-state-conflict'],
  ] as const)('refuses %s', async (_n, action, status, code) => {
    const { card } = await holder();
    await transition(t, card.number, action, 'stolen');
    const res = await newCode(card.number);
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    // Its receipt code died with it, and no new one came.
    expect((await claim({ number: card.number, claimCode: card.claimCode, pin: '482915' })).statusCode).toBe(401);
  });

  it.each([
    ['a malformed number', 'not-a-card', 400, 'card-number-invalid'],
    ['a wrong check character', '0000-0000-01', 400, 'card-number-invalid'],
    ['an unknown card', '0000-0000-00', 404, 'card-not-found'],
  ])('refuses %s', async (_n, number, status, code) => {
    const res = await newCode(number);
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });

  it('a card whose holder was erased answers 410', async () => {
    const { id, card } = await holder();
    const record = (await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') })).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': `"${record.version}"` } })).statusCode).toBe(204);
    const res = await newCode(card.number);
    expect(res.statusCode).toBe(410);
    expect(res.json().code).toBe('card-erased');
  });
});
