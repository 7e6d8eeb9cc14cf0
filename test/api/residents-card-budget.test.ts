/**
 * A name must fit the card it is printed and signed on (issue 13, finding
 * 9): the budget is in UTF-8 bytes, so a Devanagari name of 96 characters
 * (288 bytes) passes the 100-character limit yet cannot be signed. Enrolment,
 * edits and imports refuse it with its own code; bulk issuance skips a record
 * that slipped in anyway and issues everyone else.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_NAME_MAX_BYTES } from '../../src/modules/residents/card-budget.js';
import { createResidentSealer } from '../../src/modules/residents/resident-sealing.js';
import { createResidentKeys } from '../../src/modules/residents/resident-keys.js';
import { residents as residentsTable } from '../../src/modules/residents/residents-tables.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT } from '../helpers/cards.js';
import { NAME_KINDS } from '../helpers/long-names.js';

const NOW = new Date('2026-03-02T10:00:00Z');
/** 96 code points of Devanagari letters (3 bytes each in UTF-8): 288 bytes. */
const DEVANAGARI_96 = Array.from({ length: 96 }, (_, i) => String.fromCodePoint(0x0915 + (i % 36))).join('');
/**
 * Exactly at the byte limit: 62 Devanagari code points in words (186 bytes,
 * with their 10 spaces 196) and " abc", short enough on paper to print whole
 * (two lines at 7 pt or more; residents-card-print.test.ts holds the print limit).
 */
const AT_LIMIT = `${NAME_KINDS.devanagari.build(62)} abc`;

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock: () => NOW });
});
afterAll(() => t.close());

/** What an official at a desk sees for this QR. */
async function verifyAsOfficial(qr: string) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/verify', headers: t.auth('official'), payload: { qr } });
  expect(res.statusCode).toBe(200);
  return res.json();
}

function expectCardBudgetProblem(body: Record<string, unknown>, path: string) {
  expect(body.code).toBe('name-too-long-for-card');
  expect(body.maxBytes).toBe(CARD_NAME_MAX_BYTES);
  expect(String(body.detail)).toContain(String(CARD_NAME_MAX_BYTES));
  expect(body.errors).toEqual([{ path, message: expect.stringContaining('288 bytes') }]);
}

describe('a name is measured in the bytes the card holds', () => {
  it('the test names are what they claim', () => {
    expect([...DEVANAGARI_96]).toHaveLength(96);
    expect(Buffer.byteLength(DEVANAGARI_96)).toBe(288);
    expect(Buffer.byteLength(AT_LIMIT)).toBe(CARD_NAME_MAX_BYTES);
  });

  it('enrolment refuses a 96-character Devanagari printed name with 422 name-too-long-for-card, the limit in the detail', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { ...REFERENCE_RESIDENT, names: { printed: DEVANAGARI_96 } } });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectCardBudgetProblem(res.json(), '/body/names/printed');
  });

  it('the original-script name is printed too, so it is held to the same budget; the legal name is not printed', async () => {
    const original = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { ...REFERENCE_RESIDENT, names: { printed: 'Asha Verma', original: DEVANAGARI_96 } } });
    expect(original.statusCode).toBe(422);
    expectCardBudgetProblem(original.json(), '/body/names/original');
    const legal = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { ...REFERENCE_RESIDENT, names: { printed: 'Asha Verma', legal: DEVANAGARI_96 } } });
    expect(legal.statusCode).toBe(201);
  });

  it('another fault in the same request is reported with it, as validation-failed', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { ...REFERENCE_RESIDENT, preferredLanguage: 'xx', names: { printed: DEVANAGARI_96 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation-failed');
    expect(res.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['/body/names/printed', '/body/preferredLanguage']);
  });

  it('a name at exactly the limit is enrolled, issued and verifies with that name', async () => {
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: AT_LIMIT } });
    const card = await issue(t, id);
    const r = await verifyAsOfficial(card.qr);
    expect(r.result).toBe('valid');
    expect(r.card.name).toBe(AT_LIMIT);
    const over = await t.app.inject({ method: 'POST', url: '/v1/residents', headers: t.auth('clerk'), payload: { ...REFERENCE_RESIDENT, names: { printed: `${AT_LIMIT} b` } } });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('name-too-long-for-card');
  });

  it('an edit (PATCH) to such a name is refused and leaves the record as it was', async () => {
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Ravi Kumar' } });
    const res = await t.app.inject({ method: 'PATCH', url: `/v1/residents/${id}`, headers: { ...t.auth('clerk'), 'if-match': '"1"' }, payload: { names: { printed: DEVANAGARI_96 } } });
    expect(res.statusCode).toBe(422);
    expectCardBudgetProblem(res.json(), '/body/names/printed');
    const now = await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') });
    expect(now.json().names.printed).toBe('Ravi Kumar');
  });

  it('an import refuses the batch naming the record, and keeps none of it', async () => {
    const before = await t.app.services.residents.count();
    const inputs = [{ ...REFERENCE_RESIDENT, names: { printed: 'Imported One' } }, { ...REFERENCE_RESIDENT, names: { printed: DEVANAGARI_96 } }];
    await expect(t.app.services.residents.importMany({ type: 'system' }, inputs as never)).rejects.toMatchObject({ code: 'name-too-long-for-card', options: { extra: { index: 1, maxBytes: CARD_NAME_MAX_BYTES } } });
    expect(await t.app.services.residents.count()).toBe(before);
  });
});

describe('bulk issuance skips a record it cannot sign and issues the rest', () => {
  it('one record with an unsignable name (written past enrolment) is reported; every other resident gets a card', async () => {
    // Everyone enrolled so far gets a card first, so the run below sees only this test's records.
    await t.app.services.cards.issueMissing({ type: 'system' });
    const good: string[] = [];
    for (let i = 0; i < 7; i++) good.push(await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Batch Holder ${i}` } }));
    const bad = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Placeholder Name' } });
    for (let i = 7; i < 10; i++) good.push(await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Batch Holder ${i}` } }));

    // Straight into the row, as an older release or a hand-made import would have left it.
    const { db, cipher, blindIndex } = t.app.services;
    const sealer = createResidentSealer(blindIndex);
    const holder = (await createResidentKeys(cipher).forResident(db, bad))!;
    const [row] = await db.select().from(residentsTable).where(eq(residentsTable.id, bad));
    const data = sealer.decrypt(row!, holder);
    await db.update(residentsTable).set({ names: sealer.sealed(holder, { ...data, names: { printed: DEVANAGARI_96 } }).names }).where(eq(residentsTable.id, bad));

    const { issued, failed } = await t.app.services.cards.issueMissing({ type: 'system' }, { batchSize: 4 });
    expect(issued).toBe(10);
    expect(failed).toEqual([{ residentId: bad, reason: expect.stringMatching(/^malformed: /) }]);
    expect(failed[0]!.reason).not.toContain(DEVANAGARI_96.slice(0, 3));

    for (const id of good) {
      const cards = await t.app.services.cards.forResident(id);
      expect(cards.filter((c) => c.status === 'active'), id).toHaveLength(1);
      const card = await t.app.services.cards.get(cards[0]!.number);
      expect((await verifyAsOfficial(card.qr)).result).toBe('valid');
    }
    expect(await t.app.services.cards.forResident(bad)).toHaveLength(0);
    expect((await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('admin') })).json().ok).toBe(true);

    // Issuing that one card at the desk is a clear refusal, not a 500.
    const single = await t.app.inject({ method: 'POST', url: `/v1/residents/${bad}/cards`, headers: t.auth('clerk') });
    expect(single.statusCode).toBe(422);
    expect(single.json()).toMatchObject({ code: 'name-too-long-for-card', maxBytes: CARD_NAME_MAX_BYTES, errors: [{ path: '/names/printed', message: expect.stringContaining('288 bytes') }] });

    // Running again issues nothing new and still reports the record until it is fixed.
    const again = await t.app.services.cards.issueMissing({ type: 'system' });
    expect(again).toEqual({ issued: 0, failed: [{ residentId: bad, reason: expect.any(String) }] });
  });
});
