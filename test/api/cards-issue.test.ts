import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCredential } from '../../src/credential/index.js';
import { claimsOf } from '../../src/modules/cards/cards-service.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { enrol, givePhoto, issue, readIndependently, REFERENCE_RESIDENT, trustFromJwks } from '../helpers/cards.js';
import { decodeQr, normalise, pageSizes, pageText } from '../unit/pdf/helpers.js';

let now = new Date('2026-03-02T10:00:00Z');
let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(() => t.close());

describe('issuing a card', () => {
  it('refuses a card without a photo: 409 photo-required, no card, nothing audited; with the photo it issues', async () => {
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'No Photo Yet' } });
    const res = await t.app.inject({ method: 'POST', url: `/v1/residents/${id}/cards`, headers: { ...t.auth('clerk'), 'accept-language': 'fr' } });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'photo-required', title: expect.stringContaining('photo') });
    const cards = await t.app.inject({ url: `/v1/residents/${id}/cards`, headers: t.auth('clerk') });
    expect(cards.json().items).toEqual([]);
    const audit = await t.app.inject({ url: `/v1/audit?resident=${id}`, headers: t.auth('admin') });
    expect(audit.json().items.map((e: { action: string }) => e.action)).not.toContain('card.issue');
    await givePhoto(t, id);
    const ok = await t.app.inject({ method: 'POST', url: `/v1/residents/${id}/cards`, headers: t.auth('clerk') });
    expect(ok.statusCode).toBe(201);
  });

  it('answers 201 with number, status, dates and QR text; the card reads back', async () => {
    const id = await enrol(t);
    await givePhoto(t, id);
    const res = await t.app.inject({ method: 'POST', url: `/v1/residents/${id}/cards`, headers: t.auth('clerk') });
    expect(res.statusCode).toBe(201);
    const card = res.json();
    expect(card.number).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    expect(card).toMatchObject({ status: 'active', issuedAt: now.toISOString(), expiresAt: '2031-03-02', expired: false, residentId: id });
    // A Claim 169 text: Base45, no prefix.
    expect(card.qr).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    expect(card.claimCode).toMatch(/^[0-9A-Z]{10}$/);

    const got = await t.app.inject({ url: `/v1/cards/${card.number}`, headers: t.auth('clerk') });
    expect(got.json()).toMatchObject({ number: card.number, status: 'active', qr: card.qr });
    expect(got.json()).not.toHaveProperty('claimCode');
    // Typed sloppily at a desk: lower case, spaces.
    const sloppy = await t.app.inject({ url: `/v1/cards/${card.number.toLowerCase().replace(/-/g, ' ')}`, headers: t.auth('clerk') });
    expect(sloppy.statusCode).toBe(200);
  });

  it('puts only what is printed in the credential, and it verifies against the published keys', async () => {
    const card = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, gender: { marker: 'F', printMarker: false } }));
    const claims = claimsOf(card.qr);
    expect(Object.keys(claims).sort()).toEqual(['birthDate', 'country', 'expiresOn', 'issuedOn', 'issuer', 'name', 'number', 'statusIndex', 'statusUri']);
    expect(claims).toMatchObject({ issuer: t.config.publicUrl, statusUri: `${t.config.publicUrl}/v1/status-list`, country: t.config.country, name: REFERENCE_RESIDENT.names.printed, birthDate: '1987-11-23', issuedOn: '2026-03-02', expiresOn: '2031-03-02' });
    expect(JSON.stringify(claims)).not.toContain('Lilas');
    const result = await verifyCredential(card.qr, { trust: await trustFromJwks(t), now });
    expect(result.result).toBe('valid');
    expect(result.claims).toEqual(claims);
  });

  it('prints the gender marker only when the holder asks', async () => {
    const card = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Alex Morgan' }, gender: { marker: 'X', printMarker: true } }));
    expect(claimsOf(card.qr).marker).toBe('X');
  });

  it('gives a minor the shorter validity, and a partial birth date the full one', async () => {
    const minor = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Lina Teen' }, birthDate: '2010-06-01', guardianPresent: true }));
    expect(minor.expiresAt).toBe('2028-03-02');
    // Born in 2008: may already be 18 on 2 March 2026, so no shorter card for lacking a full date.
    const partial = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Omar Year' }, birthDate: '2008' }));
    expect(partial.expiresAt).toBe('2031-03-02');
    // Born in 2009: certainly a minor.
    const certain = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Omar Younger' }, birthDate: '2009', guardianPresent: true }));
    expect(certain.expiresAt).toBe('2028-03-02');
  });

  it('refuses a second live card for one resident, and cards for no one', async () => {
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Twice Tried' } });
    await issue(t, id);
    const again = await t.app.inject({ method: 'POST', url: `/v1/residents/${id}/cards`, headers: t.auth('clerk') });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'card-already-active', state: 'active' });
    const nobody = await t.app.inject({ method: 'POST', url: '/v1/residents/6b0f3f3e-8f43-4c8e-9a52-3c2b1d0e9f11/cards', headers: t.auth('clerk') });
    expect(nobody.statusCode).toBe(404);
  });

  it('refuses concurrent issuance beyond one live card', async () => {
    const id = await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Race Condition' } });
    await givePhoto(t, id);
    const results = await Promise.all(Array.from({ length: 5 }, () => t.app.inject({ method: 'POST', url: `/v1/residents/${id}/cards`, headers: t.auth('clerk') })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it.each([
    ['a wrong check character', (n: string) => n.slice(0, -1) + (n.endsWith('0') ? '1' : '0'), 400, 'card-number-invalid'],
    ['two neighbours swapped', (n: string) => (n[1] !== n[0] ? n[1]! + n[0]! + n.slice(2) : n.slice(0, -1) + (n.endsWith('0') ? '1' : '0')), 400, 'card-number-invalid'],
    ['garbage', () => '!!!', 400, 'card-number-invalid'],
  ])('refuses a card number with %s', async (_name, mutate, status, code) => {
    const card = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: `Typo ${code}${Math.random()}`.slice(0, 20) } }));
    const res = await t.app.inject({ url: `/v1/cards/${mutate(card.number.replace(/-/g, ''))}`, headers: t.auth('clerk') });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });

  it('answers 404 for a well-formed number that was never issued', async () => {
    const { generateCardNumber } = await import('../../src/credential/index.js');
    const res = await t.app.inject({ url: `/v1/cards/${generateCardNumber((n) => new Uint8Array(n).fill(7))}`, headers: t.auth('clerk') });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('card-not-found');
  });
});

describe('the card PDF', () => {
  it('round trip: issue → PDF → picture of the back → decoded QR → verified claims equal the card', async () => {
    const id = await enrol(t);
    const png = await (await import('sharp')).default({ create: { width: 600, height: 750, channels: 3, background: { r: 90, g: 120, b: 160 } } }).png().toBuffer();
    const etag = (await t.app.inject({ url: `/v1/residents/${id}`, headers: t.auth('clerk') })).headers.etag as string;
    const put = await t.app.inject({ method: 'PUT', url: `/v1/residents/${id}/photo`, headers: { ...t.auth('clerk'), 'content-type': 'image/png', 'if-match': etag }, payload: png });
    expect(put.statusCode).toBe(200);
    const card = await issue(t, id);
    const res = await t.app.inject({ url: `/v1/cards/${card.number}/pdf`, headers: t.auth('clerk') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    const sizes = pageSizes(pdf);
    expect(sizes).toHaveLength(2);
    for (const s of sizes) {
      expect(s.width).toBeCloseTo(242.65, 1);
      expect(s.height).toBeCloseTo(153.01, 1);
    }
    const front = normalise(pageText(pdf, 1));
    expect(front).toContain(REFERENCE_RESIDENT.names.printed);
    expect(front).toContain(card.number);
    expect(front).toContain('1987-11-23');
    const decoded = decodeQr(pdf, 2);
    expect(decoded).toBe(card.qr);
    const result = await verifyCredential(decoded!, { trust: await trustFromJwks(t), now });
    expect(result.result).toBe('valid');
    expect(result.claims).toMatchObject({ number: card.number.replace(/-/g, ''), name: REFERENCE_RESIDENT.names.printed, birthDate: '1987-11-23', expiresOn: card.expiresAt });
    expect((await readIndependently(t, decoded!, card.number)).identity.get(4)).toBe(REFERENCE_RESIDENT.names.printed);
  });

  it('prints labels in the asked language, and the A4 sheet for office printers', async () => {
    const card = await issue(t, await enrol(t, { ...REFERENCE_RESIDENT, names: { printed: 'Sheet Printer' } }));
    const ar = await t.app.inject({ url: `/v1/cards/${card.number}/pdf?lang=ar`, headers: t.auth('clerk') });
    const en = await t.app.inject({ url: `/v1/cards/${card.number}/pdf?lang=en`, headers: t.auth('clerk') });
    expect(normalise(pageText(ar.rawPayload, 2))).not.toEqual(normalise(pageText(en.rawPayload, 2)));
    const sheet = await t.app.inject({ url: `/v1/cards/${card.number}/pdf?layout=sheet`, headers: t.auth('clerk') });
    const [a4] = pageSizes(sheet.rawPayload);
    expect(a4!.width).toBeCloseTo(595.28, 0);
    expect(a4!.height).toBeCloseTo(841.89, 0);
    const bad = await t.app.inject({ url: `/v1/cards/${card.number}/pdf?lang=xx`, headers: t.auth('clerk') });
    expect(bad.statusCode).toBe(400);
  });
});
