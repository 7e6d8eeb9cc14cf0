/**
 * Verification speed: `npx tsx bench/verify.ts [seconds]`.
 * Prints, from one run on this machine:
 * - raw node:crypto.verify Ed25519 ops/s over a real card's Sig_structure (the ceiling);
 * - verifyCredential ops/s in process (server check: node:crypto; browser check: WebCrypto), and its ratio to raw,
 *   also from alternating short rounds (robust to a shared machine's changing load);
 * - POST /v1/verify requests/s through HTTP on loopback (autocannon, 32 connections, a partner service key,
 *   in a worker thread), in rounds alternating with raw rounds, and its ratio to raw.
 *   Goals (issue 20): with the photo ≥ 0.3 on PostgreSQL, ≥ 0.15 on PGlite; without (BENCH_PROFILE=residency_only) ≥ 0.6.
 * PostgreSQL when BENCH_DATABASE_URL/TEST_DATABASE_URL is set, else embedded PGlite. The trust store
 * is cached; a profile that shows the photo reads it (one statement) and decrypts it per check.
 * BENCH_ROUNDS (default 5), BENCH_LOADGEN=inline (autocannon on the server's own event loop).
 */
import { verify as nodeVerify, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { cardPhoto } from '../test/helpers/photo.js';
import { inspectCredential, prepareTrustStore, verifyCredential, webCryptoCheck } from '../src/credential/index.js';
import { nodeSignatureCheck } from '../src/modules/verification/node-signature-check.js';
import { createBenchApp, fmt, opsPerSecond, table } from './lib/bench-app.js';

const SECONDS = Number(process.argv[2] ?? 10);
/** CPU time (user + system) of this process's main thread, from /proc (Linux), in ms. */
const threadCpuMs = () => {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};

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
  // HTTP in rounds alternating with raw rounds (1 s raw, then SECONDS / ROUNDS of POST /v1/verify): the
  // ratio compares figures taken seconds apart, so a shared machine's changing load cancels out mostly.
  // The load generator runs in a worker thread of its own (BENCH_LOADGEN=inline: on the server's event
  // loop, as the figures before 2026-12-03 were taken, which charges autocannon's work to the server).
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
  const inline = process.env.BENCH_LOADGEN === 'inline';
  const perRound = Math.max(1, Math.round(SECONDS / rounds));
  let rawTotal = 0;
  let httpTotal = 0;
  let non2xx = 0;
  const roundRatios: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  // CPU time of this (the server's) thread per raw check and per request: unlike req/s, it does not fall
  // when other processes take the cores, so its ratio is the steadier one on a shared machine.
  let rawCpu = 0;
  let rawOps = 0;
  let httpCpu = 0;
  let httpRequests = 0;
  for (let round = 0; round < rounds; round++) {
    const rawCpuBefore = threadCpuMs();
    let ops = 0;
    const rawStart = performance.now();
    while (performance.now() - rawStart < 1000) {
      for (let i = 0; i < 100; i++) nodeVerify(null, data, pub, sig);
      ops += 100;
    }
    const rawRound = ops / ((performance.now() - rawStart) / 1000);
    rawCpu += threadCpuMs() - rawCpuBefore;
    rawOps += ops;
    const httpCpuBefore = threadCpuMs();
    const result = await autocannon({
      url: `${bench.url}/v1/verify`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body,
      connections: 32,
      duration: perRound,
      ...(inline ? {} : { workers: 1 }),
    });
    if (!inline) httpCpu += threadCpuMs() - httpCpuBefore;
    httpRequests += result.requests.total;
    rawTotal += rawRound;
    httpTotal += result.requests.average;
    non2xx += result.non2xx + result.errors;
    roundRatios.push(result.requests.average / rawRound);
    p50.push(result.latency.p50);
    p99.push(result.latency.p99);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  table(`Verification — Node ${process.version}, ${bench.kind}, ${SECONDS} s HTTP run`, [
    ['raw node:crypto.verify Ed25519 ops/s', fmt(raw)],
    ['verifyCredential in process (node:crypto check) ops/s', `${fmt(inProcess)}  (ratio ${fmt(inProcess / raw, 2)}, goal ≥ 0.80)`],
    ['verifyCredential in process (WebCrypto check, as in the browser) ops/s', `${fmt(inBrowserPath)}  (ratio ${fmt(inBrowserPath / raw, 2)})`],
    ['raw / verifyCredential, alternating 20 × 150 ms rounds, ops/s', `${fmt(rawSum / 20)} / ${fmt(verifySum / 20)}  (ratio ${fmt(verifySum / rawSum, 2)}, goal ≥ 0.80)`],
    [
      `POST /v1/verify req/s, ${process.env.BENCH_PROFILE ?? 'name_and_photo'} (autocannon 32 connections, ${inline ? 'in the server thread' : 'own thread'}), ${rounds} × ${perRound} s, raw / HTTP alternating`,
      `${fmt(rawTotal / rounds)} / ${fmt(httpTotal / rounds)}  (ratio ${fmt(httpTotal / rawTotal, 2)}, rounds ${fmt(Math.min(...roundRatios), 2)}–${fmt(Math.max(...roundRatios), 2)})`,
    ],
    ...(inline
      ? []
      : [
          [
            'the same from CPU time of the server thread: µs per raw check / per request',
            `${fmt((rawCpu * 1000) / rawOps, 1)} / ${fmt((httpCpu * 1000) / httpRequests, 1)}  (ratio ${fmt(rawCpu / rawOps / (httpCpu / httpRequests), 2)})`,
          ] as [string, string],
        ]),
    ['POST /v1/verify latency p50 / p99 ms (median of rounds)', `${median(p50)} / ${median(p99)}`],
    ['non-2xx or errors during the run', String(non2xx)],
  ]);
} finally {
  await bench.close();
}
