import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCardRules } from '../../../src/modules/cards/card-rules.js';

const base = {
  version: 't', validityYears: 5, minorValidityYears: 2, adultAge: 18, renewalWindowDaysBefore: 90, renewalWindowDaysAfter: 365,
  revocationReasons: ['lost'], statusListMinSlots: 131072,
};
const file = (content: unknown) => {
  const f = join(mkdtempSync(join(tmpdir(), 'rules-')), 'card-rules.json');
  writeFileSync(f, JSON.stringify(content));
  return f;
};

describe('card rules: photoRequired', () => {
  it('defaults to required, in the shipped rules and when a file omits it', () => {
    expect(loadCardRules('fr-testville').photoRequired).toBe(true);
    expect(loadCardRules('x', file({ default: base })).photoRequired).toBe(true);
  });
  it('a city may make photos optional; a non-boolean stops the start', () => {
    expect(loadCardRules('fr-nophoto', file({ default: base, cities: { 'fr-nophoto': { photoRequired: false } } })).photoRequired).toBe(false);
    expect(() => loadCardRules('x', file({ default: { ...base, photoRequired: 'no' } }))).toThrow(/photoRequired/);
  });
});
