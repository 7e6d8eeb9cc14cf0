import { describe, expect, it } from 'vitest';
import { type CardClaims, CredentialError, fromPayload, toPayload } from '../../../src/credential/index.js';
import { encodeCborMap } from '../../../src/credential/cbor.js';
import { typicalClaims } from './fixtures.js';

const code = (f: () => unknown): string => {
  try {
    f();
    return 'none';
  } catch (e) {
    return e instanceof CredentialError ? e.code : `other: ${String(e)}`;
  }
};
/** The typical card's wire map, with changes. */
const wire = (changes: Record<number, number | string | Uint8Array | undefined>) => {
  const m = new Map<number, number | string | Uint8Array>([
    [1, 'fr-strasbourg'],
    [2, typicalClaims().number],
    [3, 'Amina Haddad'],
    [4, 19900412],
    [6, 20148],
    [7, 21973],
    [8, 7],
  ]);
  for (const [k, v] of Object.entries(changes)) v === undefined ? m.delete(Number(k)) : m.set(Number(k), v);
  return encodeCborMap(m);
};

describe('claims ⇄ payload', () => {
  it('round-trip, with every birth date precision', () => {
    for (const birthDate of ['1990-04-12', '1990-04', '1990', '2000-02-29', null]) {
      const c = typicalClaims({ birthDate });
      expect(fromPayload(toPayload(c))).toEqual(c);
    }
    const withMarker = typicalClaims({ marker: 'X' });
    expect(fromPayload(toPayload(withMarker))).toEqual(withMarker);
  });

  it('decode the reference map', () => {
    expect(fromPayload(wire({}))).toEqual({
      issuer: 'fr-strasbourg',
      number: typicalClaims().number,
      name: 'Amina Haddad',
      birthDate: '1990-04-12',
      issuedOn: '2025-03-01',
      expiresOn: '2030-02-28',
      statusIndex: 7,
    });
  });

  it('carry nothing that is not a claim', () => {
    const c = { ...typicalClaims(), address: 'Rue des Juifs 12', nationality: 'XX' } as CardClaims;
    const bytes = toPayload(c);
    expect(new TextDecoder().decode(bytes)).not.toMatch(/Rue|XX/);
    expect(fromPayload(bytes)).toEqual(typicalClaims());
  });

  const bad: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['JSON', new TextEncoder().encode('{"i":"fr-strasbourg"}')],
    ['unknown label', wire({ 9: 'x' })],
    ['missing name', wire({ 3: undefined })],
    ['missing status index', wire({ 8: undefined })],
    ['number as text where int expected', wire({ 6: '20148' })],
    ['bytes for name', wire({ 3: new Uint8Array([65]) })],
    ['impossible birth date', wire({ 4: 19900230 })],
    ['birth month 13', wire({ 4: 199013 })],
    ['5-digit birth date', wire({ 4: 19901 })],
    ['expiry before issue', wire({ 7: 20000 })],
    ['date past year 9999', wire({ 7: 4_000_000_000 })],
    ['bad check character', wire({ 2: '7KQ4M2XD9A' })],
    ['lowercase number', wire({ 2: typicalClaims().number.toLowerCase() })],
    ['number with hyphens', wire({ 2: '7KQ4-M2XD-9' })],
    ['uppercase issuer', wire({ 1: 'FR-Strasbourg' })],
    ['control character in name', wire({ 3: 'Amina\u0000Haddad' })],
    ['bidi override in name', wire({ 3: 'Amina \u202eddaH' })],
    ['padded name', wire({ 3: ' Amina' })],
    ['empty name', wire({ 3: '' })],
    ['name over 200 bytes', wire({ 3: 'a'.repeat(201) })],
    ['trailing byte', Uint8Array.from([...wire({}), 0])],
    ['truncated', wire({}).subarray(0, 20)],
    ['non-shortest integer', Uint8Array.from([0xa1, 0x18, 0x01, 0x00])],
    ['labels out of order', Uint8Array.from([0xa2, 0x02, 0x00, 0x01, 0x00])],
    ['indefinite map', Uint8Array.from([0xbf, 0xff])],
    ['invalid UTF-8', Uint8Array.from([0xa1, 0x03, 0x62, 0xc3, 0x28])],
    ['array, not map', Uint8Array.from([0x81, 0x01])],
  ];
  it.each(bad)('refuse %s as malformed', (_name, bytes) => {
    expect(code(() => fromPayload(bytes))).toBe('malformed');
  });

  it('refuse invalid claims when signing', () => {
    for (const over of [
      { issuedOn: '2025-02-30' },
      { expiresOn: '2020-01-01' },
      { statusIndex: -1 },
      { statusIndex: 1.5 },
      { birthDate: '90-04-12' },
      { number: typicalClaims().number.replace(/0/g, 'O') + 'x' },
      { marker: '' },
    ] as Array<Partial<CardClaims>>) {
      expect(code(() => toPayload(typicalClaims(over)))).toBe('malformed');
    }
  });
});
