/**
 * Credential figures: QR size of a typical card, status list sizes, sign and
 * verify speed. `npx tsx bench/credential.ts` — prints a table, asserts nothing.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { CompactSign } from 'jose';
import QRCode, { type QRCodeSegment } from 'qrcode';
import {
  type CardClaims,
  checkCharacter,
  encodeStatusList,
  fromQrText,
  generateSigningKey,
  issueCardQrText,
  prepareTrustStore,
  qrSegments,
  signCard,
  signStatusList,
  toQrText,
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
const claims: CardClaims = {
  issuer: 'fr-strasbourg',
  number: '7KQ4M2XD9' + checkCharacter('7KQ4M2XD9'),
  name: 'Amina Haddad-Benali Ferreira X', // 30 characters
  birthDate: '1990-04-12',
  issuedOn: '2025-03-01',
  expiresOn: '2030-02-28',
  statusIndex: 123_456,
};

// 1. Size of a typical card.
const text = await issueCardQrText(claims, key);
const jws = fromQrText(text);
const [h, p] = jws.split('.');
row('card: header / payload / signature chars', `${h!.length} / ${p!.length} / 86`);
row('card: JWS length (30-char name, full birth date)', jws.length);
row('card: QR text digits', text.length - 5);
row('card: QR version at M (numeric segment)', qrVersion(text));
const arabic = await issueCardQrText({ ...claims, name: 'أمينة حداد بن علي فريرا الحسيني'.slice(0, 30) }, key);
row('card: JWS length / QR version, 30-char Arabic name', `${fromQrText(arabic).length} / v${qrVersion(arabic)}`);
const minimal = await issueCardQrText({ ...claims, name: 'Amina Haddad', birthDate: '1990' }, key);
row('card: JWS length / QR version, 12-char name, birth year', `${fromQrText(minimal).length} / v${qrVersion(minimal)}`);
// What the same claims would cost as the shortest JSON object (for README's trade-off).
const json = JSON.stringify({ i: claims.issuer, c: claims.number, n: claims.name, b: 19900412, d: 20148, x: 21973, s: 123456 });
const jsonJws = await new CompactSign(new TextEncoder().encode(json)).setProtectedHeader({ alg: 'EdDSA', kid: key.kid.slice(0, 8) }).sign(key.privateKey);
row('same claims as 1-letter JSON: JWS length / QR version', `${jsonJws.length} / v${qrVersion(toQrText(jsonJws))}`);

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
row('signCard ops/s (one card: ms)', `${signs.toLocaleString('en')} (${(1000 / signs).toFixed(3)} ms)`);
const store = {
  ownCountry: 'FR',
  issuers: [{ id: 'fr-strasbourg', name: 'Strasbourg', country: 'FR', keys: [{ kid: key.kid, jwk: key.publicJwk, alg: 'EdDSA' as const, status: 'active' as const }] }],
};
const trust = await prepareTrustStore(store);
const now = new Date('2026-06-15T12:00:00Z');
if ((await verifyCredential(text, { trust, now })).result !== 'valid') throw new Error('bench card does not verify');
row('verifyCredential ops/s (prepared trust store)', await opsPerSecond(() => verifyCredential(text, { trust, now })));
row('verifyCredential ops/s (raw trust store, keys imported per call)', await opsPerSecond(() => verifyCredential(text, { trust: store, now }), 1000));
const nodeKey = createPublicKey({ key: { ...key.publicJwk } as import('node:crypto').JsonWebKey, format: 'jwk' });
const [sh, sp, ss] = jws.split('.');
const input = Buffer.from(`${sh}.${sp}`);
const sig = Buffer.from(ss!, 'base64url');
row('raw node:crypto.verify Ed25519 ops/s (same bytes)', await opsPerSecond(() => nodeVerify(null, input, nodeKey, sig)));
row('malformed 100 kB text: verifyCredential ops/s', await opsPerSecond(() => verifyCredential('LCC1:' + '1'.repeat(100_000), { trust, now }), 500));

const width = Math.max(...rows.map(([k]) => k.length));
console.log(`\nCredential figures — Node ${process.version}\n`);
console.log(`${'measure'.padEnd(width)} | value`);
console.log(`${'-'.repeat(width)} | -----`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)} | ${v}`);
