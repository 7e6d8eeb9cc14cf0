/**
 * Card validity and renewal rules, as data (templates/rules/card-rules.json),
 * checked once at start-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES_DIR } from '../residents/city-rules.js';

export interface CardRules {
  version: string;
  validityYears: number;
  minorValidityYears: number;
  adultAge: number;
  renewalWindowDaysBefore: number;
  renewalWindowDaysAfter: number;
  revocationReasons: string[];
  statusListMinSlots: number;
  /** A card is issued only when the record has a photo (default true). */
  photoRequired: boolean;
}

const DAY = 86_400_000;

export function loadCardRules(cityId: string, file = join(RULES_DIR, 'card-rules.json')): CardRules {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { default: CardRules; cities?: Record<string, Partial<CardRules>> };
  const rules: CardRules = { ...raw.default, ...(raw.cities?.[cityId] ?? {}) };
  rules.photoRequired ??= true;
  const positive = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;
  for (const k of ['validityYears', 'minorValidityYears', 'adultAge', 'renewalWindowDaysBefore', 'renewalWindowDaysAfter', 'statusListMinSlots'] as const) {
    if (!positive(rules[k])) throw new Error(`card-rules.json: ${k} must be a positive whole number`);
  }
  if (rules.statusListMinSlots < 131_072) throw new Error('card-rules.json: statusListMinSlots must be at least 131072 (herd privacy)');
  if (!Array.isArray(rules.revocationReasons) || rules.revocationReasons.length === 0) throw new Error('card-rules.json: revocationReasons must list reasons');
  if (typeof rules.photoRequired !== 'boolean') throw new Error('card-rules.json: photoRequired must be true or false');
  return rules;
}

/** `YYYY-MM-DD` of a Date, in UTC. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  // 29 February + n years → 28 February when the target year has none.
  const date = new Date(Date.UTC(y + years, m - 1, d));
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
  return isoDay(date);
}

/** Whether a holder is certainly younger than `age` on `day` (partial dates: judged from their earliest possible birthday). */
export function certainlyYoungerThan(birthDate: string | null, age: number, day: string): boolean {
  if (!birthDate) return false;
  const parts = birthDate.split('-');
  // The earliest possible birth makes the holder the oldest possible.
  const earliest = `${parts[0]}-${parts[1] ?? '01'}-${parts[2] ?? '01'}`;
  return addYears(earliest, age) > day;
}

/**
 * A new card's expiry: the city's validity (shorter for minors), never past
 * the last day the signing key is valid (DESIGN.md: a card never outlives its key).
 */
export function cardExpiry(rules: CardRules, issuedOn: string, birthDate: string | null, keyNotAfter: Date): string {
  const years = certainlyYoungerThan(birthDate, rules.adultAge, issuedOn) ? rules.minorValidityYears : rules.validityYears;
  const byRule = addYears(issuedOn, years);
  const byKey = isoDay(new Date(keyNotAfter.getTime() - DAY));
  return byRule < byKey ? byRule : byKey;
}

/** The first and last day a card expiring on `expiresOn` may be renewed (YYYY-MM-DD). */
export function renewalWindow(rules: CardRules, expiresOn: string): { from: string; until: string } {
  const exp = Date.parse(`${expiresOn}T00:00:00Z`);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(exp - rules.renewalWindowDaysBefore * DAY), until: day(exp + rules.renewalWindowDaysAfter * DAY) };
}

/** Whether `today` lies in the renewal window around `expiresOn`. */
export function inRenewalWindow(rules: CardRules, expiresOn: string, today: string): boolean {
  const exp = Date.parse(`${expiresOn}T00:00:00Z`);
  const t = Date.parse(`${today}T00:00:00Z`);
  return t >= exp - rules.renewalWindowDaysBefore * DAY && t <= exp + rules.renewalWindowDaysAfter * DAY;
}
