/**
 * The edit form's merge patch (src/web/console/edit.ts, pure): only what
 * changed is sent, a removed member is `null`, an address is replaced whole,
 * and what the card prints is told apart from what it does not.
 */
import { describe, expect, it } from 'vitest';
import { patchOf, printedChanges } from '../../../src/web/console/edit.js';
import { valuesOf, type RecordValues } from '../../../src/web/console/enrol.js';
import type { ResidentRecord } from '../../../src/web/shared/resident.js';

const RECORD: ResidentRecord = {
  names: { printed: 'Amina Haddad', legal: 'Amina Haddad', original: 'أمينة حداد' },
  birthDate: '1990-04',
  gender: { pronouns: 'they/them', marker: 'X', printMarker: false },
  address: { line1: '12 rue des Lilas', postalCode: '67000', locality: 'Testville' },
  addressConfidential: true,
  preferredLanguage: 'ar',
  languages: ['ar', 'fr'],
  guardianPresent: false,
  evidence: { rulesVersion: 'v1', items: [{ type: 'passport', seenAt: '2026-01-01T00:00:00Z' }, { type: 'utility-bill', seenAt: '2026-01-01T00:00:00Z' }] },
  hasPhoto: true,
};
const base = () => valuesOf(RECORD);
const edited = (f: (v: RecordValues) => void) => {
  const v = structuredClone(base());
  f(v);
  return patchOf(base(), v);
};

describe('patchOf', () => {
  it('an untouched form sends nothing, whatever order or empty members it holds', () => {
    expect(patchOf(base(), base())).toEqual({});
    // As the form gives it back: keys in another order, empty optional members present as undefined.
    const asForm: RecordValues = {
      names: { transliteration: undefined, original: 'أمينة حداد', legal: 'Amina Haddad', printed: 'Amina Haddad' },
      birthDate: '1990-04',
      gender: { marker: 'X', pronouns: 'they/them', selfDescribed: undefined, printMarker: undefined },
      address: { locality: 'Testville', line2: undefined, postalCode: '67000', line1: '12 rue des Lilas' },
      addressConfidential: true,
      preferredLanguage: 'ar',
      languages: ['ar', 'fr'],
      evidence: [{ type: 'utility-bill' }, { type: 'passport' }],
    };
    expect(patchOf(base(), asForm)).toEqual({});
  });

  it.each<[string, (v: RecordValues) => void, Record<string, unknown>]>([
    ['a new printed name', (v) => (v.names.printed = 'Amina H.'), { names: { printed: 'Amina H.' } }],
    ['a legal name removed', (v) => delete v.names.legal, { names: { legal: null } }],
    ['the birth date made unknown', (v) => (v.birthDate = null), { birthDate: null }],
    ['new pronouns', (v) => (v.gender!.pronouns = 'she/her'), { gender: { selfDescribed: null, pronouns: 'she/her', marker: 'X', printMarker: false } }],
    ['every gender field emptied', (v) => delete v.gender, { gender: null }],
    ['a new street', (v) => ((v.address as { line1: string }).line1 = '5 place Kléber'), { address: { line1: '5 place Kléber', postalCode: '67000', locality: 'Testville' } }],
    ['no fixed address now', (v) => (v.address = { noFixedAddress: true, careOf: 'Foyer' }), { address: { noFixedAddress: true, careOf: 'Foyer' } }],
    ['the address removed', (v) => (delete v.address, delete v.addressConfidential), { address: null }],
    ['the address no longer confidential', (v) => delete v.addressConfidential, { addressConfidential: false }],
    ['another document seen', (v) => v.evidence.push({ type: 'lease' }), { evidence: [{ type: 'passport' }, { type: 'utility-bill' }, { type: 'lease' }] }],
    ['a guardian present', (v) => (v.guardianPresent = true), { guardianPresent: true }],
    ['another language', (v) => (v.languages = ['ar']), { languages: ['ar'] }],
  ])('%s → only that member', (_name, change, patch) => {
    expect(edited(change)).toEqual(patch);
  });
});

describe('printedChanges', () => {
  const after = (f: (r: ResidentRecord) => void) => {
    const r = structuredClone(RECORD);
    f(r);
    return printedChanges(RECORD, r);
  };
  it('names what the card prints, and only that', () => {
    expect(after((r) => (r.names.printed = 'Amina H.'))).toEqual(['field.printedName']);
    expect(after((r) => delete r.names.original)).toEqual(['field.originalName']);
    expect(after((r) => (r.birthDate = '1990-04-17'))).toEqual(['field.birthDate']);
    expect(after((r) => (r.gender.printMarker = true))).toEqual(['field.marker']);
    expect(after((r) => (r.gender.marker = 'F'))).toEqual([]); // a marker that is not printed
    expect(after((r) => (r.names.legal = 'Amina B. Haddad'))).toEqual([]);
    expect(after((r) => (r.address = null))).toEqual([]);
  });
});
