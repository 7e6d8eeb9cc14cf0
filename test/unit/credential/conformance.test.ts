/**
 * The conformance kit (conformance/): the committed vectors are exactly what
 * conformance/generate.ts makes, each gives its expected result through the
 * CLI's check (`credential:check --bundle`), and the CLI reads a Claim 169
 * text written by an independent encoder the way another ecosystem writes it.
 */
import { deflateSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { decode as cbor2Decode } from 'cbor2';
import { VECTORS_DIR, buildVectors } from '../../../conformance/generate.js';
import { checkCredential, qrTextOfPicture } from '../../../src/cli/credential-check.js';
import { decodeCbor } from '../../../src/credential/index.js';
import { Tagged, base45Encode, encode, sigStructure } from '../../helpers/independent-claim169.js';

const files = await buildVectors();
const index = JSON.parse(String(files.get('index.json'))) as { now: string; vectors: Array<{ name: string; expected: string }> };
const bundle = join(VECTORS_DIR, 'bundle.jwt');

describe('conformance vectors', () => {
  it('the committed files are exactly what the generator makes', () => {
    for (const [path, content] of files) {
      const onDisk = join(VECTORS_DIR, path);
      expect(existsSync(onDisk), path).toBe(true);
      expect(readFileSync(onDisk).equals(Buffer.from(content)), path).toBe(true);
    }
  });

  it.each(index.vectors)('$name → $expected, through credential:check, from the text and from the PNG', async ({ name, expected }) => {
    const text = String(files.get(`${name}/qr.txt`)).trim();
    const { exit, output } = await checkCredential(['--text', text, '--bundle', bundle, '--now', index.now]);
    expect(output.result).toBe(expected);
    expect(exit).toBe(expected === 'valid' ? 0 : expected === 'malformed' ? 2 : 1);
    if (files.has(`${name}/qr.png`)) expect(await qrTextOfPicture(join(VECTORS_DIR, name, 'qr.png'))).toBe(text);
    // The product's strict reader and cbor2 agree on every COSE_Sign1 of the kit.
    const cose = files.get(`${name}/cose_sign1.hex`);
    if (cose && name !== 'trailing-bytes') {
      const bytes = Buffer.from(String(cose).trim(), 'hex');
      expect(JSON.stringify(decodeCbor(bytes, name), (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))).toBe(
        JSON.stringify(cbor2Decode(bytes, { preferMap: true, ignoreGlobalTags: true }), (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)),
      );
    }
  });
});

describe('credential:check reads other implementations’ Claim 169 texts', () => {
  // Written by hand the way the spec's own example is: 61(18([h'A10127', {4: kid}, payload, sig])),
  // iss a URI, claim 169 as embedded CBOR, gender as the digit string "1", attributes we never write.
  const seed = new Uint8Array(32).fill(7);
  const publicKey = ed25519.getPublicKey(seed);
  const now = Math.floor(Date.parse('2026-06-15T12:00:00Z') / 1000);
  const identity = new Map<number, unknown>([
    [1, '3918592438'],
    [2, '1.0'],
    [3, 'eng'],
    [4, 'Janardhan BS'],
    [8, '19880102'],
    [9, '1'],
    [10, 'New House, Near Metro Line, Bengaluru, KA'],
    [13, 'IN'],
    [19, 'جاناردان'],
    [20, 'ara'],
    [23, 'IN'],
  ]);
  const payload = encode(new Map<number, unknown>([[1, 'https://mosip.example'], [4, now + 86_400 * 365], [5, now - 86_400], [6, now - 86_400], [169, encode(identity)]]));
  const prot = Uint8Array.of(0xa1, 0x01, 0x27);
  const signature = ed25519.sign(sigStructure(prot, payload), seed);
  const cose = encode(new Tagged(61, new Tagged(18, [prot, new Map([[4, new TextEncoder().encode('k-1101')]]), payload, signature])));
  const text = base45Encode(new Uint8Array(deflateSync(cose)));
  const hex = Buffer.from(publicKey).toString('hex');

  it('valid with --public-key-hex, every attribute named, the unknown ones listed', async () => {
    const { exit, output } = await checkCredential(['--text', text, '--public-key-hex', hex]);
    expect(output.result).toBe('valid');
    expect(exit).toBe(0);
    expect(output.issuer).toEqual({ uri: 'https://mosip.example' });
    expect(output.claims).toMatchObject({
      iss: 'https://mosip.example',
      identity: { id: '3918592438', version: '1.0', language: 'eng', fullName: 'Janardhan BS', dateOfBirth: '19880102', gender: 1, address: 'New House, Near Metro Line, Bengaluru, KA', nationality: 'IN', secondaryFullName: 'جاناردان', secondaryLanguage: 'ara', countryOfIssuance: 'IN' },
    });
  });

  it('invalid_signature with another key; malformed for rubbish; the process exit codes are 0, 1 and 2', async () => {
    const other = Buffer.from(ed25519.getPublicKey(new Uint8Array(32).fill(8))).toString('hex');
    expect((await checkCredential(['--text', text, '--public-key-hex', other])).output.result).toBe('invalid_signature');
    expect((await checkCredential(['--text', 'NOT BASE45!', '--public-key-hex', hex])).exit).toBe(2);
    const run = (args: string[]) => {
      try {
        execFileSync('npx', ['tsx', 'src/cli.ts', 'credential:check', ...args], { stdio: 'pipe', encoding: 'utf8' });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    };
    expect(run(['--text', text, '--public-key-hex', hex])).toBe(0);
    expect(run(['--text', text, '--public-key-hex', other])).toBe(1);
    expect(run(['--text', 'A', '--public-key-hex', hex])).toBe(2);
  }, 60_000);
});
