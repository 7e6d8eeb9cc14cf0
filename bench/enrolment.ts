/**
 * Enrolments per second through the HTTP API on a real PostgreSQL:
 * `BENCH_DATABASE_URL=postgres://… npx tsx bench/enrolment.ts [count] [concurrency]`
 * (TEST_DATABASE_URL also works). Creates a throw-away database, migrates
 * it, builds the app in-process and listens on loopback, signs in as a
 * clerk, then POSTs `count` distinct enrolments (default 2000) with at most
 * `concurrency` in flight (default 16), and prints throughput and latency.
 *
 * Each request is a full enrolment: validation, NFC and invisible-character
 * checks, five AES-256-GCM fields, blind indexes, the duplicate look-up and
 * a hash-chained audit entry, in one transaction. The audit head is one row
 * every writer locks, so enrolments serialise on it by design.
 *
 * The app rate-limits each client address (600/min); the bench spreads its
 * connections over loopback addresses 127.0.0.2… (Linux routes all of
 * 127.0.0.0/8 to lo), each staying under the limit, rather than weakening
 * the app for a benchmark.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { wrapPgPool } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';

const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!baseUrl) {
  process.stderr.write('Set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres\n');
  process.exit(2);
}
const COUNT = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const PER_ADDRESS = 500;
const PASSWORD = 'bench password long enough';

const withDb = (name: string) => {
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
};

const FIRST = ['Amina', 'José', 'Łukasz', 'Nguyễn', 'Oluwaseun', 'Zoé', 'Ahmad', 'Mariam', 'Kwame', 'Ana', 'أمينة', 'Дмитрий'];
const LAST = ['Haddad', 'Pérez', 'Kowalski', 'Thị Lan', 'Adeyemi', 'Martin', 'Karimi', 'Diallo', 'Mensah', 'Souza', 'حداد', 'Иванов'];
function enrolment(i: number) {
  const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i.toString(36)}`;
  return {
    names: { printed: name.replace(/\d/g, ''), legal: name.replace(/\d/g, 'x') },
    birthDate: `${1950 + (i % 60)}-${String(1 + (i % 12)).padStart(2, '0')}`,
    gender: i % 3 === 0 ? { selfDescribed: 'non-binary', marker: 'X', printMarker: false } : undefined,
    address: i % 4 === 0 ? { noFixedAddress: true, careOf: 'Foyer Saint-Jean' } : { line1: `${i} rue des Lilas`, postalCode: '67000', locality: 'Strasbourg' },
    preferredLanguage: ['en', 'fr', 'es', 'pt', 'ar'][i % 5],
    languages: ['fr'],
    evidence: [{ type: 'consular-id' }, { type: 'shelter-letter' }],
  };
}

function request(agent: http.Agent, port: number, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const name = `lcc_bench_${randomBytes(5).toString('hex')}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const pool = new pg.Pool({ connectionString: withDb(name), max: 20 });
const database = wrapPgPool(pool);
const agents: http.Agent[] = [];
try {
  await migrate(database);
  const config = {
    ...loadConfig({ CITY_ID: 'xx-bench', DATABASE_URL: withDb(name), MASTER_KEY: randomBytes(32).toString('base64'), PASSWORD_SCRYPT_LOG2N: '12', LOG_LEVEL: 'silent' }),
    masterKey: randomBytes(32),
  };
  const app = await buildApp({ config, database, logger: false });
  await app.services.city.bootstrap({ id: config.cityId, name: 'Bench City', country: config.country, adminPassword: PASSWORD, staff: app.services.staff });
  await app.services.staff.create({ type: 'system' }, { username: 'clerk', password: PASSWORD, role: 'clerk' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;

  for (let a = 0; a < Math.ceil((COUNT + 1) / PER_ADDRESS); a++) {
    agents.push(new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY, localAddress: `127.0.0.${2 + a}` }));
  }
  const login = await request(agents[0]!, port, '/v1/auth/login', { username: 'clerk', password: PASSWORD });
  const auth = { authorization: `Bearer ${JSON.parse(login.body).accessToken}` };

  // Warm-up: JIT, connection pool, prepared paths.
  for (let i = 0; i < 20; i++) await request(agents[0]!, port, '/v1/residents', enrolment(COUNT + i), auth);

  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < COUNT) {
        const i = next++;
        const t0 = performance.now();
        const res = await request(agents[Math.floor(i / PER_ADDRESS) % agents.length]!, port, '/v1/residents', enrolment(i), auth);
        latencies.push(performance.now() - t0);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);

  console.log(`\nEnrolment through the API — PostgreSQL ${(await admin.query('show server_version')).rows[0].server_version}, Node ${process.version}, ${COUNT} requests, concurrency ${CONCURRENCY}\n`);
  console.table({
    'enrolments/s': (COUNT / seconds).toFixed(0),
    'p50 ms': pct(50),
    'p90 ms': pct(90),
    'p99 ms': pct(99),
    'max ms': latencies[latencies.length - 1]!.toFixed(1),
    statuses: [...statuses].map(([s, n]) => `${s}×${n}`).join(' '),
  });
  await app.close();
} finally {
  for (const a of agents) a.destroy();
  await database.close().catch(() => {});
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
