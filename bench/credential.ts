/**
 * Credential figures: QR size of a typical card, status list sizes, sign and
 * verify speed. `npx tsx bench/credential.ts` — prints a table, asserts nothing.
 */
import { createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import QRCode, { type QRCodeSegment } from 'qrcode';
import {
  type CardClaims,
  checkCharacter,
  encodeStatusList,
  fromQrText,
  generateSigningKey,
  inspectCredential,
  issueCardQrText,
  prepareTrustStore,
  qrSegments,
  signCard,
  signStatusList,
  verifyCredential,
} from '../src/credential/index.js';

const rows: Array<[string, string]> = [];
const row = (k: string, v: string | number) => {
  rows.push([k, typeof v === 'number' ? v.toLocaleString('en') : v]);
};
const qrVersion = (text: string) => QRCode.create(qrSegments(text) as QRCodeSegment[], { errorCorrectionLevel: 'M' }).version;

async function opsPerSecond(fn: () => unknown, ms = 1500): Promise<number> {
  for (let i = 0; i < 200; i++) await fn(); // warm up
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  return Math.round((n * 1000) / (performance.now() - start));
}

const key = await generateSigningKey();
const ISS = 'https://id.strasbourg.eu';
const claims: CardClaims = {
  issuer: ISS,
  number: '7KQ4M2XD9' + checkCharacter('7KQ4M2XD9'),
  name: 'Amina Haddad-Benali Ferreira X', // 30 characters
  birthDate: '1990-04-12',
  country: 'FR',
  issuedOn: '2025-03-01',
  expiresOn: '2030-02-28',
  statusIndex: 123_456,
  statusUri: `${ISS}/v1/status-list`,
};

// 1. Sizes: CWT payload, COSE_Sign1, zlib, Base45 characters, QR version at M (alphanumeric).
async function size(label: string, c: CardClaims) {
  const t = await issueCardQrText(c, key);
  const { sign1 } = inspectCredential(t);
  row(label, `${sign1.payload.length} / ${fromQrText(t).length} / ${(t.length / 3) * 2 | 0} / ${t.length} / v${qrVersion(t)}`);
  return t;
}
row('card (iss https://id.strasbourg.eu): CWT / COSE / zlib bytes / Base45 chars / QR', 'bytes, chars, version');
const text = await size('reference: 30-char Latin name, full birth date, status reference', claims);
await size('12-char name, birth year only', { ...claims, name: 'Amina Haddad', birthDate: '1990' });
await size('long Arabic: 30-char Latin + 32-char Arabic original', { ...claims, name: 'Abdulrahman Mohammed Al-Hashimi', originalName: 'عبد الرحمن محمد الهاشمي الحسيني' });
await size('long Devanagari: 29-char Latin + 25-char Devanagari original', { ...claims, name: 'Venkataraman Subramanian Iyer', originalName: 'वेंकटरमन सुब्रमण्यम अय्यर' });
await size('long CJK: 23-char Latin + 6-char Han original', { ...claims, name: 'Ouyang Zhenhua Xiaoming', originalName: '欧阳振华晓明' });
await size('30-char Arabic printed name only', { ...claims, name: 'أمينة حداد بن علي فريرا الحسيني'.slice(0, 30) });

// 2. Status lists: 1 % revoked, 0.5 % suspended, at random.
for (const slots of [131_072, 1_048_576]) {
  const statuses = new Uint8Array(slots);
  for (let i = 0; i < slots / 100; i++) statuses[Math.floor(Math.random() * slots)] = 1;
  for (let i = 0; i < slots / 200; i++) statuses[Math.floor(Math.random() * slots)] = 2;
  const t0 = performance.now();
  const claim = encodeStatusList(statuses);
  const t1 = performance.now();
  const jwt = await signStatusList(claim, { id: 'fr-strasbourg', statusListUrl: 'https://example.org/v1/status-list' }, key, 1_780_000_000, 3600);
  row(`status list ${slots.toLocaleString('en')} slots (2 bits, 1 % revoked, 0.5 % suspended): lst / JWT bytes`, `${claim.lst.length.toLocaleString('en')} / ${jwt.length.toLocaleString('en')} (encode ${(t1 - t0).toFixed(0)} ms)`);
  const empty = encodeStatusList(new Uint8Array(slots));
  row(`status list ${slots.toLocaleString('en')} slots, none revoked: lst bytes`, empty.lst.length);
}

// 3. Speed.
const signs = await opsPerSecond(() => signCard(claims, key));
row('signCard ops/s, WebCrypto (one card: ms)', `${signs.toLocaleString('en')} (${(1000 / signs).toFixed(3)} ms)`);
const nodePriv = (await import('node:crypto')).KeyObject.from(key.privateKey);
const nodeSigner = { ...key, signBytes: (d: Uint8Array) => nodeSign(null, d, nodePriv) };
row('signCard ops/s, node:crypto (the server)', await opsPerSecond(() => signCard(claims, nodeSigner)));
const store = {
  ownCountry: 'FR',
  issuers: [{ id: 'fr-strasbourg', uri: ISS, name: 'Strasbourg', country: 'FR', keys: [{ kid: key.kid, jwk: key.publicJwk, alg: 'EdDSA' as const, status: 'active' as const }] }],
};
const trust = await prepareTrustStore(store);
const now = new Date('2026-06-15T12:00:00Z');
if ((await verifyCredential(text, { trust, now })).result !== 'valid') throw new Error('bench card does not verify');
row('verifyCredential ops/s (prepared trust store)', await opsPerSecond(() => verifyCredential(text, { trust, now })));
row('verifyCredential ops/s (raw trust store, keys imported per call)', await opsPerSecond(() => verifyCredential(text, { trust: store, now }), 1000));
const nodeKey = createPublicKey({ key: { ...key.publicJwk } as import('node:crypto').JsonWebKey, format: 'jwk' });
const { sign1 } = inspectCredential(text);
const input = sign1.toBeSigned;
const sig = sign1.signature;
row('raw node:crypto.verify Ed25519 ops/s (same bytes)', await opsPerSecond(() => nodeVerify(null, input, nodeKey, sig)));
row('malformed 100 kB text: verifyCredential ops/s', await opsPerSecond(() => verifyCredential('A'.repeat(100_000), { trust, now }), 500));

const width = Math.max(...rows.map(([k]) => k.length));
console.log(`\nCredential figures — Node ${process.version}\n`);
console.log(`${'measure'.padEnd(width)} | value`);
console.log(`${'-'.repeat(width)} | -----`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)} | ${v}`);
