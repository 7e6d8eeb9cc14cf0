/**
 * What a person sees in a card PDF, through poppler-utils (pdfinfo,
 * pdftotext, pdftoppm) and a QR decoder reading the rendered picture.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

type JsQR = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQR = (jsQRModule as unknown as { default?: JsQR }).default ?? (jsQRModule as unknown as JsQR);

function withFile<T>(pdf: Buffer, fn: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'lcc-pdf-'));
  try {
    const file = join(dir, 'card.pdf');
    writeFileSync(file, pdf);
    return fn(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Page sizes in points, as pdfinfo reports them. */
export function pageSizes(pdf: Buffer): Array<{ width: number; height: number }> {
  return withFile(pdf, (file) => {
    const out = execFileSync('pdfinfo', ['-f', '1', '-l', '99', file], { encoding: 'utf8' });
    return [...out.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
  });
}

/** Text of one page as pdftotext gives it (reading order, UTF-8). */
export function pageText(pdf: Buffer, page: number): string {
  return withFile(pdf, (file) => execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
}

/**
 * Text as a reader compares it: presentation forms folded (NFKC), bidi
 * control marks that pdftotext adds around right-to-left lines dropped,
 * whitespace collapsed.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Renders one page at `dpi` and decodes the QR code in the picture. */
export function decodeQr(pdf: Buffer, page: number, dpi = 150): string | null {
  return withFile(pdf, (file, dir) => {
    const base = join(dir, 'page');
    execFileSync('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-png', '-singlefile', file, base]);
    const png = PNG.sync.read(readFileSync(`${base}.png`));
    return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height)?.data ?? null;
  });
}

/** Share of non-white pixels in a rectangle of a page rendered at `dpi` (for "something is drawn here"). */
export function inkShare(pdf: Buffer, page: number, box: { x: number; y: number; w: number; h: number }, dpi = 150): number {
  return withFile(pdf, (file, dir) => {
    const base = join(dir, 'page');
    execFileSync('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-png', '-singlefile', file, base]);
    const png = PNG.sync.read(readFileSync(`${base}.png`));
    const k = dpi / 72;
    let ink = 0;
    let total = 0;
    for (let y = Math.round(box.y * k); y < Math.round((box.y + box.h) * k); y++) {
      for (let x = Math.round(box.x * k); x < Math.round((box.x + box.w) * k); x++) {
        const i = (y * png.width + x) * 4;
        total++;
        if (png.data[i]! < 200 || png.data[i + 1]! < 200 || png.data[i + 2]! < 200) ink++;
      }
    }
    return total ? ink / total : 0;
  });
}
