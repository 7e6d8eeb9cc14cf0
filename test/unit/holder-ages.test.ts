import { describe, expect, it } from 'vitest';
import { bandOf, servedAges, type AgeBand } from '../../src/modules/benefits/holder-ages.js';

describe('bandOf', () => {
  it.each([
    ['2009-03-01', '2027-03-01', '18-24'],
    ['2009-03-02', '2027-03-01', '0-17'],
    ['1962-03-01', '2027-03-01', '65+'],
    ['1987-11', '2027-03-01', '35-44'],
    ['2002', '2027-03-01', 'unknown'], // 24 or 25
    ['1990', '2027-03-01', '35-44'], // 36 or 37
    [null, '2027-03-01', 'unknown'],
  ] as const)('%s on %s → %s', (birth, today, band) => {
    expect(bandOf(birth, today)).toBe(band);
  });
});

describe('servedAges', () => {
  const all = (n: number): Map<AgeBand, number> => new Map((['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+', 'unknown'] as AgeBand[]).map((b) => [b, n]));

  it('hides every band under 10 and the total under 10', () => {
    const out = servedAges(new Map([['35-44', 9]]), '2027-03-01');
    expect(out.total).toBeNull();
    expect(out.bands.every((b) => b.count === null)).toBe(true);
  });

  it('when one band alone is hidden, hides the smallest other one too (the total would give it away)', () => {
    const counts = all(20);
    counts.set('unknown', 3);
    counts.set('65+', 11);
    const out = servedAges(counts, '2027-03-01');
    expect(out.total).toBe(20 * 6 + 3 + 11);
    expect(out.bands.find((b) => b.band === 'unknown')!.count).toBeNull();
    expect(out.bands.find((b) => b.band === '65+')!.count).toBeNull();
    expect(out.bands.filter((b) => b.count === 20)).toHaveLength(6);
  });

  it('serves everything when every band reaches 10', () => {
    const out = servedAges(all(10), '2027-03-01');
    expect(out.total).toBe(80);
    expect(out.bands.every((b) => b.count === 10)).toBe(true);
  });
});
