/**
 * Federation figures: `npx tsx bench/trust-list.ts [issuers] [partners]`
 * (defaults 35,000 and 100). On embedded PGlite in memory, or on a
 * throw-away PostgreSQL database with BENCH_DATABASE_URL=postgres://….
 *
 * 1. Signs a national trust list of `issuers` entries and imports it through
 *    POST /v1/federation/trust-list (JSON parsing, schema, signature, one
 *    transaction with batched inserts); then re-imports it unchanged.
 * 2. Looks partners up by issuer id (primary key), at that size.
 * 3. Registers `partners` self-consistent partner cities (root, certified
 *    signing key, 131,072-slot status list with 1 % revoked) and measures
 *    the verifier bundle (GET /v1/verifier-bundle) and the trust store build.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { encodeStatusList, signStatusList } from '../src/credential/index.js';
import { openDatabase, wrapPgPool, type Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { thumbprintOf } from '../src/modules/federation/jose-util.js';
import { signTrustList, verifyTrustList, type TrustListEntry } from '../src/modules/federation/trust-list.js';
import { certificate, metadata } from '../test/multi-city/forge.js';
import { newKey } from '../test/multi-city/network.js';

const ISSUERS = Number(process.argv[2] ?? 35_000);
const PARTNERS = Number(process.argv[3] ?? 100);
const PASSWORD = 'bench password long enough';
const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;
const print = (label: string, value: string) => process.stdout.write(`${label.padEnd(58)} ${value}\n`);

async function openBenchDatabase(): Promise<{ database: Database; drop: () => Promise<void>; kind: string }> {
  const base = process.env.BENCH_DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
    return { database, drop: () => database.close(), kind: 'PGlite (in memory)' };
  }
  const name = `lcc_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const database = wrapPgPool(new pg.Pool({ connectionString: u.toString(), max: 10 }));
  return {
    database,
    kind: 'PostgreSQL',
    drop: async () => {
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function main() {
  const coordinator = generateKeyPairSync('ed25519');
  const anchor = coordinator.publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const coordinatorJwk = coordinator.privateKey.export({ format: 'jwk' }) as Record<string, string>;

  // Partner documents served by an in-process "network".
  const served = new Map<string, string>();
  const fetch = async (url: string) => (served.has(url) ? new Response(served.get(url)!, { status: 200 }) : new Response('no', { status: 404 }));

  const { database, drop, kind } = await openBenchDatabase();
  await migrate(database);
  const config = {
    ...loadConfig({ CITY_ID: 'fr-bench', CITY_NAME: 'Bench', COUNTRY: 'FR', DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent', PASSWORD_SCRYPT_LOG2N: '12', ADMIN_PASSWORD: PASSWORD, FEDERATION_SYNC_SECONDS: '0', FEDERATION_ALLOW_PRIVATE_NETWORKS: 'true', TRUST_ANCHOR_JWK: JSON.stringify({ kty: anchor.kty, crv: anchor.crv, x: anchor.x }) }),
    masterKey: randomBytes(32),
  };
  const app = await buildApp({ config, database, logger: false, fetch });
  await app.services.city.bootstrap({ id: config.cityId, name: config.cityName, country: 'FR', adminPassword: PASSWORD, staff: app.services.staff });
  await app.ready();
  const token = (await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: PASSWORD } })).json().accessToken as string;
  const admin = { authorization: `Bearer ${token}` };
  print('database', kind);

  // 1. Trust list
  const fp = await thumbprintOf({ kty: 'OKP', crv: 'Ed25519', x: anchor.x! });
  const entries: TrustListEntry[] = Array.from({ length: ISSUERS }, (_, i) => ({
    id: `fr-commune-${String(i).padStart(5, '0')}`,
    name: `Commune n° ${i}`,
    country: 'FR',
    rootFingerprint: `${fp.slice(0, 37)}${String(i).padStart(6, '0')}`,
    metadataUrl: `https://commune-${i}.example.fr/.well-known/lcc-issuer`,
  }));
  const iat = Math.floor(Date.now() / 1000);
  let t0 = performance.now();
  const jws = await signTrustList({ country: 'FR', iat, exp: iat + 30 * 86_400, issuers: entries }, coordinatorJwk);
  print(`sign a trust list of ${ISSUERS.toLocaleString('en')} issuers`, `${ms(t0)}, ${(jws.length / 1e6).toFixed(2)} MB`);
  t0 = performance.now();
  await verifyTrustList(jws, { kty: 'OKP', crv: 'Ed25519', x: anchor.x! }, { now: new Date() });
  print('  verify it (signature + every entry), no database', ms(t0));
  const body = JSON.stringify({ trustList: jws });
  t0 = performance.now();
  let res = await app.inject({ method: 'POST', url: '/v1/federation/trust-list', headers: { ...admin, 'content-type': 'application/json' }, payload: body });
  if (res.statusCode !== 200) throw new Error(res.body);
  print('  import through the API (first time: all new)', `${ms(t0)} → ${JSON.stringify(res.json().added)} added`);
  t0 = performance.now();
  res = await app.inject({ method: 'POST', url: '/v1/federation/trust-list', headers: { ...admin, 'content-type': 'application/json' }, payload: body });
  print('  import again (unchanged)', `${ms(t0)} → ${res.json().unchanged} unchanged`);

  // 2. Look-ups by issuer id
  const N = 2000;
  t0 = performance.now();
  for (let i = 0; i < N; i++) await app.services.federation.view(entries[(i * 7919) % ISSUERS]!.id);
  const perLookup = (performance.now() - t0) / N;
  print(`look up a partner by id among ${ISSUERS.toLocaleString('en')} (service, mean of ${N})`, `${(perLookup * 1000).toFixed(0)} µs`);

  // 3. 100 registered partners → verifier bundle
  for (let i = 0; i < PARTNERS; i++) {
    const iss = `fr-partner-${i}`;
    const [root, signing] = [await newKey(), await newKey()];
    const cert = await certificate({ by: root, iss, key: signing });
    const url = `https://${iss}.example`;
    const meta = await metadata({ root, iss, keys: [{ key: signing, cert }], url });
    const statuses = new Uint8Array(131_072);
    for (let k = 0; k < 1310; k++) statuses[(k * 100_003) % statuses.length] = 1;
    const now = Math.floor(Date.now() / 1000);
    served.set(`${url}/v1/status-list`, await signStatusList(encodeStatusList(statuses, 2, statuses.length), { id: iss, statusListUrl: `${url}/v1/status-list` }, { kid: signing.kid, privateKey: signing.privateKey, alg: 'EdDSA' }, now, 300));
    res = await app.inject({ method: 'POST', url: '/v1/federation/partners', headers: admin, payload: { metadata: meta, fingerprint: root.kid } });
    if (res.statusCode !== 201 || res.json().lastError) throw new Error(res.body);
  }
  t0 = performance.now();
  const bundle = await app.inject('/v1/verifier-bundle');
  print(`verifier bundle with ${PARTNERS} partners (first build)`, ms(t0));
  const issuers = JSON.parse(Buffer.from(bundle.body.split('.')[1]!, 'base64url').toString()).issuers.length;
  print('  size: JWS / gzip', `${(bundle.body.length / 1024).toFixed(0)} kB / ${(gzipSync(bundle.body).length / 1024).toFixed(0)} kB (${issuers} issuers)`);
  t0 = performance.now();
  app.services.trust.invalidate();
  await app.services.trust.store();
  print(`server trust store with ${PARTNERS} partners (prepare)`, ms(t0));

  await app.close();
  await drop();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
