/**
 * What a holder and a checker see on a card: the QR code scans back to the
 * credential, dates as recorded, a gender marker only when chosen, the A4
 * sheet for office printers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCardRenderer, loadTheme, qrMatrix, type CardRenderer, type CardTheme, type CardView } from '../../../src/pdf/index.js';
import { sampleQrText, sampleViews } from '../../../src/pdf/samples.js';
import { decodeQr, inkShare, normalise, pageSizes, pageText } from './helpers.js';

let renderer: CardRenderer;
let theme: CardTheme;
let base: CardView;

beforeAll(async () => {
  renderer = await createCardRenderer();
  theme = await loadTheme();
  base = (await sampleViews(theme)).find((s) => s.id === 'latin')!.view;
});

const view = (patch: Partial<CardView>): CardView => ({ ...base, ...patch });

describe('QR code', () => {
  it('scans back from the printed back page to the exact QR text', async () => {
    const pdf = await renderer.card(base);
    expect(decodeQr(pdf, 2)).toBe(base.qrText);
  });

  it('a longer credential (306 bytes, 459 Base45 characters, version 13: a long Devanagari name) still scans at 150 dpi', async () => {
    const qrText = sampleQrText('long', 306);
    expect(qrMatrix(qrText).size).toBeGreaterThanOrEqual(69);
    const pdf = await renderer.card(view({ qrText }));
    expect(decodeQr(pdf, 2)).toBe(qrText);
  });

  it('fills the back: the symbol with its quiet zone spans nearly the whole card height', async () => {
    const pdf = await renderer.card(base);
    const size = qrMatrix(base.qrText).size;
    const side = 153.01 - 8;
    const module = side / (size + 8);
    // Quiet zone is white; the symbol right inside it is dark (finder pattern corner).
    expect(inkShare(pdf, 2, { x: 4.5, y: 4.5, w: 4 * module - 1, h: side - 1 })).toBe(0);
    expect(inkShare(pdf, 2, { x: 4 + 4 * module + 0.5, y: 4 + 4 * module + 0.5, w: module - 1, h: 5 * module })).toBeGreaterThan(0.95);
    expect(side).toBeGreaterThan(140);
  });
});

describe('front fields', () => {
  const front = async (patch: Partial<CardView>): Promise<string> => normalise(pageText(await renderer.card(view(patch)), 1));

  it('a year-month birth date is printed as recorded', async () => {
    const text = await front({ birthDate: '1990-04' });
    expect(text).toMatch(/(^| )1990-04( |$)/);
  });

  it('a year-only birth date is printed as recorded', async () => {
    const text = await front({ birthDate: '1990' });
    expect(text).toMatch(/(^| )1990( |$)/);
    expect(text).not.toMatch(/1990-/);
  });

  it('an unknown birth date says so, in the holder’s and the official language', async () => {
    expect(await front({ birthDate: null, holderLanguage: 'es', officialLanguage: 'fr' })).toContain('desconocida / inconnue');
    expect(await front({ birthDate: null, holderLanguage: 'en', officialLanguage: 'en' })).toMatch(/Date of birth unknown|Date of birth.*unknown/);
    expect(await front({ birthDate: null, holderLanguage: 'ar', officialLanguage: 'fr' })).toContain('غير معروف');
  });

  it('no gender marker: neither the label nor a value', async () => {
    const { marker: _omit, ...rest } = base;
    const pdf = await renderer.card({ ...rest, holderLanguage: 'en', officialLanguage: 'fr' });
    const text = normalise(pageText(pdf, 1));
    expect(text).not.toContain('Gender');
    expect(text).not.toContain('Genre');
    expect(text).not.toMatch(/(^| )F( |$)/);
  });

  it('a chosen gender marker is printed with its label', async () => {
    const text = await front({ marker: 'X', holderLanguage: 'en', officialLanguage: 'fr' });
    expect(text).toContain('Gender');
    expect(text).toMatch(/(^| )X( |$)/);
  });

  it('one language only when the holder’s is the official one', async () => {
    const text = await front({ holderLanguage: 'fr', officialLanguage: 'fr' });
    expect(text).toContain('Date de naissance');
    expect(text).not.toContain('Date of birth');
    expect(text).not.toContain('Fecha de nacimiento');
  });

  it('a card without photo shows a placeholder saying so', async () => {
    const { photoJpeg: _omit, ...rest } = base;
    const text = normalise(pageText(await renderer.card({ ...rest, holderLanguage: 'pt' }), 1));
    expect(text).toContain('Sem foto');
  });

  it('the photo is on the front, as a JPEG', async () => {
    const pdf = await renderer.card(base);
    expect(pdf.includes(Buffer.from('/DCTDecode'))).toBe(true);
    // The photo area is drawn (not blank).
    expect(inkShare(pdf, 1, { x: 12, y: 42, w: 60, h: 78 })).toBeGreaterThan(0.6);
  });

  it('the theme’s label overrides win over the translations', async () => {
    const custom: CardTheme = { ...theme, labels: { fr: { title: 'Carte municipale de Saint-Aubin' } } };
    const text = await front({ theme: custom, holderLanguage: 'es', officialLanguage: 'fr' });
    expect(text).toContain('Carte municipale de Saint-Aubin');
    expect(text).toContain('Tarjeta de ciudadanía local');
  });

  it('no holder data in the PDF metadata', async () => {
    const pdf = (await renderer.card(base)).toString('latin1');
    expect(pdf).not.toContain('Zo');
    expect(pdf).not.toContain(base.number);
  });

  it('rejects a malformed birth date rather than printing it', async () => {
    await expect(renderer.card(view({ birthDate: '04/1990' }))).rejects.toThrow(/birthDate/);
  });
});

describe('A4 sheet', () => {
  it('is one A4 page with front and back, both readable, the QR scannable', async () => {
    const pdf = await renderer.sheet(base);
    const sizes = pageSizes(pdf);
    expect(sizes).toEqual([{ width: expect.closeTo(595.28, 1) as number, height: expect.closeTo(841.89, 1) as number }]);
    const text = normalise(pageText(pdf, 1));
    expect(text).toContain('Zoë Łukasiewicz-Ñúñez');
    expect(text).toContain('Recto');
    expect(text).toContain('Verso');
    expect(text).toContain('Imprimer en taille réelle');
    expect(decodeQr(pdf, 1, 150)).toBe(base.qrText);
  });
});
