/**
 * Every name the card accepts prints whole (issue 15, item 3): a name at the
 * print limit of each script — wide Latin capitals, Arabic, Devanagari,
 * Chinese and Japanese — reads back complete from the PDF's text layer of
 * the card and of the A4 sheet, and every word of it lies inside the name box
 * (pdftotext -bbox); a name one letter longer is what enrolment refuses.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { A4_WIDTH, CARD_HEIGHT, CARD_WIDTH, createCardRenderer, loadFonts, loadTheme, type CardRenderer, type CardView, type FontSet } from '../../../src/pdf/index.js';
import { layoutNames, lineBreaks, NAME_BOX, PRINTED_NAME } from '../../../src/pdf/name-layout.js';
import { sampleViews } from '../../../src/pdf/samples.js';
import { fontKey, registerFonts, shapeLine, FEATURES } from '../../../src/pdf/text.js';
import { atLimit, NAME_KINDS, type NameKind } from '../../helpers/long-names.js';
import { normalise, pageText } from './helpers.js';

let renderer: CardRenderer;
let fonts: FontSet;
let base: CardView;

beforeAll(async () => {
  fonts = await loadFonts();
  renderer = await createCardRenderer({ fonts });
  base = (await sampleViews(await loadTheme())).find((s) => s.id === 'latin')!.view;
});

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Words of one page with their boxes, as poppler places them. */
function words(pdf: Buffer, page: number): Word[] {
  const dir = mkdtempSync(join(tmpdir(), 'lcc-bbox-'));
  try {
    writeFileSync(join(dir, 'c.pdf'), pdf);
    const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), '-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
    return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      xMin: Number(m[1]),
      yMin: Number(m[2]),
      xMax: Number(m[3]),
      yMax: Number(m[4]),
      text: m[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const squeeze = (s: string) => normalise(s).replace(/\s+/g, '');

/**
 * The page's text as a reader copies it: in drawing order (pdftotext -raw,
 * which neither interleaves the name's lines with the fields beside them nor
 * joins a line ending in a hyphen), or for right-to-left text in poppler's
 * reading order (which puts each right-to-left line back in logical order).
 */
function textLayer(pdf: Buffer, page: number, rtl: boolean): string {
  if (rtl) return pageText(pdf, page);
  const dir = mkdtempSync(join(tmpdir(), 'lcc-raw-'));
  try {
    writeFileSync(join(dir, 'c.pdf'), pdf);
    return execFileSync('pdftotext', ['-raw', '-f', String(page), '-l', String(page), '-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The words of `name` on the page (by content), which must all be there. */
function nameWords(all: Word[], name: string): Word[] {
  const want = [...new Set(normalise(name).split(' ').map(squeeze))];
  // Poppler gives right-to-left words' letters in visual order.
  const forms = (t: string) => [squeeze(t), Array.from(squeeze(t)).reverse().join('')];
  return all.filter((w) => squeeze(w.text).length > 0 && forms(w.text).some((f) => want.some((x) => x.includes(f) || f.includes(x))));
}

/**
 * Every word across the name box (0.5 pt of tolerance for poppler's
 * rounding) and within the page. Poppler's word boxes are the font's
 * ascent to descent (much taller than the ink for the CJK and Devanagari
 * fonts), so vertically each word's middle must lie in the box and the whole
 * box on the page; the ink's height is the layout's (tested below).
 */
function expectInside(ws: Word[], box: { x: number; y: number; w: number; h: number }, page: { w: number; h: number }, what: string) {
  expect(ws.length, what).toBeGreaterThan(0);
  for (const w of ws) {
    expect(w.xMin, `${what}: "${w.text}" left`).toBeGreaterThanOrEqual(box.x - 0.5);
    expect(w.xMax, `${what}: "${w.text}" right`).toBeLessThanOrEqual(box.x + box.w + 0.5);
    expect((w.yMin + w.yMax) / 2, `${what}: "${w.text}" middle`).toBeGreaterThanOrEqual(box.y);
    expect((w.yMin + w.yMax) / 2, `${what}: "${w.text}" middle`).toBeLessThanOrEqual(box.y + box.h);
    expect(w.yMin, `${what}: "${w.text}" on the page`).toBeGreaterThanOrEqual(0);
    expect(w.yMax, `${what}: "${w.text}" on the page`).toBeLessThanOrEqual(page.h);
    expect(w.xMax, `${what}: "${w.text}" on the page`).toBeLessThanOrEqual(page.w);
  }
}

const layout = (names: { printed: string; original?: string }) => renderer.layoutNames(names);
const KINDS = Object.keys(NAME_KINDS) as NameKind[];

describe('a name at the print limit of its script is whole on the card and the sheet', () => {
  for (const kind of KINDS) {
    for (const field of ['printed', 'original'] as const) {
      it(`${kind}, as the ${field} name`, async () => {
        const { fits, over } = await atLimit(layout, kind, field);
        expect((await layout(field === 'printed' ? { printed: over } : { printed: 'Ana Li', original: over })).fits).toBe(false);

        const view: CardView = field === 'printed' ? { ...base, printedName: fits } : { ...base, printedName: 'Ana Li', originalName: fits };
        const card = await renderer.card(view);
        // The text layer holds the whole name, in order (line breaks aside).
        expect(squeeze(textLayer(card, 1, kind === 'arabic'))).toContain(squeeze(fits));
        // Inside the name box, which is inside the card: nothing cut at the edge or under the photo.
        const box = { x: NAME_BOX.x, y: NAME_BOX.top, w: NAME_BOX.width, h: NAME_BOX.bottom - NAME_BOX.top };
        expectInside(nameWords(words(card, 1), fits), box, { w: CARD_WIDTH, h: CARD_HEIGHT }, `${kind} card`);
        expect(box.x + box.w).toBeLessThan(CARD_WIDTH);
        expect(box.y + box.h).toBeLessThan(CARD_HEIGHT);
        // Fields below the names stay on the card (the expiry date is its lowest text but the stripe).
        const l = await layout(field === 'printed' ? { printed: fits } : { printed: 'Ana Li', original: fits });
        expect(l.fits).toBe(true);
        const expiry = words(card, 1).find((w) => w.text === view.expiresOn)!;
        expect(expiry.yMax, 'the last field row stays above the footer stripe').toBeLessThanOrEqual(CARD_HEIGHT - 4 + 0.5);

        // The A4 sheet draws the same front at actual size: the name in the left card's name box.
        const sheet = await renderer.sheet(view);
        expect(squeeze(textLayer(sheet, 1, kind === 'arabic'))).toContain(squeeze(fits));
        const x1 = (A4_WIDTH - 2 * CARD_WIDTH - 36) / 2;
        expectInside(nameWords(words(sheet, 1), fits).filter((w) => w.xMax < x1 + CARD_WIDTH + 1), { ...box, x: box.x + x1, y: box.y + 96 }, { w: A4_WIDTH, h: 842 }, `${kind} sheet`);
      });
    }
  }

  it('the limits per script, as figures (code points of the longest name that prints)', async () => {
    const figures: Record<string, number> = {};
    for (const kind of KINDS) figures[kind] = [...(await atLimit(layout, kind)).fits].length;
    console.log('print limits (code points, printed name, 2 lines at >= 7 pt):', figures);
    // Two lines of 52.8 mm at 7 pt: about 40 wide Latin capitals, 42 ideographs; narrower scripts more.
    expect(figures.latinWide).toBeGreaterThanOrEqual(36);
    expect(figures.cjk).toBeGreaterThanOrEqual(40);
    expect(figures.arabic).toBeGreaterThan(figures.latinWide!);
  });
});

describe('how a name is set', () => {
  it('a short name stays on one line at 11.5 pt where it always was', () => {
    const l = layoutNames(fonts, { printed: 'Amina Haddad' });
    expect(l.printed).toHaveLength(1);
    expect(l.printed[0]!.line.size).toBe(PRINTED_NAME.maxSize);
    expect(l.printed[0]!.baseline).toBeCloseTo(56.55, 1);
    expect(l.fieldsTop).toBe(64);
  });

  it('two names on two lines each keep their ink apart and end above the fields, inside the box', () => {
    const l = layoutNames(fonts, { printed: 'María-Fernanda Rodriguez-Villanueva de la Concepción Wójcik', original: 'प्रिया शर्मा कुमारी देवी प्रिया शर्मा कुमारी देवी प्रिया शर्मा कुमारी देवी' });
    expect(l.fits).toBe(true);
    const lines = [...l.printed, ...l.original];
    expect(lines).toHaveLength(4);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.baseline - lines[i - 1]!.baseline).toBeGreaterThanOrEqual(1.15 * Math.min(lines[i]!.line.size, lines[i - 1]!.line.size) - 0.01);
    expect(l.bottom).toBeLessThanOrEqual(NAME_BOX.bottom + 0.01);
    expect(l.fieldsTop).toBeGreaterThan(l.bottom);
    for (const { line } of lines) expect(line.width).toBeLessThanOrEqual(NAME_BOX.width + 0.01);
  });

  it('the 60-letter name of the report wraps to two lines instead of losing "…eva"', async () => {
    const name = 'María-Fernanda Rodriguez-Villanueva de la Concepción Wójcik';
    const l = layoutNames(fonts, { printed: name });
    expect(l.fits).toBe(true);
    expect(l.printed).toHaveLength(2);
    expect(l.printed[0]!.line.size).toBeGreaterThanOrEqual(PRINTED_NAME.minSize);
    const card = await renderer.card({ ...base, printedName: name });
    expect(squeeze(textLayer(card, 1, false))).toContain(squeeze(name));
  });

  it('breaks at spaces and after hyphens first, between ideographs only when needed', () => {
    expect(lineBreaks('Ana Rodriguez-Villa').preferred).toEqual([
      ['Ana', 'Rodriguez-Villa'],
      ['Ana Rodriguez-', 'Villa'],
    ]);
    expect(lineBreaks('王小明').other).toEqual([
      ['王', '小明'],
      ['王小', '明'],
    ]);
    expect(lineBreaks('王小明').preferred).toEqual([]);
  });

  it("measures as pdfkit's widthOfString does, with the font the card uses for each script", () => {
    const doc = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
    registerFonts(doc, fonts);
    for (const text of ['WWMM Wójcik', 'محمد عبدالله', 'प्रिया शर्मा', '王小明髙橋']) {
      const line = shapeLine(fonts, text, 10, 'bold');
      let pdfkit = 0;
      for (const run of line.runs) pdfkit += doc.font(fontKey(run.family, 'bold')).fontSize(10).widthOfString(run.text, { features: FEATURES } as PDFKit.Mixins.TextOptions);
      expect(line.width, text).toBeCloseTo(pdfkit, 3);
    }
  });

  it('a name that cannot be set says which field and what size it would need', () => {
    const l = layoutNames(fonts, { printed: 'W'.repeat(30) });
    expect(l.fits).toBe(false);
    expect(l.report).toEqual([expect.objectContaining({ field: 'printed', fits: false, neededSize: expect.any(Number) })]);
    expect(l.report[0]!.neededSize).toBeLessThan(PRINTED_NAME.minSize);
    // Still drawn whole, smaller, inside the box's width (a record from before the rule).
    expect(l.printed[0]!.line.width).toBeLessThanOrEqual(NAME_BOX.width + 0.01);
  });
});
