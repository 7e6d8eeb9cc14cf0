/**
 * The card for the road (issue 19): what the holder asked to print, and
 * nothing when they did not. On the back, in the column beside the QR code,
 * the emergency contact and the help lines take the place of the card's
 * explanatory lines; the "rights and help" panel is a third card-sized page
 * (the back of an insert kept with the card: ID-1 leaves no room for a few
 * lines of rights in two languages beside a readable QR code). Texts are the
 * city's data, templates/road/<lang>.json; none of it is in the QR code.
 */
import type { FontSet } from './fonts.js';
import { drawLine, fitLine, wrapLines, type ShapedLine } from './text.js';
import type { ThemeColors } from './theme.js';

/** One language's road texts (templates/road/<lang>.json). */
export interface RoadTexts {
  title: string;
  emergencyContact: string;
  cityHelpLine: string;
  humanitarianHelpLine: string;
  rights: string[];
}

export interface RoadView {
  emergencyContact?: { name?: string; phone: string };
  rightsPanel: boolean;
  /** The holder's language first, then the city's when it differs. */
  texts: RoadTexts[];
  lines: { cityHelpLine: string; humanitarianHelpLine: string };
}

const put = (doc: PDFKit.PDFDocument, line: ShapedLine, x: number, baseline: number, color: string, width: number) =>
  drawLine(doc, line, x, baseline, { color, align: line.rtl ? 'right' : 'left', width });

/**
 * Draws the road block in the back's text column from `box.y` down, never
 * below `box.bottom`; returns the next free baseline.
 */
export function drawRoadBack(doc: PDFKit.PDFDocument, fonts: FontSet, road: RoadView, box: { x: number; y: number; width: number; bottom: number }, colors: ThemeColors): number {
  let y = box.y;
  const line = (text: string, size: number, color: string, opts: { bold?: boolean; ltr?: boolean } = {}) => {
    if (y + size > box.bottom) return;
    const shaped = fitLine(fonts, text, { maxSize: size, minSize: size * 0.75, maxWidth: box.width, ...(opts.bold ? { weight: 'bold' as const } : {}), ...(opts.ltr ? { dir: 'ltr' as const } : {}) });
    y += size;
    put(doc, shaped, box.x, y, color, box.width);
    y += size * 0.3;
  };
  const [holder, official] = road.texts;
  if (road.emergencyContact) {
    line(official ? `${holder!.emergencyContact} · ${official.emergencyContact}` : holder!.emergencyContact, 4.6, colors.muted);
    if (road.emergencyContact.name) line(road.emergencyContact.name, 6, colors.text, { bold: true });
    line(road.emergencyContact.phone, 6.5, colors.text, { bold: true, ltr: true });
    y += 1.5;
  }
  if (road.rightsPanel) {
    line(holder!.cityHelpLine, 4.4, colors.muted);
    line(road.lines.cityHelpLine, 6, colors.text, { ltr: true });
    line(holder!.humanitarianHelpLine, 4.4, colors.muted);
    line(road.lines.humanitarianHelpLine, 6, colors.text, { ltr: true });
  }
  return y;
}

/** The "rights and help" page, card-sized: a band with the title, then the rights in each language, help lines at the foot. */
export function drawRightsPage(doc: PDFKit.PDFDocument, fonts: FontSet, road: RoadView, colors: ThemeColors, size: { width: number; height: number }): void {
  const { width: W, height: H } = size;
  const margin = 8;
  const inner = W - 2 * margin;
  doc.rect(0, 0, W, H).fill(colors.background);
  doc.rect(0, 0, W, 16).fill(colors.primary);
  const title = fitLine(fonts, road.texts.map((t) => t.title).join(' · '), { maxSize: 8, minSize: 5, maxWidth: inner, weight: 'bold' });
  drawLine(doc, title, margin, 11, { color: colors.onPrimary, align: 'left', width: inner });

  const foot = H - 16;
  // Each language gets the room it needs at the largest size that lets all of them fit above the help lines.
  for (let fontSize = 7; fontSize >= 3.6; fontSize -= 0.4) {
    // A bullet is a neutral character: bidi would set it at the left of a right-to-left line, so those go without.
    const blocks = road.texts.map((t) => t.rights.flatMap((r) => wrapLines(fonts, RTL.test(r) ? r : `• ${r}`, { size: fontSize, maxWidth: inner })));
    const height = blocks.reduce((h, b) => h + b.length * fontSize * 1.25 + 3, 0);
    if (20 + height > foot - 2 && fontSize > 3.7) continue;
    let y = 20;
    blocks.forEach((lines, i) => {
      for (const l of lines) {
        y += fontSize * 1.25;
        if (y > foot - 2) return;
        put(doc, l, margin, y, i === 0 ? colors.text : colors.muted, inner);
      }
      y += 3;
    });
    break;
  }
  const [holder] = road.texts;
  doc.rect(0, foot - 9, W, 0.6).fill(colors.accent);
  // Each help line: its label on the text's own side, the number (always left to right) on the other.
  [
    [holder!.cityHelpLine, road.lines.cityHelpLine],
    [holder!.humanitarianHelpLine, road.lines.humanitarianHelpLine],
  ].forEach(([label, phone], i) => {
    const baseline = foot - 2 + i * 7.5;
    const number = fitLine(fonts, phone!, { maxSize: 6, minSize: 4.5, maxWidth: inner / 3, weight: 'bold', dir: 'ltr' });
    const text = fitLine(fonts, label!, { maxSize: 5.4, minSize: 3.6, maxWidth: inner - number.width - 6 });
    drawLine(doc, text, margin, baseline, { color: colors.muted, align: text.rtl ? 'right' : 'left', width: inner });
    drawLine(doc, number, margin, baseline, { color: colors.text, align: text.rtl ? 'left' : 'right', width: inner });
  });
}

const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
