/**
 * Text in any script on one line: bidi runs (bidi-js, UAX #9), a font per
 * run by cmap coverage, then pdfkit draws each run at an explicit x on an
 * alphabetic baseline. pdfkit alone would lay Arabic words out left to right
 * and reverse digits inside Arabic (NOTES "PDFs"): passing `features` makes it
 * shape a whole run at once (fontkit joins and orders an Arabic or Hebrew
 * run), and splitting by direction keeps numbers left to right.
 */
import bidiModule, { type Bidi } from 'bidi-js';
import { familyCovers, isLoaded, type FontFamily, type FontSet } from './fonts.js';

// bidi-js is CommonJS: under NodeNext its default export may arrive wrapped.
type BidiFactory = () => Bidi;
const bidiFactory: BidiFactory =
  (bidiModule as unknown as { default?: BidiFactory }).default ?? (bidiModule as unknown as BidiFactory);
const bidi = bidiFactory();

export type Weight = 'regular' | 'bold';
export type Direction = 'ltr' | 'rtl' | 'auto';
export type Align = 'left' | 'right' | 'center';

/** A run ready to draw: `text` is in the order to hand to pdfkit. */
export interface TextRun {
  text: string;
  family: FontFamily;
  /** Advance, including `before`. */
  width: number;
  /** Blank space before the glyphs. */
  before?: number;
}

/**
 * Runs `from` (inclusive) to `to` (exclusive) show `actual`, the text in
 * logical order: written as the PDF's ActualText so that copying or
 * extracting gives the text as typed, not the glyphs' visual order
 * (right-to-left runs, Devanagari vowel signs drawn before their consonant).
 */
export interface ActualSpan {
  from: number;
  to: number;
  actual: string;
}

export interface ShapedLine {
  /** Runs in visual order, left to right. */
  runs: TextRun[];
  spans: ActualSpan[];
  width: number;
  /** Resolved paragraph direction. */
  rtl: boolean;
  size: number;
  weight: Weight;
}

/** Every run is shaped as one piece, with the font's default features. */
export const FEATURES: [] = [];

/** Scripts whose runs fontkit lays out right to left on its own. */
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
/** Letters that may stay in the font of the letter before them (CJK shares Han and kana). */
const STICKY = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}]/u;
const LETTER = /\p{L}/u;

export function fontKey(family: FontFamily, weight: Weight): string {
  return `${family.name}-${weight}`;
}

function covers(family: FontFamily, cp: number): boolean {
  return familyCovers(family, cp);
}

function firstCovering(fonts: FontSet, cp: number): FontFamily | undefined {
  return fonts.find((f) => covers(f, cp));
}

/**
 * Splits one direction run into font runs: letters take the first family
 * that has them (Han and kana stay with the family before if it has them);
 * marks, spaces, digits and punctuation follow a neighbouring letter.
 */
export function segmentByFont(fonts: FontSet, text: string): Array<{ text: string; family: FontFamily }> {
  const chars = Array.from(text);
  const fallback = fonts[0];
  if (!fallback) throw new Error('no fonts');
  const assigned: Array<FontFamily | undefined> = new Array(chars.length);
  let prev: FontFamily | undefined;
  chars.forEach((ch, i) => {
    if (!LETTER.test(ch)) return;
    const cp = ch.codePointAt(0) ?? 0;
    const family = prev && STICKY.test(ch) && covers(prev, cp) ? prev : (firstCovering(fonts, cp) ?? fallback);
    assigned[i] = family;
    prev = family;
  });
  for (let i = 0; i < chars.length; i++) {
    if (assigned[i]) continue;
    const cp = chars[i]!.codePointAt(0) ?? 0;
    const before = i > 0 ? assigned[i - 1] : undefined;
    let after: FontFamily | undefined;
    for (let j = i + 1; j < chars.length && !after; j++) if (LETTER.test(chars[j]!)) after = assigned[j];
    assigned[i] =
      (before && covers(before, cp) ? before : undefined) ??
      (after && covers(after, cp) ? after : undefined) ??
      firstCovering(fonts, cp) ??
      before ??
      fallback;
  }
  const runs: Array<{ text: string; family: FontFamily }> = [];
  chars.forEach((ch, i) => {
    const family = assigned[i]!;
    const last = runs[runs.length - 1];
    if (last && last.family === family) last.text += ch;
    else runs.push({ text: ch, family });
  });
  return runs;
}

export function measure(family: FontFamily, weight: Weight, text: string, size: number): number {
  const font = weight === 'bold' ? family.bold : family.regular;
  const run = font.layout(text, FEATURES);
  if (RTL_SCRIPT.test(text)) visualLigatures(run.glyphs);
  return (run.advanceWidth * size) / font.unitsPerEm;
}

type CachedGlyph = { codePoints: number[]; visualOrder?: true };

/**
 * A right-to-left run is written in visual order, and text extractors
 * (poppler, pdf.js) rebuild logical order by reversing it: a ligature's
 * ToUnicode (lam-alef = U+0644 U+0627) would come out reversed too ("ال" for
 * "لا"). Writing such ligatures' code points in visual order makes extracted
 * text read as typed. fontkit caches glyph objects per font, and pdfkit
 * draws with the same objects, so this is done once per glyph.
 */
function visualLigatures(glyphs: unknown[]): void {
  for (const g of glyphs as CachedGlyph[]) {
    if (g.visualOrder || g.codePoints.length < 2) continue;
    g.codePoints = [...g.codePoints].reverse();
    g.visualOrder = true;
  }
}

/**
 * Shaped lines, per font set: labels, the city name and captions repeat on
 * every card, and bidi + shaping was the largest cost of a card after font
 * subsetting. Treated as read-only by callers; cleared when it grows large.
 */
const shapedCache = new WeakMap<FontSet, Map<string, ShapedLine>>();
const SHAPED_CACHE_MAX = 4000;

/** One line of text, any scripts mixed, laid out in visual order. */
export function shapeLine(fonts: FontSet, input: string, size: number, weight: Weight = 'regular', dir: Direction = 'auto'): ShapedLine {
  let cache = shapedCache.get(fonts);
  if (!cache) shapedCache.set(fonts, (cache = new Map()));
  const key = `${size}\u0000${weight}\u0000${dir}\u0000${input}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const line = shapeLineUncached(fonts, input, size, weight, dir);
  if (cache.size >= SHAPED_CACHE_MAX) cache.clear();
  cache.set(key, line);
  return line;
}

function shapeLineUncached(fonts: FontSet, input: string, size: number, weight: Weight, dir: Direction): ShapedLine {
  const text = input.normalize('NFC').replace(/[ \t\r\n]+/g, ' ').trim();
  if (!text) return { runs: [], spans: [], width: 0, rtl: dir === 'rtl', size, weight };
  const embedding = bidi.getEmbeddingLevels(text, dir);
  const levels = embedding.levels;
  const paragraphLevel = embedding.paragraphs[0]?.level ?? 0;
  const mirrored = bidi.getMirroredCharactersMap(text, levels);

  // Direction runs, in logical order, by UTF-16 index (bidi-js works on code units).
  const atoms: Array<{ level: number; runs: TextRun[] }> = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i < text.length && levels[i] === levels[start]) continue;
    if (i < text.length && isLowSurrogate(text.charCodeAt(i))) continue;
    const level = levels[start] ?? 0;
    let chunk = '';
    for (let k = start; k < i; k++) chunk += mirrored.get(k) ?? text[k];
    const odd = level % 2 === 1;
    let fontRuns = segmentByFont(fonts, chunk).map(({ text: t, family }) => {
      // fontkit reverses Arabic/Hebrew runs itself; an RTL run of neutrals is reversed here.
      const drawn = odd && !RTL_SCRIPT.test(t) ? Array.from(t).reverse().join('') : t;
      return { text: drawn, family, width: measure(family, weight, drawn, size) };
    });
    if (odd) fontRuns = fontRuns.reverse();
    atoms.push({ level, runs: fontRuns });
    start = i;
  }

  // UAX #9 L2 over whole direction runs: from the highest level down to the
  // lowest odd level, reverse every sequence of runs at that level or above.
  const maxLevel = Math.max(...atoms.map((a) => a.level));
  const minOdd = Math.min(...atoms.map((a) => a.level)) | 1;
  for (let lvl = maxLevel; lvl >= minOdd; lvl--) {
    for (let i = 0; i < atoms.length; ) {
      if (atoms[i]!.level < lvl) {
        i++;
        continue;
      }
      let j = i;
      while (j < atoms.length && atoms[j]!.level >= lvl) j++;
      const reversed = atoms.slice(i, j).reverse();
      atoms.splice(i, j - i, ...reversed);
      i = j;
    }
  }
  const runs = atoms.flatMap((a) => a.runs).filter((r) => r.text.length > 0);
  const width = runs.reduce((w, r) => w + r.width, 0);
  // Poppler reads ActualText as if in visual order, so right-to-left text is
  // left to its glyphs' ToUnicode (which readers reorder); plain ASCII/Latin
  // text needs no span.
  const spans = needsActualText(text) ? [{ from: 0, to: runs.length, actual: text }] : [];
  return { runs, spans, width, rtl: paragraphLevel % 2 === 1, size, weight };
}

function needsActualText(text: string): boolean {
  return !RTL_SCRIPT.test(text) && /[^\u0000-\u024f]/u.test(text);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The largest size from `maxSize` down to `minSize` at which the line fits `maxWidth`. */
export function fitLine(
  fonts: FontSet,
  text: string,
  opts: { maxSize: number; minSize: number; maxWidth: number; weight?: Weight; dir?: Direction },
): ShapedLine {
  let line = shapeLine(fonts, text, opts.maxSize, opts.weight, opts.dir);
  if (line.width <= opts.maxWidth || line.width === 0) return line;
  // Widths scale linearly with size: one step to the fitting size.
  const size = Math.max(opts.minSize, Math.floor((opts.maxSize * opts.maxWidth * 4) / line.width) / 4);
  line = shapeLine(fonts, text, size, opts.weight, opts.dir);
  return line;
}

/**
 * Greedy word wrap to `maxWidth`; each line gets its own bidi pass with the
 * paragraph's direction. A word wider than the line stays whole (it is shrunk
 * by the caller's choice of size, never cut).
 */
export function wrapLines(
  fonts: FontSet,
  text: string,
  opts: { size: number; maxWidth: number; weight?: Weight; dir?: Direction },
): ShapedLine[] {
  const paragraphDir: Direction =
    opts.dir && opts.dir !== 'auto' ? opts.dir : shapeLine(fonts, text, opts.size, opts.weight).rtl ? 'rtl' : 'ltr';
  const words = text.normalize('NFC').split(/[ \t\r\n]+/).filter(Boolean);
  const lines: ShapedLine[] = [];
  let current: string[] = [];
  let currentLine: ShapedLine | undefined;
  for (const word of words) {
    const candidate = shapeLine(fonts, [...current, word].join(' '), opts.size, opts.weight, paragraphDir);
    if (current.length > 0 && candidate.width > opts.maxWidth && currentLine) {
      lines.push(currentLine);
      current = [word];
      currentLine = shapeLine(fonts, word, opts.size, opts.weight, paragraphDir);
    } else {
      current.push(word);
      currentLine = candidate;
    }
  }
  if (currentLine) lines.push(currentLine);
  return lines;
}

/** Draws a shaped line with its alphabetic baseline at `baseline`. */
export function drawLine(
  doc: PDFKit.PDFDocument,
  line: ShapedLine,
  x: number,
  baseline: number,
  opts: { color: string; align?: Align; width?: number },
): void {
  const box = opts.width ?? line.width;
  let cx = x;
  if (opts.align === 'right') cx = x + box - line.width;
  else if (opts.align === 'center') cx = x + (box - line.width) / 2;
  doc.fillColor(opts.color);
  line.runs.forEach((run, i) => {
    const span = line.spans.find((s) => i >= s.from && i < s.to);
    doc.font(fontKey(run.family, line.weight)).fontSize(line.size);
    const draw = () => doc.text(run.text, cx + (run.before ?? 0), baseline, { lineBreak: false, baseline: 'alphabetic', features: FEATURES });
    // The span's first run carries its whole text, the others none (their glyphs are in it).
    if (span) withActualText(doc, i === span.from ? span.actual : '', draw);
    else draw();
    cx += run.width;
  });
}

/**
 * Draws with the glyphs' ActualText set, the marked content opened right
 * after pdfkit's BT and closed right after its ET, so inside the graphics
 * state the glyphs are drawn in. pdfkit's own `markContent` opens it before
 * the `q … cm` that each `text()` call wraps its glyphs in: poppler places
 * ActualText with the transformation current at EMC, so the text landed
 * mirrored on the card and off the page on the A4 sheet (where the card is
 * drawn translated), and vanished from the extracted text there.
 */
function withActualText(doc: PDFKit.PDFDocument, actual: string, draw: () => void): void {
  const target = doc as unknown as { addContent(data: string): unknown };
  const own = Object.prototype.hasOwnProperty.call(target, 'addContent');
  const original = target.addContent;
  const bdc = `/Span << /ActualText <feff${Buffer.from(actual, 'utf16le').swap16().toString('hex')}> >> BDC`;
  target.addContent = function (this: unknown, data: string) {
    if (data === 'BT') original.call(this, bdc);
    original.call(this, data);
    if (data === 'ET') original.call(this, 'EMC');
    return this;
  };
  try {
    draw();
  } finally {
    if (own) target.addContent = original;
    else delete (target as { addContent?: unknown }).addContent;
  }
}

/** Registers every family read so far, both weights, under its key (nothing is embedded until used). */
export function registerFonts(doc: PDFKit.PDFDocument, fonts: FontSet): void {
  for (const family of fonts) {
    if (!isLoaded(family)) continue;
    doc.registerFont(fontKey(family, 'regular'), family.regular as unknown as PDFKit.Mixins.PDFFontSource);
    doc.registerFont(fontKey(family, 'bold'), family.bold as unknown as PDFKit.Mixins.PDFFontSource);
  }
}
