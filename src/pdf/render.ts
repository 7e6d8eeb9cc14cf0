/**
 * Card rendering: a two-page PDF at ID-1 size (front, back) and an A4 sheet
 * with both sides and crop marks for office printers. Knows nothing of HTTP
 * or storage: it gets a CardView and returns bytes.
 */
import PDFDocument from 'pdfkit';
import type { i18n, TFunction } from 'i18next';
import { createI18n } from '../i18n/index.js';
import type { Language } from '../i18n/languages.js';
import { createLazyFontSet, dropGlyphsWithoutCodePoints, withFonts, type FontSet } from './fonts.js';
import { layoutNames, NAME_BOX, type NamesLayout } from './name-layout.js';
import { drawQr, qrMatrix } from './qr.js';
import { drawRightsPage, drawRoadBack, type RoadView } from './road-panel.js';
import {
  drawLine,
  fitLine,
  registerFonts,
  shapeLine,
  wrapLines,
  type Align,
  type ShapedLine,
  type TextRun,
  type ActualSpan,
  type Weight,
} from './text.js';
import type { CardTheme } from './theme.js';

const MM = 72 / 25.4;
/** ID-1 (ISO/IEC 7810), also called CR80: 85.60 × 53.98 mm. */
export const CARD_WIDTH = 85.6 * MM;
export const CARD_HEIGHT = 53.98 * MM;
export const A4_WIDTH = 210 * MM;
export const A4_HEIGHT = 297 * MM;

export interface CardView {
  /** The issuing city. */
  city: { id: string; name: string };
  theme: CardTheme;
  /** Language of the labels (front and back). */
  holderLanguage: Language;
  /** The city's official language, printed beside the holder's. */
  officialLanguage: Language;
  /** The name to print, any script. */
  printedName: string;
  /** The name in its original script, if any. */
  originalName?: string;
  /** `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or null when unknown: printed as recorded. */
  birthDate: string | null;
  /** Gender marker, present only if the holder chose to print it. */
  marker?: string;
  /** Formatted card number. */
  number: string;
  /** `YYYY-MM-DD`. */
  issuedOn: string;
  /** `YYYY-MM-DD`. */
  expiresOn: string;
  /** Already re-encoded JPEG. */
  photoJpeg?: Uint8Array;
  /** The QR text: Base45 of the zlib-compressed Claim 169 COSE_Sign1 (src/credential). */
  qrText: string;
  /** For the road (issue 19), only what the holder asked to print: src/pdf/road-panel.ts. Never in the QR. */
  road?: RoadView;
}

export interface CardRenderer {
  /** Two pages of exactly ID-1 size: page 1 the front, page 2 the back. */
  card(view: CardView): Promise<Buffer>;
  /** One A4 page: front and back side by side at actual size, with crop marks. */
  sheet(view: CardView): Promise<Buffer>;
  /** How the front would set these names (the same layout the card and the sheet draw); `fits` false means enrolment must refuse them. */
  layoutNames(names: { printed: string; original?: string }): Promise<NamesLayout>;
}

export interface CardRendererOptions {
  /** Reuse already parsed fonts (e.g. between renderers); otherwise each family is read when a card first needs it. */
  fonts?: FontSet;
  /** An initialised i18next instance holding the `card` namespace; created otherwise. */
  i18n?: i18n;
}

/** Fonts are parsed once, Latin here and the others on first need; every card reuses them. */
export async function createCardRenderer(opts: CardRendererOptions = {}): Promise<CardRenderer> {
  const [fonts, i18nInstance] = await Promise.all([
    opts.fonts ? Promise.resolve(opts.fonts) : createLazyFontSet(),
    opts.i18n ? Promise.resolve(opts.i18n) : createI18n(),
  ]);
  const translators = new Map<Language, TFunction>();
  const tFor = (lng: Language): TFunction => {
    let t = translators.get(lng);
    if (!t) {
      t = i18nInstance.getFixedT(lng, 'card');
      translators.set(lng, t);
    }
    return t;
  };
  const painter = (view: CardView): Painter => new Painter(fonts, view, tFor);

  return {
    async card(view) {
      validate(view);
      // A card needing a family not read yet is laid out again once it is (fonts.ts).
      return withFonts(() => {
        const doc = newDocument(view, [CARD_WIDTH, CARD_HEIGHT], fonts);
        const done = collect(doc);
        const p = painter(view);
        doc.addPage();
        p.front(doc);
        doc.addPage();
        p.back(doc);
        if (view.road?.rightsPanel) drawRightsPage(doc.addPage(), fonts, view.road, view.theme.colors, { width: CARD_WIDTH, height: CARD_HEIGHT });
        finish(doc, fonts);
        return done;
      });
    },
    async sheet(view) {
      validate(view);
      return withFonts(() => {
        const doc = newDocument(view, [A4_WIDTH, A4_HEIGHT], fonts);
        const done = collect(doc);
        doc.addPage();
        painter(view).sheet(doc);
        finish(doc, fonts);
        return done;
      });
    },
    async layoutNames(names) {
      return withFonts(async () => layoutNames(fonts, names));
    },
  };
}

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

function validate(view: CardView): void {
  if (view.birthDate !== null && !DATE.test(view.birthDate)) throw new Error('birthDate must be YYYY-MM-DD, YYYY-MM, YYYY or null');
  for (const [k, v] of [['issuedOn', view.issuedOn], ['expiresOn', view.expiresOn]] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new Error(`${k} must be YYYY-MM-DD`);
  }
  if (!view.printedName.trim()) throw new Error('printedName is empty');
}

function newDocument(view: CardView, size: [number, number], fonts: FontSet): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size,
    margin: 0,
    autoFirstPage: false,
    compress: true,
    lang: view.holderLanguage,
    // No default Helvetica: pdfkit would parse its AFM metrics for every document.
    font: null as unknown as string,
    // No name in the metadata, and a fixed date so the same card gives the same bytes.
    info: { Title: `${view.city.name} card`, Creator: 'local-citizenship-card', Producer: 'local-citizenship-card', CreationDate: new Date(`${view.issuedOn}T00:00:00Z`) },
  });
  registerFonts(doc, fonts);
  return doc;
}

/** Ends the document (pdfkit lays out and subsets fonts synchronously here), then cleans the shared glyph cache. */
function finish(doc: PDFKit.PDFDocument, fonts: FontSet): void {
  try {
    doc.end();
  } finally {
    dropGlyphsWithoutCodePoints(fonts);
  }
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

const W = CARD_WIDTH;
const H = CARD_HEIGHT;
const SEPARATOR = '·';

/** Draws one view; all coordinates in points from the card's top-left corner. */
class Painter {
  constructor(
    private readonly fonts: FontSet,
    private readonly view: CardView,
    private readonly tFor: (lng: Language) => TFunction,
  ) {}

  private get colors(): CardTheme['colors'] {
    return this.view.theme.colors;
  }

  /** A `card` label in one language; the theme's override wins. */
  private label(key: string, lng: Language, vars: Record<string, string> = {}): string {
    const override = this.view.theme.labels[lng]?.[key];
    if (override !== undefined) return override.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => vars[k] ?? '');
    return String(this.tFor(lng)(key, vars));
  }

  /** The holder's language first, then the official one when it differs. */
  private languages(): Language[] {
    const { holderLanguage: h, officialLanguage: o } = this.view;
    return h === o ? [h] : [h, o];
  }

  private labels(key: string, vars?: Record<string, string>): string[] {
    return this.languages().map((lng) => this.label(key, lng, vars));
  }

  /**
   * Texts in different languages side by side, left to right, each with its
   * own direction, shrunk as a whole to fit `maxWidth`.
   */
  private parts(texts: string[], opts: { maxSize: number; minSize: number; maxWidth: number; weight?: Weight }): ShapedLine {
    const build = (size: number): ShapedLine => {
      const lines = texts.map((t) => shapeLine(this.fonts, t, size, opts.weight));
      const dot = shapeLine(this.fonts, SEPARATOR, size, 'regular').runs[0];
      const pad = size * 0.55;
      const runs: TextRun[] = [];
      const spans: ActualSpan[] = [];
      lines.forEach((l, i) => {
        if (i > 0 && dot) runs.push({ ...dot, width: dot.width + 2 * pad, before: pad });
        for (const s of l.spans) spans.push({ ...s, from: s.from + runs.length, to: s.to + runs.length });
        runs.push(...l.runs);
      });
      return { runs, spans, width: runs.reduce((w, r) => w + r.width, 0), rtl: false, size, weight: opts.weight ?? 'regular' };
    };
    let line = build(opts.maxSize);
    if (line.width > opts.maxWidth) {
      const size = Math.max(opts.minSize, Math.floor((opts.maxSize * opts.maxWidth * 4) / line.width) / 4);
      line = build(size);
    }
    return line;
  }

  private draw(doc: PDFKit.PDFDocument, line: ShapedLine, x: number, baseline: number, color: string, align: Align = 'left', width?: number): void {
    drawLine(doc, line, x, baseline, { color, align, width });
  }

  private logo(doc: PDFKit.PDFDocument, x: number, y: number, size: number): void {
    const logo = this.view.theme.logo;
    if (!logo) return;
    if (logo.kind === 'image') {
      doc.image(logo.data, x, y, { fit: [size, size], align: 'center', valign: 'center' });
      return;
    }
    const [minX, minY, vw, vh] = logo.viewBox;
    const scale = size / Math.max(vw, vh);
    doc.save();
    doc.translate(x + (size - vw * scale) / 2, y + (size - vh * scale) / 2).scale(scale).translate(-minX, -minY);
    for (const p of logo.paths) doc.path(p.d).fill(p.fill, p.fillRule);
    doc.restore();
  }

  /**
   * A row of labelled values. Bilingual labels stay on one line while they
   * fit at a readable size, else the row's labels go on two lines (holder's
   * language above the official one).
   */
  private fieldRow(doc: PDFKit.PDFDocument, items: Array<{ key: string; value: string; x: number; width: number; weight?: Weight }>, top: number): number {
    const c = this.colors;
    const labelSize = 5.3;
    const minOneLine = 4.5;
    const lines = items.map((it) => this.parts(this.labels(it.key), { maxSize: labelSize, minSize: 3.8, maxWidth: it.width }));
    const twoLines = this.languages().length > 1 && lines.some((l) => l.size < minOneLine);
    let valueBaseline = top + labelSize + 9.6;
    if (twoLines) valueBaseline += labelSize + 1;
    items.forEach((it, i) => {
      if (twoLines) {
        this.labels(it.key).forEach((text, k) => {
          const line = fitLine(this.fonts, text, { maxSize: labelSize, minSize: 3.8, maxWidth: it.width });
          this.draw(doc, line, it.x, top + labelSize + k * (labelSize + 1), c.muted);
        });
      } else {
        this.draw(doc, lines[i]!, it.x, top + labelSize, c.muted);
      }
      const value = fitLine(this.fonts, it.value, { maxSize: 8.5, minSize: 5, maxWidth: it.width, weight: it.weight ?? 'regular', dir: 'ltr' });
      this.draw(doc, value, it.x, valueBaseline, c.text);
    });
    return valueBaseline + 3;
  }

  front(doc: PDFKit.PDFDocument): void {
    const v = this.view;
    const c = this.colors;
    doc.rect(0, 0, W, H).fill(c.background);

    // Header: logo, city, card title in both languages.
    const headerH = 31;
    doc.rect(0, 0, W, headerH).fill(c.primary);
    doc.rect(0, headerH, W, 1.4).fill(c.accent);
    this.logo(doc, 7, 4.5, 22);
    const textX = 35;
    const textW = W - textX - 8;
    this.draw(doc, fitLine(this.fonts, v.city.name, { maxSize: 10, minSize: 6, maxWidth: textW, weight: 'bold' }), textX, 15, c.onPrimary);
    this.draw(doc, this.parts(this.labels('title'), { maxSize: 6.3, minSize: 4.2, maxWidth: textW }), textX, 25, c.onPrimary);

    // Photo.
    const px = 9;
    const py = 39;
    const pw = 66;
    const ph = 85;
    this.photo(doc, px, py, pw, ph);

    // Fields.
    const x0 = px + pw + 9;
    const right = W - 9;
    const width = right - x0;
    this.draw(doc, this.parts(this.labels('name'), { maxSize: 5.3, minSize: 3.8, maxWidth: width }), x0, 44, c.muted);
    // Whole names, wrapped then shrunk within a floor (name-layout.ts; enrolment refuses what cannot be set so).
    const names = layoutNames(this.fonts, { printed: v.printedName, ...(v.originalName ? { original: v.originalName } : {}) });
    for (const { line, baseline } of names.printed) this.draw(doc, line, x0, baseline, c.text);
    for (const { line, baseline } of names.original) this.draw(doc, line, x0, baseline, c.text);

    const col2 = x0 + 84;
    const w1 = col2 - x0 - 5;
    const w2 = right - col2;
    let y = names.fieldsTop;
    if (Math.abs(x0 - NAME_BOX.x) > 0.01 || Math.abs(width - NAME_BOX.width) > 0.01) throw new Error('name-layout.ts NAME_BOX is not where the front draws names');
    y = this.fieldRow(
      doc,
      [
        { key: 'birthDate', value: this.birthDate(), x: x0, width: v.marker ? w1 : width },
        ...(v.marker ? [{ key: 'marker', value: v.marker, x: col2, width: w2 }] : []),
      ],
      y,
    );
    this.fieldRow(
      doc,
      [
        { key: 'number', value: v.number, x: x0, width: w1, weight: 'bold' as const },
        { key: 'expires', value: v.expiresOn, x: col2, width: w2 },
      ],
      y + 4,
    );

    // Footer stripe.
    doc.rect(0, H - 4, W, 4).fill(c.primary);
  }

  /** As recorded: full, year-month or year; unknown in words. */
  private birthDate(): string {
    const b = this.view.birthDate;
    if (b) return b;
    return this.languages()
      .map((lng) => this.label('birthDateUnknown', lng))
      .join(' / ');
  }

  private photo(doc: PDFKit.PDFDocument, x: number, y: number, w: number, h: number): void {
    const c = this.colors;
    if (this.view.photoJpeg) {
      doc.save();
      doc.rect(x, y, w, h).clip();
      doc.image(Buffer.from(this.view.photoJpeg.buffer, this.view.photoJpeg.byteOffset, this.view.photoJpeg.byteLength), x, y, {
        cover: [w, h],
        align: 'center',
        valign: 'center',
      });
      doc.restore();
    } else {
      doc.rect(x, y, w, h).fill(c.panel);
      // A neutral silhouette.
      const cx = x + w / 2;
      doc.circle(cx, y + h * 0.36, w * 0.17).fill(c.muted);
      doc
        .moveTo(x + w * 0.16, y + h * 0.8)
        .bezierCurveTo(x + w * 0.18, y + h * 0.55, x + w * 0.82, y + h * 0.55, x + w * 0.84, y + h * 0.8)
        .closePath()
        .fill(c.muted);
      const label = fitLine(this.fonts, this.label('noPhoto', this.view.holderLanguage), { maxSize: 5.5, minSize: 4, maxWidth: w - 4 });
      this.draw(doc, label, x, y + h - 5, c.text, 'center', w);
    }
    doc.rect(x, y, w, h).lineWidth(0.5).stroke(c.muted);
  }

  back(doc: PDFKit.PDFDocument): void {
    const v = this.view;
    const c = this.colors;
    doc.rect(0, 0, W, H).fill(c.background);

    // The QR code, as large as the card's height allows, quiet zone included.
    const margin = 4;
    const side = H - 2 * margin;
    drawQr(doc, qrMatrix(v.qrText), margin, margin, side);

    const x0 = margin + side + 4;
    const right = W - 8;
    const width = right - x0;
    doc.rect(x0 - 1, 0, W - x0 + 1, 3).fill(c.primary);

    let y = 13;
    for (const line of wrapLines(this.fonts, v.city.name, { size: 7, maxWidth: width, weight: 'bold' }).slice(0, 2)) {
      this.draw(doc, line, x0, y, c.text, line.rtl ? 'right' : 'left', width);
      y += 8;
    }
    y += 1.5;
    const paragraphs: Array<{ text: string; size: number; color: string }> = [];
    const [holder, official] = this.languages();
    paragraphs.push({ text: this.label('verify', holder!), size: 5.4, color: c.text });
    if (official) paragraphs.push({ text: this.label('verify', official), size: 5, color: c.muted });
    for (const p of paragraphs) {
      for (const line of wrapLines(this.fonts, p.text, { size: p.size, maxWidth: width })) {
        this.draw(doc, line, x0, y, p.color, line.rtl ? 'right' : 'left', width);
        y += p.size * 1.28;
      }
      y += 2.5;
    }

    // Dates and number, from the bottom up.
    const fields: Array<[string, string]> = [
      ['issued', v.issuedOn],
      ['expires', v.expiresOn],
      ['number', v.number],
    ];
    const fieldsTop = H - 8 - fields.length * 15.5;

    // What the card is and is not, in the room left: never cut mid-line.
    // The city's name is never broken across lines.
    const vars = { city: v.city.name.replace(/ /g, '\u00a0') };
    const proof = [
      { text: this.label('proof', holder!, vars), color: c.text },
      ...(official ? [{ text: this.label('proof', official, vars), color: c.muted }] : []),
    ];
    y += 1;
    // The road block, when the holder asked for one, takes the place of these explanatory lines.
    const road = v.road ? drawRoadBack(doc, this.fonts, v.road, { x: x0, y, width, bottom: fieldsTop + 2 }, c) : undefined;
    for (const p of road === undefined ? proof : []) {
      const size = 4.5;
      const lines = wrapLines(this.fonts, p.text, { size, maxWidth: width });
      if (y + lines.length * size * 1.3 > fieldsTop + 2) break;
      for (const line of lines) {
        this.draw(doc, line, x0, y, p.color, line.rtl ? 'right' : 'left', width);
        y += size * 1.3;
      }
      y += 2;
    }

    let fy = fieldsTop;
    for (const [key, value] of fields) {
      this.draw(doc, this.parts(this.labels(key), { maxSize: 4.8, minSize: 3.6, maxWidth: width }), x0, fy + 5, c.muted);
      this.draw(doc, fitLine(this.fonts, value, { maxSize: 7, minSize: 5, maxWidth: width, dir: 'ltr' }), x0, fy + 12.5, c.text);
      fy += 15.5;
    }
  }

  sheet(doc: PDFKit.PDFDocument): void {
    const c = this.colors;
    const gap = 36;
    const x1 = (A4_WIDTH - 2 * W - gap) / 2;
    const x2 = x1 + W + gap;
    const top = 96;
    const lng = this.view.officialLanguage;

    const caption = (key: string, x: number): void => {
      const line = fitLine(this.fonts, this.label(key, lng), { maxSize: 9, minSize: 6, maxWidth: W });
      this.draw(doc, line, x, top - 18, c.muted, 'center', W);
    };
    caption('front', x1);
    caption('back', x2);

    for (const [x, side] of [
      [x1, 'front'],
      [x2, 'back'],
    ] as const) {
      doc.save();
      doc.translate(x, top);
      doc.rect(0, 0, W, H).clip();
      if (side === 'front') this.front(doc);
      else this.back(doc);
      doc.restore();
      cropMarks(doc, x, top, W, H);
    }

    let y = top + H + 36;
    for (const line of wrapLines(this.fonts, this.label('printHint', lng), { size: 9, maxWidth: 2 * W + gap })) {
      this.draw(doc, line, x1, y, c.text, 'center', 2 * W + gap);
      y += 12;
    }
  }
}

/** Corner marks just outside the cut line, so none prints on the card. */
function cropMarks(doc: PDFKit.PDFDocument, x: number, y: number, w: number, h: number): void {
  const off = 4;
  const len = 14;
  doc.save().lineWidth(0.4).strokeColor('#000000');
  for (const [cx, sx] of [
    [x, -1],
    [x + w, 1],
  ] as const) {
    for (const [cy, sy] of [
      [y, -1],
      [y + h, 1],
    ] as const) {
      doc.moveTo(cx + sx * off, cy).lineTo(cx + sx * (off + len), cy).stroke();
      doc.moveTo(cx, cy + sy * off).lineTo(cx, cy + sy * (off + len)).stroke();
    }
  }
  doc.restore();
}
