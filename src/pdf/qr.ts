/**
 * The credential's QR code as vector rectangles (no raster image: sharper
 * when printed and ~10× faster than embedding a PNG, NOTES "PDFs").
 */
import QRCode, { type QRCodeSegment } from 'qrcode';
import { qrSegments } from '../credential/qr-text.js';

/** Modules of white around the symbol, as ISO/IEC 18004 requires. */
export const QUIET_ZONE = 4;

export interface QrMatrix {
  size: number;
  isDark(row: number, col: number): boolean;
}

/** The matrix for a card's QR text (Base45): alphanumeric mode, level M. */
export function qrMatrix(qrText: string): QrMatrix {
  const { modules } = QRCode.create(qrSegments(qrText) as QRCodeSegment[], { errorCorrectionLevel: 'M' });
  return { size: modules.size, isDark: (r, c) => modules.get(r, c) !== 0 };
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
