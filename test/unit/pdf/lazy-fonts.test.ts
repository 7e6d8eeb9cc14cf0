/**
 * A renderer reads a script's fonts when a card first needs them: a Latin
 * card reads no other family, and cards in every script, rendered all at
 * once on a fresh renderer (concurrent first use), come out byte for byte as
 * with every font read up front.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCardRenderer, loadFonts, loadTheme, type CardRenderer } from '../../../src/pdf/index.js';
import { createLazyFontSet, FONT_FILES, LazyFontFamily } from '../../../src/pdf/fonts.js';
import { sampleViews, type Sample } from '../../../src/pdf/samples.js';
import { pageText } from './helpers.js';

let samples: Sample[];
let eager: CardRenderer;

beforeAll(async () => {
  samples = await sampleViews(await loadTheme());
  eager = await createCardRenderer({ fonts: await loadFonts() });
});

const loadedNames = (set: readonly LazyFontFamily[]) => set.filter((f) => f.loaded).map((f) => f.name);
const sample = (id: string) => samples.find((s) => s.id === id)!.view;

describe('fonts read on first need', () => {
  it('a new renderer has read Latin only, and a Latin card (Spanish labels) reads nothing more', async () => {
    const set = await createLazyFontSet();
    expect(loadedNames(set)).toEqual(['latin']);
    const renderer = await createCardRenderer({ fonts: set });
    const pdf = await renderer.card(sample('latin'));
    expect(pageText(pdf, 1)).toContain('Zoë Łukasiewicz-Ñúñez');
    expect(loadedNames(set)).toEqual(['latin']);
  });

  it('an Arabic card reads the Arabic family, and no Chinese or Korean', async () => {
    const set = await createLazyFontSet();
    const pdf = await (await createCardRenderer({ fonts: set })).card(sample('arabic'));
    expect(pageText(pdf, 1)).toContain('أمينة حداد');
    expect(loadedNames(set)).toContain('arabic');
    expect(loadedNames(set)).not.toContain('sc');
    expect(loadedNames(set)).not.toContain('kr');
  });

  it('every script at once on a fresh renderer, three times each: every card and sheet is the same bytes as with all fonts read up front', async () => {
    const set = await createLazyFontSet();
    const lazy = await createCardRenderer({ fonts: set });
    const views = samples.map((s) => s.view);
    const jobs = [0, 1, 2].flatMap(() => views.flatMap((v) => [lazy.card(v), lazy.sheet(v)]));
    const got = await Promise.all(jobs);
    const expected = await Promise.all(views.flatMap((v) => [eager.card(v), eager.sheet(v)]));
    got.forEach((pdf, i) => expect(pdf.equals(expected[i % expected.length]!), `job ${i}`).toBe(true));
    expect(loadedNames(set)).toEqual(FONT_FILES.map((f) => f.name));
  });

  it("a large family's blocks include every character of both its fonts (else a card would print a fallback)", () => {
    const require = createRequire(import.meta.url);
    for (const files of FONT_FILES.filter((f) => f.blocks)) {
      const family = new LazyFontFamily(files);
      let dir = dirname(require.resolve(files.pkg));
      while (!readdirHasPackageJson(dir)) dir = dirname(dir);
      for (const file of [files.regular, files.bold]) {
        const font = fontkit.create(readFileSync(join(dir, file))) as fontkit.Font;
        const missing = font.characterSet.filter((cp) => !family.mayCover(cp));
        expect(missing, `${files.name} ${file}`).toEqual([]);
      }
    }
  });
});

function readdirHasPackageJson(dir: string): boolean {
  try {
    readFileSync(join(dir, 'package.json'));
    return true;
  } catch {
    return false;
  }
}
