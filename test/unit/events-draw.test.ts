/** The lottery draw: reproducible from its seed, and fair (chi-square over many draws). */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { drawOrder, seedCommitment } from '../../src/modules/events/events-draw.js';

/** Injected randomness: seeds from a counter, so the test itself is reproducible. */
const seedOf = (i: number) => createHash('sha256').update(`test-seed-${i}`).digest();
const entries = Array.from({ length: 10 }, (_, i) => `entry${i.toString(16).padStart(2, '0')}`);

describe('drawOrder', () => {
  it('gives the same order for the same seed and entries, whatever order the entries come in', () => {
    const seed = seedOf(1);
    const a = drawOrder(seed, entries);
    expect(drawOrder(seed, [...entries].reverse())).toEqual(a);
    expect([...a].sort()).toEqual([...entries].sort());
    expect(drawOrder(seedOf(2), entries)).not.toEqual(a);
    expect(seedCommitment(seed)).toBe(createHash('sha256').update(seed).digest('hex'));
  });

  it('gives each entrant an equal chance of a place, and of each rank (chi-square, 6,000 draws)', () => {
    const draws = 6000;
    const places = 3;
    const won = new Map(entries.map((e) => [e, 0]));
    const firsts = new Map(entries.map((e) => [e, 0]));
    for (let i = 0; i < draws; i++) {
      const order = drawOrder(seedOf(i), entries);
      for (const e of order.slice(0, places)) won.set(e, won.get(e)! + 1);
      firsts.set(order[0]!, firsts.get(order[0]!)! + 1);
    }
    const chi2 = (counts: number[], expected: number) => counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: 27.88 is the 0.999 quantile; a biased draw (e.g. modulo bias or a skipped swap) goes far beyond.
    expect(chi2([...won.values()], (draws * places) / entries.length)).toBeLessThan(27.88);
    expect(chi2([...firsts.values()], draws / entries.length)).toBeLessThan(27.88);
  });

  it('the test would catch a biased draw', () => {
    // The classic mistake: j uniform over the whole range at every step.
    const naive = (seed: Buffer) => {
      const o = [...entries];
      for (let i = 0; i < o.length; i++) {
        const j = seed.readUInt32BE((i * 3) % 28) % o.length;
        [o[i], o[j]] = [o[j]!, o[i]!];
      }
      return o;
    };
    const firsts = new Map(entries.map((e) => [e, 0]));
    for (let i = 0; i < 6000; i++) {
      const f = naive(seedOf(i))[0]!;
      firsts.set(f, firsts.get(f)! + 1);
    }
    const chi = [...firsts.values()].reduce((s, c) => s + (c - 600) ** 2 / 600, 0);
    expect(chi).toBeGreaterThan(27.88);
  });
});
