/**
 * The names on the card's front: the printed name (bold) and, below it, the
 * name in its original script. Each goes on one line, or is wrapped to a
 * second line, then shrunk down to a floor; a name that still does not fit
 * its box is refused at enrolment (src/modules/residents/card-budget.ts asks
 * {@link layoutNames}), so every card the city can issue prints it whole.
 * The A4 sheet draws the same front at actual size, so the same layout holds.
 *
 * Measured with the fonts the card draws with (text.ts picks the family per
 * script by cmap; widths are fontkit's advances, as pdfkit's
 * `widthOfString` gives them), at a reference size: advances and glyph
 * extents scale linearly with the font size, so one shaping per candidate
 * line gives its width and ink height at every size.
 *
 * Line breaks (UAX #14, the part a name needs): at a space, after a hyphen,
 * and — only when those do not give a readable size — between two
 * ideographs or kana (Chinese and Japanese have no spaces) or at a word
 * boundary of a script written without spaces (Thai, Lao, Khmer, Myanmar).
 */
import { FEATURES, shapeLine, type ShapedLine, type Weight } from './text.js';
import type { FontSet } from './fonts.js';
import { FIELDS_TOP, NAME_BOX, ORIGINAL_NAME, PRINTED_NAME, type NameRule } from './name-rules.js';

export { FIELDS_TOP, NAME_BOX, ORIGINAL_NAME, PRINTED_NAME, type NameRule } from './name-rules.js';

/** Space between the lines of one name, and between the two names (share of the size / points). */
const LEAD = 0.1;
const GAP = 0.6;
const REF = 10;
const STEP = 0.25;

export interface PlacedLine {
  line: ShapedLine;
  baseline: number;
}

export interface NameFit {
  field: 'printed' | 'original';
  /** False when the name needs more lines than allowed or a size below the floor. */
  fits: boolean;
  size: number;
  lines: number;
  /** The size it would need to fit on `maxLines` lines of the box (may be below the floor). */
  neededSize: number;
}

export interface NamesLayout {
  printed: PlacedLine[];
  original: PlacedLine[];
  /** Lowest ink of the names. */
  bottom: number;
  /** Where the field rows start. */
  fieldsTop: number;
  fits: boolean;
  report: NameFit[];
}

interface Measured {
  texts: string[];
  /** At REF size: the widest line, and each line's ink above and below the baseline. */
  width: number;
  ascent: number[];
  descent: number[];
}

type Bbox = { minY: number; maxY: number };

/** Ink above and below the baseline of a shaped line, in points. */
function ink(line: ShapedLine): { ascent: number; descent: number } {
  let ascent = 0;
  let descent = 0;
  for (const run of line.runs) {
    const font = line.weight === 'bold' ? run.family.bold : run.family.regular;
    const glyphs = font.layout(run.text, FEATURES) as unknown as { bbox: Bbox };
    const k = line.size / font.unitsPerEm;
    const b = glyphs.bbox;
    if (Number.isFinite(b.maxY)) ascent = Math.max(ascent, b.maxY * k);
    if (Number.isFinite(b.minY)) descent = Math.max(descent, -b.minY * k);
  }
  return { ascent, descent };
}

function measure(fonts: FontSet, texts: string[], weight: Weight): Measured {
  const lines = texts.map((t) => shapeLine(fonts, t, REF, weight));
  const extents = lines.map(ink);
  return { texts, width: Math.max(...lines.map((l) => l.width)), ascent: extents.map((e) => e.ascent), descent: extents.map((e) => e.descent) };
}

const SPACE = / /u;
const HYPHEN = /[-\u2010\u2011]/u;
const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005]/u;
const NO_SPACES = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const MARK = /\p{M}/u;

/** Two-line splits of `text`: first the ones at spaces and hyphens, then the ones between ideographs or words of scripts without spaces. */
export function lineBreaks(text: string): { preferred: Array<[string, string]>; other: Array<[string, string]> } {
  const chars = Array.from(text);
  const preferred: Array<[string, string]> = [];
  const other: Array<[string, string]> = [];
  const cut = (i: number, skip: number): [string, string] => [chars.slice(0, i).join('').trim(), chars.slice(i + skip).join('').trim()];
  for (let i = 1; i < chars.length; i++) {
    const before = chars[i - 1]!;
    const here = chars[i]!;
    if (SPACE.test(here)) preferred.push(cut(i, 1));
    else if (HYPHEN.test(before) && !SPACE.test(here) && i > 1) preferred.push(cut(i, 0));
    else if (IDEOGRAPHIC.test(before) && IDEOGRAPHIC.test(here) && !MARK.test(here)) other.push(cut(i, 0));
  }
  if (NO_SPACES.test(text)) {
    let at = 0;
    for (const seg of new Intl.Segmenter('und', { granularity: 'word' }).segment(text)) {
      if (at > 0 && NO_SPACES.test(seg.segment) && NO_SPACES.test(text.slice(at - 1, at))) other.push([text.slice(0, at).trim(), text.slice(at).trim()]);
      at += seg.segment.length;
    }
  }
  const ok = (p: [string, string]) => p[0].length > 0 && p[1].length > 0;
  return { preferred: preferred.filter(ok), other: other.filter(ok) };
}

/** The largest size (in steps of 0.25 pt, at most `max`) at which a width measured at REF fits `width`. */
function sizeFor(measuredWidth: number, width: number, max: number): number {
  if (measuredWidth <= 0) return max;
  return Math.min(max, Math.floor(((width * REF) / measuredWidth) / STEP) * STEP);
}

interface Option {
  m: Measured;
  /** Largest size at which it fits the box's width. */
  size: number;
}

/** A name's ways to be set, best first: one line, then the best two-line split. */
function options(fonts: FontSet, text: string, rule: NameRule, width: number): Option[] {
  const one = measure(fonts, [text], rule.weight);
  const out: Option[] = [{ m: one, size: sizeFor(one.width, width, rule.maxSize) }];
  if (rule.maxLines < 2) return out;
  const { preferred, other } = lineBreaks(text);
  const best = (splits: Array<[string, string]>): Option | undefined => {
    let pick: Option | undefined;
    for (const s of splits) {
      const m = measure(fonts, s, rule.weight);
      const size = sizeFor(m.width, width, rule.maxSize);
      // The largest size; among equals, the most even lines.
      if (!pick || size > pick.size || (size === pick.size && m.width < pick.m.width)) pick = { m, size };
    }
    return pick;
  };
  const p = best(preferred);
  const o = best(other);
  // Break between ideographs only when spaces and hyphens give no readable size, or a much smaller one.
  const two = p && p.size >= rule.minSize && (!o || p.size >= o.size - 1.5) ? p : (o && (!p || o.size > p.size) ? o : p);
  if (two) out.push(two);
  return out;
}

/**
 * A name's top and bottom edges: at least the Latin capitals-with-accents
 * and descender heights (so a one-line name sits where it always did,
 * whatever its letters), more when its ink reaches further (Arabic,
 * Devanagari vowel signs).
 */
const top = (m: Measured, size: number) => Math.max(0.9 * size, (m.ascent[0]! * size) / REF);
const foot = (m: Measured, size: number) => Math.max(0.25 * size, (m.descent[m.texts.length - 1]! * size) / REF);

/** Height of a name set at `size`: its top edge to its bottom edge. */
function height(m: Measured, size: number): number {
  let h = top(m, size);
  for (let i = 1; i < m.texts.length; i++) h += pitch(m, i, size);
  return h + foot(m, size);
}

/** Baseline to baseline between line i-1 and line i: the ink of the two lines never meets. */
function pitch(m: Measured, i: number, size: number): number {
  const k = size / REF;
  return Math.max(1.15 * size, (m.descent[i - 1]! + m.ascent[i]!) * k + LEAD * size);
}

interface Choice {
  m: Measured;
  size: number;
  fits: boolean;
}

/** Candidates of one name in order of preference, each with the size it is set at. */
function candidates(fonts: FontSet, text: string, rule: NameRule, width: number): Choice[] {
  const [one, two] = options(fonts, text, rule, width);
  const out: Choice[] = [];
  // One line while it stays at or above oneLineMin; then two lines from their best size down to the floor.
  for (let s = one!.size; s >= rule.oneLineMin; s -= STEP) out.push({ m: one!.m, size: s, fits: true });
  if (two) for (let s = two.size; s >= rule.minSize; s -= STEP) out.push({ m: two.m, size: s, fits: true });
  // A single line between the floor and oneLineMin when there is no way to wrap.
  if (!two || two.size < rule.minSize) for (let s = Math.min(one!.size, rule.oneLineMin - STEP); s >= rule.minSize; s -= STEP) out.push({ m: one!.m, size: s, fits: true });
  return out;
}

/** Best-effort setting of a name that does not fit: the widest size that keeps it inside the box's width (below the floor). */
function fallback(fonts: FontSet, text: string, rule: NameRule, width: number): Choice {
  const opts = options(fonts, text, rule, width);
  const best = opts.reduce((a, b) => (b.size > a.size ? b : a));
  const exact = Math.min(rule.maxSize, (width * REF) / best.m.width);
  return { m: best.m, size: Math.max(1, Math.floor(exact * 20) / 20), fits: false };
}

function place(fonts: FontSet, c: Choice, weight: Weight, at: number): { lines: PlacedLine[]; bottom: number } {
  let baseline = at + top(c.m, c.size);
  const lines: PlacedLine[] = [];
  c.m.texts.forEach((t, i) => {
    if (i > 0) baseline += pitch(c.m, i, c.size);
    lines.push({ line: shapeLine(fonts, t, c.size, weight), baseline });
  });
  return { lines, bottom: baseline + foot(c.m, c.size) };
}

function report(field: NameFit['field'], c: Choice, text: string, fonts: FontSet, rule: NameRule, width: number): NameFit {
  const opts = options(fonts, text, rule, width);
  const needed = Math.max(...opts.map((o) => Math.min(rule.maxSize, (width * REF) / o.m.width)));
  return { field, fits: c.fits, size: c.size, lines: c.m.texts.length, neededSize: Math.round(needed * 100) / 100 };
}

/**
 * Lays out the printed name and the original-script name (when given and
 * different) in {@link NAME_BOX}: the printed name as large as its rule
 * allows with room left for the original one. `fits` is false when either
 * cannot be set within its rule (lines, floor) and the box's height; the
 * layout is then a best effort, still whole and inside the card's width.
 */
export function layoutNames(fonts: FontSet, names: { printed: string; original?: string }): NamesLayout {
  const box = NAME_BOX;
  const printed = names.printed.trim();
  const original = names.original?.trim() && names.original.trim() !== printed ? names.original.trim() : undefined;
  const pc = candidates(fonts, printed, PRINTED_NAME, box.width);
  const oc = original ? candidates(fonts, original, ORIGINAL_NAME, box.width) : [];
  const room = box.bottom - box.top;

  let chosen: { p: Choice; o?: Choice } | undefined;
  for (const p of pc) {
    const left = room - height(p.m, p.size) - (original ? GAP : 0);
    if (left < 0) continue;
    if (!original) {
      chosen = { p };
      break;
    }
    const o = oc.find((c) => height(c.m, c.size) <= left);
    if (o) {
      chosen = { p, o };
      break;
    }
  }
  const fits = chosen !== undefined;
  if (!chosen) {
    // Refused at enrolment; a record from before the rule still prints whole, smaller.
    const p = pc[pc.length - 1] ?? fallback(fonts, printed, PRINTED_NAME, box.width);
    const o = original ? (oc[oc.length - 1] ?? fallback(fonts, original, ORIGINAL_NAME, box.width)) : undefined;
    chosen = { p: pc.length ? { ...p, fits: false } : p, ...(o ? { o: oc.length ? { ...o, fits: false } : o } : {}) };
  }
  const pPlaced = place(fonts, chosen.p, PRINTED_NAME.weight, box.top);
  const oPlaced = chosen.o ? place(fonts, chosen.o, ORIGINAL_NAME.weight, pPlaced.bottom + GAP) : undefined;
  const bottom = oPlaced?.bottom ?? pPlaced.bottom;
  const single = chosen.p.m.texts.length === 1 && (!chosen.o || chosen.o.m.texts.length === 1);
  const defaultTop = original ? FIELDS_TOP.withOriginal : FIELDS_TOP.without;
  const fieldsTop = single ? Math.max(defaultTop, bottom + 2.75) : bottom + 3;

  const rep: NameFit[] = [report('printed', chosen.p, printed, fonts, PRINTED_NAME, box.width)];
  if (original && chosen.o) rep.push(report('original', chosen.o, original, fonts, ORIGINAL_NAME, box.width));
  if (!fits) {
    // Which name is at fault: one that cannot be set within its own rule, else the pair (too tall together).
    const pAlone = pc.length > 0;
    const oAlone = !original || oc.length > 0;
    for (const r of rep) r.fits = !(r.field === 'printed' ? !pAlone : !oAlone) && !(pAlone && oAlone);
  }
  return { printed: pPlaced.lines, original: oPlaced?.lines ?? [], bottom, fieldsTop, fits, report: rep };
}
