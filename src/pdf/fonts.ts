/**
 * The card's fonts: one family per script group, each parsed once with
 * fontkit and handed to every document (pdfkit subsets what a card uses).
 *
 * All are SIL Open Font License 1.1 (embedding allowed), from npm packages
 * pinned in package.json:
 * - Noto Sans: Latin with diacritics and Vietnamese, Greek, Cyrillic;
 * - Noto Naskh Arabic (one glyph per letter form, so extracted text keeps
 *   every letter; Noto Sans Arabic shares dotless bases between letters);
 * - Noto Sans Hebrew; Noto Sans Devanagari;
 * - Noto Sans SC: Han ideographs (incl. Ext. A and Japanese forms) and kana;
 * - Noto Sans KR: Hangul (SC has none).
 * The order below is the fallback order: a letter takes the first family
 * whose cmap has it (see text.ts for the run rules).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

export interface FontFamily {
  /** Short name, also the pdfkit registration key prefix. */
  name: string;
  regular: fontkit.Font;
  bold: fontkit.Font;
}

/** Families in fallback order. */
export type FontSet = readonly FontFamily[];

interface FamilyFiles {
  name: string;
  pkg: string;
  regular: string;
  bold: string;
}

export const FONT_FILES: readonly FamilyFiles[] = [
  { name: 'latin', pkg: '@expo-google-fonts/noto-sans', regular: '400Regular/NotoSans_400Regular.ttf', bold: '700Bold/NotoSans_700Bold.ttf' },
  { name: 'arabic', pkg: '@embedpdf/fonts-arabic', regular: 'fonts/NotoNaskhArabic-Regular.ttf', bold: 'fonts/NotoNaskhArabic-Bold.ttf' },
  { name: 'hebrew', pkg: '@embedpdf/fonts-hebrew', regular: 'fonts/NotoSansHebrew-Regular.ttf', bold: 'fonts/NotoSansHebrew-Bold.ttf' },
  { name: 'devanagari', pkg: '@expo-google-fonts/noto-sans-devanagari', regular: '400Regular/NotoSansDevanagari_400Regular.ttf', bold: '700Bold/NotoSansDevanagari_700Bold.ttf' },
  { name: 'sc', pkg: '@expo-google-fonts/noto-sans-sc', regular: '400Regular/NotoSansSC_400Regular.ttf', bold: '700Bold/NotoSansSC_700Bold.ttf' },
  { name: 'kr', pkg: '@embedpdf/fonts-kr', regular: 'fonts/NotoSansKR-Regular.otf', bold: 'fonts/NotoSansKR-Bold.otf' },
];

const require = createRequire(import.meta.url);

/** The package's root folder (its `exports` may hide the font files from require.resolve). */
function packageDir(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`font package ${pkg}: no package.json above its entry`);
    dir = up;
  }
  return dir;
}

async function parse(file: string): Promise<fontkit.Font> {
  const font = fontkit.create(await readFile(file));
  if ('fonts' in font) throw new Error(`${file} is a font collection, expected one font`);
  return memoizeLayout(font);
}

/** Shaped runs kept per font; labels, city names and fine print repeat on every card. */
const LAYOUT_CACHE_SIZE = 4000;

/**
 * OpenType shaping is most of a card's cost, and pdfkit re-shapes every run
 * of every document (its own cache lives per document). This wraps the
 * shared font's `layout` with a bounded LRU keyed by text and features.
 * pdfkit scales a run's positions in place, so each call gets fresh copies
 * of the positions (the glyph objects are shared, as fontkit does anyway).
 */
function memoizeLayout(font: fontkit.Font): fontkit.Font {
  const original = font.layout.bind(font);
  const cache = new Map<string, fontkit.GlyphRun>();
  font.layout = (text, features) => {
    const key = `${Array.isArray(features) ? features.join(',') : JSON.stringify(features ?? null)}\u0000${text}`;
    let run = cache.get(key);
    if (run) {
      cache.delete(key);
    } else {
      run = original(text, features);
      if (cache.size >= LAYOUT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(key, run);
    return cloneRun(run);
  };
  return font;
}

function cloneRun(run: fontkit.GlyphRun): fontkit.GlyphRun {
  const copy = Object.create(Object.getPrototypeOf(run) as object) as fontkit.GlyphRun;
  Object.assign(copy, run);
  copy.positions = run.positions.map((p) => Object.assign(Object.create(Object.getPrototypeOf(p) as object) as object, p));
  copy.glyphs = run.glyphs.slice();
  return copy;
}

/** Reads and parses every card font once (~50 MB of buffers, ~0.2 s). */
export async function loadFonts(): Promise<FontSet> {
  return Promise.all(
    FONT_FILES.map(async (f) => {
      const dir = packageDir(f.pkg);
      const [regular, bold] = await Promise.all([parse(join(dir, f.regular)), parse(join(dir, f.bold))]);
      return { name: f.name, regular, bold };
    }),
  );
}

/**
 * fontkit caches glyph objects per font, with the code points they were
 * first made for. Subsetting makes the components of composite glyphs (N in
 * Ñ) with no code points; a later card laying out "N" would then get that
 * cached glyph and pdfkit would write no ToUnicode entry for it (the letter
 * vanishes from copied or extracted text). Called after each document is
 * finished (pdfkit subsets synchronously in `end()`), it drops only those
 * glyphs, keeping the rest of the cache.
 */
export function dropGlyphsWithoutCodePoints(fonts: FontSet): void {
  for (const family of fonts) {
    for (const font of [family.regular, family.bold]) {
      const cache = (font as unknown as { _glyphs?: Record<string, { codePoints?: number[] }> })._glyphs;
      if (!cache) continue;
      for (const id of Object.keys(cache)) {
        if (!cache[id]?.codePoints?.length) delete cache[id];
      }
    }
  }
}
