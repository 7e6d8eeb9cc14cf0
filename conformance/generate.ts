/**
 * Conformance vectors for other implementers of our card (a MOSIP Claim 169
 * CWT), in the manner of EU DCC's dgc-testdata: `npx tsx conformance/generate.ts`
 * rewrites conformance/vectors/ from fixed test keys and dates, so the same
 * bytes come out every time (Ed25519 is deterministic); the unit test
 * test/unit/credential/conformance.test.ts regenerates them and compares.
 *
 * TEST KEYS ONLY: the private keys below are published on purpose.
 */
import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zlibSync } from 'fflate';
import QRCode, { type QRCodeSegment } from 'qrcode';
import {
  type CardClaims,
  type CwtClaims,
  type Signer,
  Tag,
  base45Encode,
  checkCharacter,
  encodeCbor,
  encodeCwt,
  encodeStatusList,
  protectedHeader,
  coseKid,
  decodeCbor,
  qrSegments,
  sigStructure,
  signStatusList,
  thumbprint,
  toCwtClaims,
} from '../src/credential/index.js';

/** The instant every vector's expected result holds at. */
export const NOW = '2026-06-15T12:00:00Z';
const ISS = 'https://id.testville.example';
const FOREIGN_ISS = 'https://ausweis.teststadt.example';

/** A fixed Ed25519 key from a 32-byte seed (PKCS#8 wrapping of RFC 8410). */
function seededKey(seedByte: number): { privateKey: KeyObject; publicHex: string; x: string } {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, seedByte)]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const x = createPublicKey(privateKey).export({ format: 'jwk' }).x as string;
  return { privateKey, publicHex: Buffer.from(x, 'base64url').toString('hex'), x };
}

interface TestKey {
  name: string;
  privateKey: KeyObject;
  publicHex: string;
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
  kid: string;
  signer: Signer;
}

async function testKey(name: string, seedByte: number): Promise<TestKey> {
  const k = seededKey(seedByte);
  const jwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: k.x };
  const kid = await thumbprint(jwk);
  return { name, privateKey: k.privateKey, publicHex: k.publicHex, jwk, kid, signer: { kid, privateKey: k.privateKey, alg: 'EdDSA', signBytes: (d) => sign(null, d, k.privateKey) } };
}

const claims = (over: Partial<CardClaims> = {}): CardClaims => ({
  issuer: ISS,
  number: '7KQ4M2XD9' + checkCharacter('7KQ4M2XD9'),
  name: 'Maria Fernanda Oliveira Santos',
  birthDate: '1987-11-23',
  country: 'FR',
  issuedOn: '2026-03-02',
  expiresOn: '2031-03-02',
  statusIndex: 1,
  statusUri: `${ISS}/v1/status-list`,
  ...over,
});

function sign1(cwt: CwtClaims, key: TestKey, kid: Uint8Array = coseKid(key.kid)): Uint8Array {
  const prot = protectedHeader('EdDSA', kid);
  const payload = encodeCbor(encodeCwt(cwt));
  const signature = new Uint8Array(sign(null, sigStructure(prot, payload), key.privateKey));
  return encodeCbor(new Tag(18, [prot, new Map(), payload, signature]));
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface Vector {
  name: string;
  description: string;
  expected: string;
  /** What was signed, when the vector has a CWT. */
  claims?: CwtClaims;
  cwt?: Uint8Array;
  cose?: Uint8Array;
  compressed?: Uint8Array;
  text: string;
  signedBy?: string;
}

function jsonClaims(c: CwtClaims): unknown {
  return JSON.parse(JSON.stringify(c, (_k, v: unknown) => (v instanceof Uint8Array ? { hex: hex(v) } : v)));
}

/**
 * Every vector and shared file, as path → content (relative to conformance/vectors).
 * @example for (const [path, bytes] of await buildVectors()) writeFileSync(join(dir, path), bytes)
 */
export async function buildVectors(): Promise<Map<string, string | Buffer>> {
  const city = await testKey('testville-signing', 0x11);
  const root = await testKey('testville-root', 0x22);
  const foreign = await testKey('teststadt-signing', 0x33);
  const stranger = await testKey('untrusted', 0x44);
  const cwtOf = (over: Partial<CardClaims> = {}) => toCwtClaims(claims(over));
  const vectors: Vector[] = [];
  const add = (v: Omit<Vector, 'text'> & { text?: string }) => {
    const text = v.text ?? base45Encode(v.compressed ?? zlibSync(v.cose!, { level: 9 }));
    vectors.push({ ...v, ...(v.compressed || !v.cose ? {} : { compressed: zlibSync(v.cose, { level: 9 }) }), text });
  };
  const card = (name: string, description: string, expected: string, c: CwtClaims, key: TestKey = city, kid?: Uint8Array) => {
    const cose = sign1(c, key, kid);
    add({ name, description, expected, claims: c, cwt: encodeCbor(encodeCwt(c)), cose, signedBy: key.name });
    return cose;
  };

  const good = card('valid', 'A typical card: 30-character name, full birth date, status reference (index 1, VALID)', 'valid', cwtOf());
  {
    const parts = (fromQrTextParts(good));
    parts[2] = encodeCbor(encodeCwt(cwtOf({ name: 'Mario Fernando Oliveira Santos' })));
    add({ name: 'tampered-payload', description: 'The valid card with its name changed after signing', expected: 'invalid_signature', cose: encodeCbor(new Tag(18, parts)) });
  }
  {
    const parts = fromQrTextParts(good);
    (parts[3] as Uint8Array)[0]! ^= 0x01;
    add({ name: 'tampered-signature', description: 'The valid card with one bit of its signature changed', expected: 'invalid_signature', cose: encodeCbor(new Tag(18, parts)) });
  }
  card('expired', 'Valid through 2026-06-13 (anywhere on Earth), checked on 2026-06-15', 'expired', cwtOf({ issuedOn: '2021-06-14', expiresOn: '2026-06-13' }));
  card('not-yet-valid', 'Valid from 2026-06-17, checked on 2026-06-15', 'not_yet_valid', cwtOf({ issuedOn: '2026-06-17', expiresOn: '2031-06-16' }));
  card('revoked', 'Status list index 2, which the list marks INVALID (1)', 'revoked', cwtOf({ statusIndex: 2 }));
  card('suspended', 'Status list index 3, which the list marks SUSPENDED (2)', 'suspended', cwtOf({ statusIndex: 3 }));
  card('unknown-kid', 'Signed by the city’s key but naming a kid that no trusted key’s thumbprint starts with', 'invalid_signature', cwtOf(), city, Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
  card('wrong-key', 'The city’s claims signed by a key nobody trusts (its own kid)', 'invalid_signature', cwtOf(), stranger);
  card('foreign-issuer', 'A genuine card of a trusted issuer of another country (DE)', 'foreign_issuer', toCwtClaims(claims({ issuer: FOREIGN_ISS, country: 'DE', statusUri: `${FOREIGN_ISS}/v1/status-list` })), foreign);
  add({ name: 'bad-base45', description: 'The valid text with a lowercase letter (outside the Base45 alphabet)', expected: 'malformed', text: base45Encode(zlibSync(good, { level: 9 })).replace(/[A-Z]/, (c) => c.toLowerCase()) });
  add({ name: 'not-zlib', description: 'The COSE_Sign1 in Base45 without compression (no zlib header; not Brotli either)', expected: 'malformed', cose: good, compressed: good });
  {
    const bomb = zlibSync(new Uint8Array(2_000_000), { level: 9 });
    add({ name: 'zlib-bomb', description: 'A 2 kB zlib stream that inflates to 2 MB of zeros', expected: 'malformed', compressed: bomb });
  }
  {
    const cose = new Uint8Array([...good, 0x00]);
    add({ name: 'trailing-bytes', description: 'The valid COSE_Sign1 followed by one byte, compressed', expected: 'malformed', cose });
  }
  card('missing-claim-169', 'A signed CWT with iss, nbf, exp and status but no claim 169', 'malformed', { ...cwtOf(), identity: undefined });

  // Shared files: keys, JWKS, status list, and a verifier bundle holding both issuers.
  const statuses = new Uint8Array(16);
  statuses[2] = 1;
  statuses[3] = 2;
  const iat = Date.parse('2026-06-15T11:00:00Z') / 1000;
  const list = await signStatusList(encodeStatusList(statuses, 2, 16), { id: 'fr-testville', statusListUrl: `${ISS}/v1/status-list` }, city.signer, iat, 3600, iat + 7 * 86_400);
  const foreignList = await signStatusList(encodeStatusList(new Uint8Array(16), 2, 16), { id: 'de-teststadt', statusListUrl: `${FOREIGN_ISS}/v1/status-list` }, foreign.signer, iat, 3600, iat + 7 * 86_400);
  const keyEntry = (k: TestKey) => ({ kid: k.kid, jwk: k.jwk, alg: 'EdDSA', status: 'active' });
  const bundlePayload = {
    iss: 'fr-testville',
    country: 'FR',
    issuedAt: '2026-06-15T11:00:00.000Z',
    nextUpdate: '2026-06-15T17:00:00.000Z',
    graceUntil: '2026-06-17T11:00:00.000Z',
    issuers: [
      { id: 'fr-testville', uri: ISS, name: 'Testville', country: 'FR', keys: [keyEntry(city)], statusList: list },
      { id: 'de-teststadt', uri: FOREIGN_ISS, name: 'Teststadt', country: 'DE', keys: [keyEntry(foreign)], statusList: foreignList },
    ],
  };
  const b64u = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');
  const bundleInput = `${b64u(JSON.stringify({ alg: 'EdDSA', kid: root.kid, typ: 'lcc-verifier-bundle+jwt' }))}.${b64u(JSON.stringify(bundlePayload))}`;
  const bundle = `${bundleInput}.${b64u(sign(null, Buffer.from(bundleInput), root.privateKey))}`;

  const files = new Map<string, string | Buffer>();
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  for (const k of [city, root, foreign, stranger]) {
    files.set(`keys/${k.name}.json`, json({ warning: 'TEST KEY ONLY — never trust it', kid: k.kid, coseKidHex: hex(coseKid(k.kid)), publicJwk: k.jwk, publicKeyHex: k.publicHex, privateJwk: k.privateKey.export({ format: 'jwk' }) }));
  }
  files.set('jwks.json', json({ keys: [{ ...city.jwk, kid: city.kid, alg: 'EdDSA', use: 'sig' }] }));
  files.set('status-list.jwt', `${list}\n`);
  files.set('bundle.jwt', `${bundle}\n`);
  const index: unknown[] = [];
  for (const v of vectors) {
    const dir = `${v.name}/`;
    files.set(`${dir}qr.txt`, `${v.text}\n`);
    if (v.claims) files.set(`${dir}claims.json`, json(jsonClaims(v.claims)));
    if (v.cwt) files.set(`${dir}cbor.hex`, `${hex(v.cwt)}\n`);
    if (v.cose) files.set(`${dir}cose_sign1.hex`, `${hex(v.cose)}\n`);
    if (v.compressed) files.set(`${dir}compressed.hex`, `${hex(v.compressed)}\n`);
    let png: Buffer | undefined;
    try {
      png = await QRCode.toBuffer(qrSegments(v.text) as QRCodeSegment[], { errorCorrectionLevel: 'M', margin: 4, scale: 4, type: 'png' });
    } catch {
      png = undefined; // not alphanumeric (bad Base45) or too long for a QR code
    }
    if (png) files.set(`${dir}qr.png`, png);
    const expected = { result: v.expected, now: NOW, trust: 'bundle.jwt', ...(v.signedBy ? { signedBy: `keys/${v.signedBy}.json` } : {}) };
    files.set(`${dir}expected.json`, json(expected));
    index.push({ name: v.name, description: v.description, expected: v.expected });
  }
  files.set('index.json', json({ now: NOW, trust: 'bundle.jwt', vectors: index }));
  return files;
}

/** The four elements of a tagged COSE_Sign1 we built (for tampering). */
function fromQrTextParts(cose: Uint8Array): unknown[] {
  return ((decodeCbor(cose, 'vector') as Tag).contents as unknown[]).slice();
}

export const VECTORS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'vectors');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildVectors();
  rmSync(VECTORS_DIR, { recursive: true, force: true });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(VECTORS_DIR, path)), { recursive: true });
    writeFileSync(join(VECTORS_DIR, path), content);
  }
  process.stdout.write(`${files.size} files in ${VECTORS_DIR}\n`);
}
