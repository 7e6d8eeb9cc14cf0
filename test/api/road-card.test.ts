/**
 * The card for the road (issue 19): an optional emergency contact and a
 * "rights and help" panel, each printed only when the holder asks, never in
 * the QR code (decoded here from the printed card), sealed at rest like the
 * rest of the record, changed or removed by the holder from the portal, and
 * erased with the record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromQrText } from '../../src/credential/index.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, issue, REFERENCE_RESIDENT, type Issued } from '../helpers/cards.js';
import { dumpDatabase, forms } from '../helpers/dump.js';
import { decodeQr, normalise, pageSizes, pageText } from '../unit/pdf/helpers.js';

const CONTACT = { name: 'Samira Benali', phone: '+33 6 12 34 56 78', print: true };
const PIN = '583920';
let t: TestContext;
let residentId: string;
let card: Issued;
let token: string;

const pdfOf = async (number: string, lang?: string) => {
  const res = await t.app.inject({ url: `/v1/cards/${number}/pdf${lang ? `?lang=${lang}` : ''}`, headers: t.auth('clerk') });
  expect(res.statusCode).toBe(200);
  return res.rawPayload;
};
const allText = (pdf: Buffer) => normalise(pageSizes(pdf).map((_, i) => pageText(pdf, i + 1)).join('\n'));

beforeAll(async () => {
  t = await createTestApp();
  residentId = await enrol(t, { ...REFERENCE_RESIDENT, preferredLanguage: 'ar', emergencyContact: CONTACT, printRightsPanel: true });
  card = await issue(t, residentId);
  const claim = await t.app.inject({ method: 'POST', url: '/v1/self/claim', payload: { number: card.number, claimCode: card.claimCode, pin: PIN }, remoteAddress: '10.77.0.1' });
  expect(claim.statusCode, claim.body).toBe(200);
  token = claim.json().accessToken;
}, 60_000);
afterAll(async () => t.close());

describe('printed when asked', () => {
  it('the back prints the contact and the help lines, a third page the rights in the holder’s language (Arabic) and the city’s (French)', async () => {
    const pdf = await pdfOf(card.number);
    expect(pageSizes(pdf)).toHaveLength(3);
    const back = normalise(pageText(pdf, 2));
    expect(back).toContain('Samira Benali');
    expect(back.replace(/\s/g, '')).toContain('+33612345678');
    const rights = normalise(pageText(pdf, 3));
    expect(rights).toContain('Droits et aide');
    expect(rights).toContain('Ne signez pas un document que vous ne comprenez pas.');
    // Arabic is extracted in visual order by pdftotext: check a word of the title and of the rights.
    expect(rights).toMatch(/الحقوق|قوقحلا/);
  });

  it('the QR code printed on the card holds neither the contact’s name nor the phone', async () => {
    const qr = decodeQr(await pdfOf(card.number), 2);
    expect(qr).toBe(card.qr);
    const bytes = Buffer.from(fromQrText(qr!));
    for (const secret of ['Samira', 'Benali', '612345678', '12 34 56 78']) expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });

  it('the contact is sealed at rest: the database dump holds it in no form', async () => {
    const dump = await dumpDatabase(t.database);
    for (const secret of ['Samira Benali', 'Benali', '+33 6 12 34 56 78']) for (const f of forms(secret)) expect(dump.includes(f), f).toBe(false);
  });
});

describe('absent when not asked', () => {
  it('a record without them prints two pages and no road text; a contact with print: false is kept but not printed', async () => {
    const plain = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Ana Costa' } }));
    const text = allText(await pdfOf(plain.number, 'fr'));
    expect(pageSizes(await pdfOf(plain.number))).toHaveLength(2);
    expect(text).not.toContain("Contact d'urgence");
    expect(text).not.toContain('Droits et aide');
    const kept = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Rui Lopes' }, emergencyContact: { ...CONTACT, name: 'Hidden Person', print: false } });
    const record = (await t.app.inject({ url: `/v1/residents/${kept}`, headers: t.auth('clerk') })).json();
    expect(record.emergencyContact).toEqual({ name: 'Hidden Person', phone: CONTACT.phone, print: false });
    const keptCard = await issue(t, kept);
    const keptText = allText(await pdfOf(keptCard.number, 'fr'));
    expect(keptText).not.toContain('Hidden Person');
    expect(keptText.replace(/\s/g, '')).not.toContain('612345678');
  });
});

describe('the holder changes it from the portal', () => {
  const road = (payload: Record<string, unknown>, auth = `Bearer ${token}`) => t.app.inject({ method: 'PATCH', url: '/v1/self/road', headers: { authorization: auth }, payload });
  const selfPdf = async () => (await t.app.inject({ url: '/v1/self/card.pdf', headers: { authorization: `Bearer ${token}` } })).rawPayload;

  it.each([
    ['a phone with letters', { emergencyContact: { phone: 'call me' } }, '/body/emergencyContact/phone'],
    ['a phone of 3 digits', { emergencyContact: { phone: '112' } }, '/body/emergencyContact/phone'],
    ['a phone too long', { emergencyContact: { phone: '1'.repeat(31) } }, '/body/emergencyContact/phone'],
    ['a name too long', { emergencyContact: { phone: '+33 6 00 00 00 00', name: 'x'.repeat(101) } }, '/body/emergencyContact/name'],
    ['an unknown member', { emergencyContact: { phone: '+33 6 00 00 00 00', email: 'a@b.c' } }, '/body/emergencyContact'],
    ['nothing', {}, '/body'],
  ])('%s → 400 validation-failed naming the field', async (_name, body, path) => {
    const res = await road(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation-failed');
    expect(JSON.stringify(res.json().errors)).toContain(path);
  });

  it('needs the resident’s own session', async () => {
    expect((await road({ printRightsPanel: false }, t.auth('clerk').authorization)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PATCH', url: '/v1/self/road', payload: { printRightsPanel: false } })).statusCode).toBe(401);
  });

  it('a new contact is printed on the next download; removed (null), it is gone from the card and the record', async () => {
    const changed = await road({ emergencyContact: { name: 'Karim Benali', phone: '+212 6 11 22 33 44', print: true } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toEqual({ emergencyContact: { name: 'Karim Benali', phone: '+212 6 11 22 33 44', print: true }, printRightsPanel: true });
    expect(normalise(pageText(await selfPdf(), 2))).toContain('Karim Benali');
    const removed = await road({ emergencyContact: null, printRightsPanel: false });
    expect(removed.json()).toEqual({ printRightsPanel: false });
    const pdf = await selfPdf();
    expect(pageSizes(pdf)).toHaveLength(2);
    expect(allText(pdf)).not.toContain('Karim');
    const data = (await t.app.inject({ url: '/v1/self/data', headers: { authorization: `Bearer ${token}` } })).json();
    expect(data.resident.emergencyContact).toBeUndefined();
  });

  it('erased with the record: after DELETE /v1/self the contact is in no form in the database', async () => {
    await road({ emergencyContact: { name: 'Leila Benali', phone: '+216 20 123 456', print: true } });
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/self', headers: { authorization: `Bearer ${token}` }, payload: { confirm: true } })).statusCode).toBe(204);
    const dump = await dumpDatabase(t.database);
    for (const secret of ['Leila Benali', '+216 20 123 456']) for (const f of forms(secret)) expect(dump.includes(f), f).toBe(false);
  });
});
