/** The pure rules of an offer: period keys, next availability, eligibility from a printed birth date. */
import { describe, expect, it } from 'vitest';
import { ageRange, availableAgain, eligibility, localDate, periodOf } from '../../src/modules/benefits/offer-rules.js';

describe('periods in the city’s time zone', () => {
  it.each([
    ['2027-12-31T22:59:59Z', 'Europe/Paris', '2027-12-31'],
    ['2027-12-31T23:00:00Z', 'Europe/Paris', '2028-01-01'],
    ['2028-01-01T02:00:00Z', 'America/New_York', '2027-12-31'],
    ['2027-03-01T00:30:00Z', 'America/Sao_Paulo', '2027-02-28'],
  ])('%s in %s is %s', (at, zone, day) => expect(localDate(new Date(at), zone)).toBe(day));

  it.each([
    ['none', '2027-03-10', null, null],
    ['once', '2027-03-10', 'once', null],
    ['year', '2027-03-10', '2027', '2028-01-01'],
    ['month', '2027-03-10', '2027-03', '2027-04-01'],
    ['month', '2027-12-31', '2027-12', '2028-01-01'],
  ] as const)('%s on %s → period %s, again on %s', (limit, today, period, again) => {
    expect(periodOf(limit, today)).toBe(period);
    expect(availableAgain(limit, today)).toBe(again);
  });
});

describe('eligibility', () => {
  const rule = (ageMin: number | null, ageMax: number | null, partnerCityHolders = false) => ({ ageMin, ageMax, partnerCityHolders });
  const own = (birthDate: string | null) => ({ birthDate, ownCity: true });
  it.each([
    ['no rule, unknown date', rule(null, null), own(null), true],
    ['no rule, year only', rule(null, null), own('1990'), true],
    ['65+, full date, 65 today', rule(65, null), own('1962-03-10'), true],
    ['65+, full date, 65 tomorrow', rule(65, null), own('1962-03-11'), false],
    ['65+, year 1950', rule(65, null), own('1950'), true],
    ['65+, year 1962 (64 or 65)', rule(65, null), own('1962'), 'check-by-hand'],
    ['65+, year-month 1962-02 (65)', rule(65, null), own('1962-02'), true],
    ['65+, year-month 1962-03 (64 or 65)', rule(65, null), own('1962-03'), 'check-by-hand'],
    ['65+, year 2000', rule(65, null), own('2000'), false],
    ['65+, unknown', rule(65, null), own(null), 'check-by-hand'],
    ['under 26, unknown', rule(null, 25), own(null), 'check-by-hand'],
    ['under 26, 2001-03-11 (25)', rule(null, 25), own('2001-03-11'), true],
    ['under 26, 2001-03-10 (26)', rule(null, 25), own('2001-03-10'), false],
    ['18–25, 2009 (17 or 18)', rule(18, 25), own('2009'), 'check-by-hand'],
  ])('%s', (_n, offer, holder, expected) => expect(eligibility(offer, holder, '2027-03-10')).toBe(expected));

  it('another city’s card: only where the offer says so', () => {
    expect(eligibility(rule(null, null), { birthDate: null, ownCity: false }, '2027-03-10')).toBe(false);
    expect(eligibility(rule(null, null, true), { birthDate: null, ownCity: false }, '2027-03-10')).toBe(true);
  });

  it('age ranges of partial dates', () => {
    expect(ageRange('1990', '2027-06-01')).toEqual({ min: 36, max: 37 });
    expect(ageRange('1990-02', '2027-02-15')).toEqual({ min: 36, max: 37 });
    expect(ageRange('1990-02', '2027-03-01')).toEqual({ min: 37, max: 37 });
    expect(ageRange('2024-02-29', '2027-02-28')).toEqual({ min: 2, max: 2 });
  });
});
