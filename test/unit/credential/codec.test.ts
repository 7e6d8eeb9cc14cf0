import { describe, expect, it } from 'vitest';
import * as b45 from 'base45';
import { zlibSync } from 'fflate';
import { base45Decode, base45Encode, decodeCbor, decompress, encodeCbor, isZlibHeader } from '../../../src/credential/index.js';
import { base45 as independentBase45 } from '../../helpers/independent-claim169.js';

describe('Base45 (RFC 9285)', () => {
  it('the RFC’s examples', () => {
    expect(base45Encode(new TextEncoder().encode('AB'))).toBe('BB8');
    expect(base45Encode(new TextEncoder().encode('Hello!!'))).toBe('%69 VD92EX0');
    expect(base45Encode(new TextEncoder().encode('base-45'))).toBe('UJCLQE7W581');
    expect(new TextDecoder().decode(base45Decode('QED8WEX0'))).toBe('ietf!');
  });

  it('decodes as the base45 package and an independent decoder do, for every length up to 300', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      const text = base45Encode(bytes);
      expect(base45Decode(text)).toEqual(bytes);
      expect(new Uint8Array(b45.decode(text))).toEqual(bytes);
      expect(independentBase45(text)).toEqual(bytes);
    }
  });

  it.each(['A', 'ABCD', 'abc', 'GGW', ':::', 'FG', 'Ä00', '00\n'])('refuses %j', (text) => {
    expect(() => base45Decode(text)).toThrow(/Base45/);
  });
});

describe('decompression limits', () => {
  it('reads zlib, refuses a bomb, trailing bytes, a bad checksum, and non-zlib without a Brotli decoder', () => {
    const data = new TextEncoder().encode('claim 169 '.repeat(20));
    const z = zlibSync(data, { level: 9 });
    expect(isZlibHeader(z)).toBe(true);
    expect(decompress(z, 1024)).toEqual(data);
    expect(() => decompress(zlibSync(new Uint8Array(100_000)), 1024)).toThrow(/too large/);
    expect(() => decompress(new Uint8Array([...z, 0]), 1024)).toThrow(/after the zlib stream/);
    const bad = z.slice();
    bad[bad.length - 1]! ^= 1;
    expect(() => decompress(bad, 1024)).toThrow(/checksum|after/);
    expect(() => decompress(data, 1024)).toThrow(/Brotli/);
    expect(() => decompress(new Uint8Array(3000), 1024)).toThrow(/too long/);
  });
});

describe('strict CBOR', () => {
  it.each([
    ['trailing bytes', [0x01, 0x00]],
    ['indefinite-length array', [0x9f, 0x01, 0xff]],
    ['duplicate map key', [0xa2, 0x01, 0x01, 0x01, 0x02]],
    ['non-shortest integer', [0x18, 0x01]],
    ['invalid UTF-8', [0x62, 0xc3, 0x28]],
    ['deep nesting', [...new Array(20).fill(0x81), 0x00]],
  ])('refuses %s', (_name, bytes) => {
    expect(() => decodeCbor(Uint8Array.from(bytes), 'test')).toThrow(/strict CBOR/);
  });

  it('keeps tags as tags (no Date from tag 1) and maps as Maps', () => {
    const v = decodeCbor(Uint8Array.from([0xa1, 0x01, 0xc1, 0x01]), 'test') as Map<number, { tag: number | bigint }>;
    expect(v).toBeInstanceOf(Map);
    expect(Number(v.get(1)!.tag)).toBe(1);
    expect(encodeCbor(new Map([[1, 'a']]))).toEqual(Uint8Array.from([0xa1, 0x01, 0x61, 0x61]));
  });
});
