/**
 * The card's fonts: one family per script group, each parsed once with
 * fontkit and handed to every document (pdfkit subsets what a card uses).
 * A renderer reads a family's files when a card first needs one of its
 * letters (see {@link createLazyFontSet}): Chinese and Korean alone are 30 MB
 * of files, more once parsed, and most cities never print them.
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
  /**
   * For the large families: the 256-code-point blocks (code point >> 8) in
   * which their cmaps have any character, as hex ranges — a superset of what
   * they cover, so that a card whose letters lie elsewhere never reads them
   * (test/unit/pdf/lazy-fonts.test.ts checks it against the files). The
   * small families have none: they are read as soon as a letter is not in
   * an earlier family.
   */
  blocks?: string;
}

export const FONT_FILES: readonly FamilyFiles[] = [
  { name: 'latin', pkg: '@expo-google-fonts/noto-sans', regular: '400Regular/NotoSans_400Regular.ttf', bold: '700Bold/NotoSans_700Bold.ttf' },
  { name: 'arabic', pkg: '@embedpdf/fonts-arabic', regular: 'fonts/NotoNaskhArabic-Regular.ttf', bold: 'fonts/NotoNaskhArabic-Bold.ttf' },
  { name: 'hebrew', pkg: '@embedpdf/fonts-hebrew', regular: 'fonts/NotoSansHebrew-Regular.ttf', bold: 'fonts/NotoSansHebrew-Bold.ttf' },
  { name: 'devanagari', pkg: '@expo-google-fonts/noto-sans-devanagari', regular: '400Regular/NotoSansDevanagari_400Regular.ttf', bold: '700Bold/NotoSansDevanagari_700Bold.ttf' },
  {
    name: 'sc',
    pkg: '@expo-google-fonts/noto-sans-sc',
    regular: '400Regular/NotoSansSC_400Regular.ttf',
    bold: '700Bold/NotoSansSC_700Bold.ttf',
    blocks:
      '0-4 1e 20-27 29 2b 2e-9f f9-fb fe-ff 1f1-1f2 200-201 206 20c 213-215 229 235 23c 23e 241-242 248-24a 255 25a 25e 262 264 266-267 269 26b-26c 278 27e-27f 284 286-287 28b-28c 28e 296 298 29f 2a7-2aa 2af 2b1 2b3-2b8 2ba-2be 2c0-2ce 2d5 2f8 30e 310',
  },
  {
    name: 'kr',
    pkg: '@embedpdf/fonts-kr',
    regular: 'fonts/NotoSansKR-Regular.otf',
    bold: 'fonts/NotoSansKR-Bold.otf',
    blocks: '0-4 11 1e 20-27 29 2b 2e-44 46-4a 4c 4e-9f a9 ac-d7 f9-fb fe-ff 1f1-1f2 205-206 209 229 248 24a 250 25a 269 278 27f 28e 291 296 298 2f8-2f9',
  },
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

async function loadFamily(f: FamilyFiles): Promise<FontFamily> {
  const dir = packageDir(f.pkg);
  const [regular, bold] = await Promise.all([parse(join(dir, f.regular)), parse(join(dir, f.bold))]);
  return { name: f.name, regular, bold };
}

/** Reads and parses every card font at once (~50 MB of buffers, ~0.2 s). */
export async function loadFonts(): Promise<FontSet> {
  return Promise.all(FONT_FILES.map(loadFamily));
}

/**
 * Thrown while a card is laid out when one of its characters may be in a
 * family not read yet: the renderer loads the families and lays the card out
 * again from the start (documents are built synchronously, in memory).
 */
export class FontsNeeded extends Error {
  constructor(readonly families: readonly LazyFontFamily[]) {
    super(`fonts needed: ${families.map((f) => f.name).join(', ')}`);
  }
}

/** A family read on first need; one load however many cards ask at once. */
export class LazyFontFamily implements FontFamily {
  readonly name: string;
  #fonts: FontFamily | undefined;
  #loading: Promise<void> | undefined;
  readonly #blocks: Array<[number, number]> | undefined;

  constructor(private readonly files: FamilyFiles) {
    this.name = files.name;
    this.#blocks = files.blocks?.split(' ').map((r) => {
      const [a, b = a] = r.split('-').map((h) => parseInt(h, 16));
      return [a!, b!];
    });
  }

  get loaded(): boolean {
    return this.#fonts !== undefined;
  }

  get regular(): fontkit.Font {
    if (!this.#fonts) throw new FontsNeeded([this]);
    return this.#fonts.regular;
  }

  get bold(): fontkit.Font {
    if (!this.#fonts) throw new FontsNeeded([this]);
    return this.#fonts.bold;
  }

  /** False only for characters the family certainly lacks. */
  mayCover(cp: number): boolean {
    if (!this.#blocks) return true;
    const block = cp >> 8;
    return this.#blocks.some(([a, b]) => block >= a && block <= b);
  }

  load(): Promise<void> {
    return (this.#loading ??= loadFamily(this.files).then(
      (fonts) => {
        this.#fonts = fonts;
      },
      (e: unknown) => {
        // A failed read (a file missing) is tried again by the next card.
        this.#loading = undefined;
        throw e;
      },
    ));
  }
}

/** True when the family's fonts are in memory (always, outside a lazy set). */
export function isLoaded(family: FontFamily): boolean {
  return !(family instanceof LazyFontFamily) || family.loaded;
}

/**
 * Whether the family has the character. For a family not read yet: false if
 * it certainly lacks it, else FontsNeeded — so a card is never laid out with a
 * fallback where the full set would have found the letter.
 */
export function familyCovers(family: FontFamily, cp: number): boolean {
  if (family instanceof LazyFontFamily && !family.loaded) {
    if (family.mayCover(cp)) throw new FontsNeeded([family]);
    return false;
  }
  return family.regular.hasGlyphForCodePoint(cp);
}

/**
 * Every family, in fallback order, reading only Latin now (it is also the
 * fallback); the others are read when a card first needs them. The set is
 * one object for the renderer's life (its shaped-line cache stays valid: a
 * line laid out without a family never needed it).
 */
export async function createLazyFontSet(): Promise<readonly LazyFontFamily[]> {
  const set = FONT_FILES.map((f) => new LazyFontFamily(f));
  await set[0]!.load();
  return set;
}

/** Runs `draw` until no family it needs is missing, loading them in between. */
export async function withFonts<T>(draw: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await draw();
    } catch (e) {
      if (!(e instanceof FontsNeeded)) throw e;
      await Promise.all(e.families.map((f) => f.load()));
    }
  }
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
    if (!isLoaded(family)) continue;
    for (const font of [family.regular, family.bold]) {
      const cache = (font as unknown as { _glyphs?: Record<string, { codePoints?: number[] }> })._glyphs;
      if (!cache) continue;
      for (const id of Object.keys(cache)) {
        if (!cache[id]?.codePoints?.length) delete cache[id];
      }
    }
  }
}
