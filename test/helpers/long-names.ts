/**
 * Names at the card's print limit, per script: the longest name of a kind
 * that the card's own layout (src/pdf/name-layout.ts) still sets whole, and
 * the one a letter longer that it cannot. Found by asking the layout, so
 * the tests follow the rule rather than copy its numbers.
 */

/** Builders: `n` letters of a script in words of `word` letters. */
export const NAME_KINDS = {
  /** The widest Latin capitals, in words of 8: the worst Latin case. */
  latinWide: { build: (n: number) => words(['W', 'M'], 8, n), lang: 'latin' },
  /** Arabic letters that join, in words of 5. */
  arabic: { build: (n: number) => words(Array.from('محمدعبداللهحسين'), 5, n), lang: 'arabic' },
  /** Devanagari syllables with vowel signs above and below, in words of 6 code points. */
  devanagari: { build: (n: number) => words(Array.from('प्रियाशर्माकुमारीदेवी'), 6, n), lang: 'devanagari' },
  /** Chinese and Japanese, no spaces (breaks between ideographs). */
  cjk: { build: (n: number) => Array.from({ length: n }, (_, i) => '王小明髙橋李さくら'[i % 9]).join(''), lang: 'cjk' },
} as const;

export type NameKind = keyof typeof NAME_KINDS;

function words(alphabet: string[], word: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % word === 0) s += ' ';
    s += alphabet[i % alphabet.length];
  }
  // A word may not end on a virama or start on a vowel sign: keep whole syllables by moving the space.
  return s.replace(/ (\p{M}+)/gu, '$1 ').replace(/\s+/g, ' ').trim();
}

type Layout = (names: { printed: string; original?: string }) => Promise<{ fits: boolean }>;

/** The longest `kind` name (in builder steps) that fits as the printed or the original name, and the first that does not. */
export async function atLimit(layout: Layout, kind: NameKind, field: 'printed' | 'original' = 'printed'): Promise<{ n: number; fits: string; over: string }> {
  const build = NAME_KINDS[kind].build;
  const fits = async (n: number) => (await layout(field === 'printed' ? { printed: build(n) } : { printed: 'Ana Li', original: build(n) })).fits;
  let lo = 1;
  let hi = 8;
  while (await fits(hi)) hi *= 2;
  // Binary search for the last n that fits (fits(lo) true, fits(hi) false).
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (await fits(mid)) lo = mid;
    else hi = mid;
  }
  return { n: lo, fits: build(lo), over: build(hi) };
}
