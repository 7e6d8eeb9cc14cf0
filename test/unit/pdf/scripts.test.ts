/**
 * A card prints every script correctly: right page size, and the name reads
 * back from the PDF exactly as typed (pdftotext), Arabic and Hebrew in
 * logical order, shaped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH, createCardRenderer, loadTheme, type CardRenderer } from '../../../src/pdf/index.js';
import { sampleViews, type Sample } from '../../../src/pdf/samples.js';
import { normalise, pageSizes, pageText } from './helpers.js';

let renderer: CardRenderer;
let samples: Sample[];

beforeAll(async () => {
  renderer = await createCardRenderer();
  samples = await sampleViews(await loadTheme());
});

function sample(id: string): Sample {
  const s = samples.find((x) => x.id === id);
  if (!s) throw new Error(`no sample ${id}`);
  return s;
}

/** What each script's card must show on its front, beyond the sample's own names. */
const EXPECTED: Record<string, string[]> = {
  latin: ['Zoë Łukasiewicz-Ñúñez', 'Nombre', 'Fecha de nacimiento', '1987-11-23'],
  arabic: ['Amina Haddad', 'أمينة حداد', 'الاسم', 'تاريخ الميلاد', 'رقم البطاقة', 'بطاقة المواطنة المحلية'],
  hebrew: ['Noa Levi', 'נועה לוי'],
  cyrillic: ['Олександр Шевченко', 'Oleksandr Shevchenko'],
  greek: ['Σοφία Παπαδοπούλου'],
  devanagari: ['Priya Sharma', 'प्रिया शर्मा'],
  cjk: ['王小明', '髙橋 さくら'],
  korean: ['Kim Min-jun', '김민준'],
  vietnamese: ['Nguyễn Thị Phương Thảo'],
};

describe('a card in every script', () => {
  for (const id of Object.keys(EXPECTED)) {
    it(`${id}: two ID-1 pages, the name reads back as typed`, async () => {
      const { view } = sample(id);
      const pdf = await renderer.card(view);

      const sizes = pageSizes(pdf);
      expect(sizes).toHaveLength(2);
      for (const s of sizes) {
        expect(s.width).toBeCloseTo(242.65, 1);
        expect(s.height).toBeCloseTo(153.01, 1);
      }
      expect(CARD_WIDTH).toBeCloseTo(242.646, 2);
      expect(CARD_HEIGHT).toBeCloseTo(153.014, 2);

      const front = normalise(pageText(pdf, 1));
      for (const want of [...EXPECTED[id]!, view.number, view.expiresOn, 'Ville de Saint-Aubin']) {
        expect(front).toContain(normalise(want));
      }
      // Nothing fell back to a missing glyph.
      expect(front).not.toMatch(/[\ufffd]/);

      const back = normalise(pageText(pdf, 2));
      expect(back).toContain(view.issuedOn);
      expect(back).toContain(view.number);
      // The holder's language on the back; the city's official one beside it.
      expect(back).toContain(normalise('Scannez le code pour vérifier cette carte, même hors ligne.'));
    });
  }

  it('arabic labels read right to left and the verify line is in Arabic', async () => {
    const { view } = sample('arabic');
    const back = normalise(pageText(await renderer.card(view), 2));
    expect(back).toContain('امسح الرمز للتحقق من هذه البطاقة');
    expect(back).toContain('تاريخ الإصدار');
  });

  it('a letter shared by a composite glyph still reads back on the next card (font cache)', async () => {
    // Ñ makes fontkit cache N's glyph while subsetting; the next card must still extract "N".
    await renderer.card(sample('latin').view);
    const front = normalise(pageText(await renderer.card(sample('hebrew').view), 1));
    expect(front).toContain('Noa Levi');
    const viet = normalise(pageText(await renderer.card(sample('vietnamese').view), 1));
    expect(viet).toContain('Nguyễn');
  });
});
