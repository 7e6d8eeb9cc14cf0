/**
 * The credential's QR code as vector rectangles (no raster image: sharper
 * when printed and ~10× faster than embedding a PNG, NOTES "PDFs").
 *
 * The mask is chosen so that both common decoders read the symbol.
 * @zxing/library 0.21.3 (what many Android and web scanners embed) fails on
 * about 3 % of symbols that qrcode 1.5.4 makes, even perfect renders —
 * whatever the quiet zone (4 or 8 modules), module size (1–3 px), binarizer
 * or TRY_HARDER: it depends on the symbol's content under the chosen mask
 * (every one of the 8 masks fails for some contents, none for all), so a
 * card was unreadable to it at every resolution. jsQR and zbar read them
 * all. So the symbol is decoded by zxing from clean renders at 1, 2, 3, 5,
 * 9 and 17 px a module (17 ≈ a card printed and scanned at 600 dpi; each
 * size caught a failure the others missed) and, if one fails, the next
 * mask is tried: 16 cards × 150/200/300/600 dpi went from 7 zxing failures
 * in 64 renders to none (test/unit/pdf/qr-decoders.test.ts).
 */
import QRCode, { type QRCodeSegment } from 'qrcode';
import { BinaryBitmap, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import { qrSegments } from '../credential/qr-text.js';

/** Modules of white around the symbol, as ISO/IEC 18004 requires. */
export const QUIET_ZONE = 4;

export interface QrMatrix {
  size: number;
  /** The mask pattern (0–7) used. */
  mask: number;
  isDark(row: number, col: number): boolean;
}

type Modules = { size: number; get(row: number, col: number): number | boolean };

const reader = new QRCodeReader();

/** Whether zxing reads `text` back from a clean render of the symbol (2 px a module). */
export function zxingReads(modules: Modules, text: string, scale = 2): boolean {
  const w = (modules.size + 2 * QUIET_ZONE) * scale;
  const lum = new Uint8ClampedArray(w * w).fill(255);
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) {
      if (!modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) lum.fill(0, ((r + QUIET_ZONE) * scale + dy) * w + (c + QUIET_ZONE) * scale, ((r + QUIET_ZONE) * scale + dy) * w + (c + QUIET_ZONE + 1) * scale);
    }
  }
  try {
    return reader.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(lum, w, w)))).getText() === text;
  } catch {
    return false;
  } finally {
    reader.reset();
  }
}

/** zxing's failures depend on the pixel grid too: 1, 2, 3, 5 and 9 px a module. */
const readsEverywhere = (modules: Modules, text: string) => [2, 3, 1, 5, 9, 17].every((scale) => zxingReads(modules, text, scale));

/** Recent choices: a card's PDF is asked for more than once, and choosing costs ~20–60 ms. */
const chosenMasks = new Map<string, QrMatrix>();
const MAX_CACHED = 512;

/** The matrix for a card's QR text (Base45): alphanumeric mode, level M, a mask zxing reads. */
export function qrMatrix(qrText: string): QrMatrix {
  const cached = chosenMasks.get(qrText);
  if (cached) return cached;
  const matrix = chooseMatrix(qrText);
  if (chosenMasks.size >= MAX_CACHED) chosenMasks.delete(chosenMasks.keys().next().value!);
  chosenMasks.set(qrText, matrix);
  return matrix;
}

function chooseMatrix(qrText: string): QrMatrix {
  const segments = qrSegments(qrText) as QRCodeSegment[];
  const first = QRCode.create(segments, { errorCorrectionLevel: 'M' });
  let chosen = first;
  if (!readsEverywhere(first.modules, qrText)) {
    for (let mask = 0; mask < 8; mask++) {
      if (mask === first.maskPattern) continue;
      const other = QRCode.create(segments, { errorCorrectionLevel: 'M', maskPattern: mask as QRCode.QRCodeMaskPattern });
      if (readsEverywhere(other.modules, qrText)) {
        chosen = other;
        break;
      }
    }
  }
  const { modules } = chosen;
  return { size: modules.size, mask: Number(chosen.maskPattern), isDark: (r, c) => modules.get(r, c) !== 0 };
}

/**
 * Draws the symbol with its quiet zone in a `side`×`side` square at (x, y):
 * a white square, then one path of dark runs (adjacent modules of a row
 * merged, so no hairline seams), filled once.
 */
export function drawQr(doc: PDFKit.PDFDocument, matrix: QrMatrix, x: number, y: number, side: number, dark = '#000000'): void {
  const total = matrix.size + 2 * QUIET_ZONE;
  const m = side / total;
  doc.rect(x, y, side, side).fill('#FFFFFF');
  const ox = x + QUIET_ZONE * m;
  const oy = y + QUIET_ZONE * m;
  for (let r = 0; r < matrix.size; r++) {
    let c = 0;
    while (c < matrix.size) {
      if (!matrix.isDark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < matrix.size && matrix.isDark(r, c)) c++;
      doc.rect(ox + start * m, oy + r * m, (c - start) * m, m);
    }
  }
  doc.fill(dark);
}
