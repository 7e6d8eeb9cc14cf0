/**
 * Verification speed: `npx tsx bench/verify.ts [seconds]`.
 * Prints, from one run on this machine:
 * - raw node:crypto.verify Ed25519 ops/s over a real card's Sig_structure (the ceiling);
 * - verifyCredential ops/s in process (server check: node:crypto; browser check: WebCrypto), and its ratio to raw,
 *   also from alternating short rounds (robust to a shared machine's changing load);
 * - POST /v1/verify requests/s through HTTP on loopback (autocannon, 32 connections, a partner service key),
 *   and its ratio to raw. Goals (issue 10): in-process ≥ 0.8, HTTP ≥ 0.6.
 * PostgreSQL when BENCH_DATABASE_URL/TEST_DATABASE_URL is set, else embedded PGlite —
 * verification reads no database either way (the trust store is cached).
 */
import { verify as nodeVerify, KeyObject } from 'node:crypto';
import autocannon from 'autocannon';
import { cardPhoto } from '../test/helpers/photo.js';
import { inspectCredential, prepareTrustStore, verifyCredential, webCryptoCheck } from '../src/credential/index.js';
import { nodeSignatureCheck } from '../src/modules/verification/node-signature-check.js';
import { createBenchApp, fmt, opsPerSecond, table } from './lib/bench-app.js';

const SECONDS = Number(process.argv[2] ?? 10);

const bench = await createBenchApp();
try {
  const { app } = bench;
  const clerk = await bench.token('clerk');
  const enrol = await app.inject({
    method: 'POST',
    url: '/v1/residents',
    headers: { authorization: `Bearer ${clerk}` },
    payload: { names: { printed: 'Maria Fernanda Oliveira Santos' }, birthDate: '1987-11-23', preferredLanguage: 'pt', evidence: [{ type: 'passport' }, { type: 'utility-bill' }] },
  });
  // A card needs a photo (the default card rules).
  await app.inject({ method: 'PUT', url: `/v1/residents/${enrol.json().resident.id}/photo`, headers: { authorization: `Bearer ${clerk}`, 'content-type': 'image/jpeg' }, payload: await cardPhoto() });
  const card = (await app.inject({ method: 'POST', url: `/v1/residents/${enrol.json().resident.id}/cards`, headers: { authorization: `Bearer ${clerk}` } })).json();
  const key = (await app.inject({ method: 'POST', url: '/v1/service-keys', headers: { authorization: `Bearer ${await bench.token('admin')}` }, payload: { name: 'bench', profile: process.env.BENCH_PROFILE ?? 'name_and_photo' } })).json().secret as string;

  // The ceiling: node:crypto.verify over the same bytes.
  const { sign1 } = inspectCredential(card.qr);
  const data = sign1.toBeSigned;
  const sig = sign1.signature;
  const jwks = (await app.inject('/.well-known/jwks.json')).json().keys as Array<Record<string, string>>;
  const pub = KeyObject.from(await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwks[0]!.x }, { name: 'Ed25519' }, true, ['verify']));
  if (!nodeVerify(null, data, pub, sig)) throw new Error('raw verify failed');
  const raw = await opsPerSecond(() => nodeVerify(null, data, pub, sig));

  const store = {
    ownCountry: 'FR',
    issuers: [{ id: 'fr-benchville', uri: inspectCredential(card.qr).cwt.iss!, name: 'Benchville', country: 'FR', keys: jwks.map((k) => ({ kid: k.kid!, jwk: { kty: 'OKP', crv: 'Ed25519', x: k.x }, alg: 'EdDSA' as const, status: 'active' as const })) }],
  };
  const now = new Date();
  const serverTrust = await prepareTrustStore(store, { check: nodeSignatureCheck });
  const browserTrust = await prepareTrustStore(store, { check: webCryptoCheck });
  if ((await verifyCredential(card.qr, { trust: serverTrust, now })).result !== 'valid') throw new Error('in-process verify failed');
  const inProcess = await opsPerSecond(() => verifyCredential(card.qr, { trust: serverTrust, now }));
  const inBrowserPath = await opsPerSecond(() => verifyCredential(card.qr, { trust: browserTrust, now }));
  // The same ratio from alternating 150 ms rounds: on a shared machine the load
  // moves between two long runs, and an alternating measure cancels most of it.
  let rawSum = 0;
  let verifySum = 0;
  for (let round = 0; round < 20; round++) {
    rawSum += await opsPerSecond(() => nodeVerify(null, data, pub, sig), 150);
    verifySum += await opsPerSecond(() => verifyCredential(card.qr, { trust: serverTrust, now }), 150);
  }

  const body = JSON.stringify({ qr: card.qr });
  const probe = await fetch(`${bench.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
  const probeBody = (await probe.json()) as { result: string };
  if (probeBody.result !== 'valid') throw new Error(`HTTP verify: ${JSON.stringify(probeBody)}`);
  const result = await autocannon({
    url: `${bench.url}/v1/verify`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body,
    connections: 32,
    duration: SECONDS,
  });
  const non2xx = result.non2xx + result.errors;

  table(`Verification — Node ${process.version}, ${bench.kind}, ${SECONDS} s HTTP run`, [
    ['raw node:crypto.verify Ed25519 ops/s', fmt(raw)],
    ['verifyCredential in process (node:crypto check) ops/s', `${fmt(inProcess)}  (ratio ${fmt(inProcess / raw, 2)}, goal ≥ 0.80)`],
    ['verifyCredential in process (WebCrypto check, as in the browser) ops/s', `${fmt(inBrowserPath)}  (ratio ${fmt(inBrowserPath / raw, 2)})`],
    ['raw / verifyCredential, alternating 20 × 150 ms rounds, ops/s', `${fmt(rawSum / 20)} / ${fmt(verifySum / 20)}  (ratio ${fmt(verifySum / rawSum, 2)}, goal ≥ 0.80)`],
    ['POST /v1/verify requests/s (autocannon, 32 connections)', `${fmt(result.requests.average)}  (ratio ${fmt(result.requests.average / raw, 2)}, goal ≥ 0.60)`],
    ['POST /v1/verify latency p50 / p99 ms', `${result.latency.p50} / ${result.latency.p99}`],
    ['non-2xx or errors during the run', String(non2xx)],
  ]);
} finally {
  await bench.close();
}
