import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCredential } from '../../src/credential/index.js';
import { claimsOf } from '../../src/modules/cards/cards-service.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, trustFromJwks } from '../helpers/cards.js';

const NOW = new Date('2026-03-02T10:00:00Z');
let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock: () => NOW });
});
afterAll(() => t.close());

describe('issuing cards to every resident without one (cards:issue-missing)', () => {
  it('issues exactly the missing cards, in batches, each verifiable, with its audit entry and a chain that verifies', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push(await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Bulk Holder ${i}` }, ...(i === 3 ? { birthDate: '2015-05-05', guardianPresent: true } : {}) }));
    const already = await issue(t, ids[0]!);
    const progress: number[] = [];
    const { issued } = await t.app.services.cards.issueMissing({ type: 'system' }, { batchSize: 5, onProgress: (n) => progress.push(n) });
    expect(issued).toBe(22);
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toBe(22);

    const trust = await trustFromJwks(t);
    const numbers = new Set<string>();
    const slots = new Set<number>();
    for (const [i, id] of ids.entries()) {
      const cards = await t.app.services.cards.forResident(id);
      expect(cards.filter((c) => c.status === 'active'), `resident ${i}`).toHaveLength(1);
      const card = await t.app.services.cards.get(cards[0]!.number);
      const r = await verifyCredential(card.qr, { trust, now: NOW });
      expect(r.result).toBe('valid');
      expect(r.claims!.name).toBe(`Bulk Holder ${i}`);
      if (i === 3) expect(r.claims!.expiresOn).toBe('2028-03-02');
      numbers.add(card.number);
      slots.add(claimsOf(card.qr).statusIndex);
    }
    expect(numbers.size).toBe(23);
    expect(slots.size).toBe(23);
    expect(numbers.has(already.number)).toBe(true);

    const audit = (await t.app.inject({ url: '/v1/audit?action=card.issue&limit=500', headers: t.auth('admin') })).json().items;
    expect(audit).toHaveLength(23);
    expect((await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('admin') })).json().ok).toBe(true);

    // Running again finds nothing to do.
    expect((await t.app.services.cards.issueMissing({ type: 'system' })).issued).toBe(0);
  });

  it('imports records from an earlier system with every enrolment rule, all or nothing', async () => {
    const { residents } = t.app.services;
    const before = await residents.count();
    const inputs = Array.from({ length: 40 }, (_, i) => ({ ...REFERENCE_RESIDENT, names: { printed: `Imported Person ${i}` } }));
    const ids = await residents.importMany({ type: 'system' }, inputs as never);
    expect(ids).toHaveLength(40);
    expect(await residents.count()).toBe(before + 40);
    const found = await t.app.inject({ url: '/v1/residents?q=imported', headers: t.auth('clerk') });
    expect(found.json().items.length).toBeGreaterThan(0);
    // One bad record refuses the whole batch, naming it.
    const bad = [...inputs.slice(0, 3), { ...REFERENCE_RESIDENT, names: { printed: 'Evil\u202Ename' } }];
    await expect(residents.importMany({ type: 'system' }, bad as never)).rejects.toMatchObject({ code: 'validation-failed', options: { extra: { index: 3 } } });
    expect(await residents.count()).toBe(before + 40);
    expect((await t.app.services.cards.issueMissing({ type: 'system' })).issued).toBe(40);
    expect((await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('admin') })).json().ok).toBe(true);
  });
});
