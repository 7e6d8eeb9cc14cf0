/**
 * Memory under sustained load: `npx tsx bench/rss.ts [seconds]`.
 * Starts the service as `npm start` does (embedded PGlite, its own process),
 * enrols residents and issues cards, then drives a steady mix for the given
 * time (default 60 s) — verifications, status-list and bundle fetches, card
 * look-ups, enrolments — while sampling the server's resident set size from
 * /proc. Goal (issue 10): RSS < 200 MB.
 * With BENCH_DATABASE_URL (or TEST_DATABASE_URL) set, the service runs on that
 * PostgreSQL server instead (a throw-away database): the embedded PGlite's
 * WebAssembly heap (~300 MB resident by itself) then lives in no Node process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { fmt, pgBaseUrl, table } from './lib/bench-app.js';
import { cardPhoto } from '../test/helpers/photo.js';

const SECONDS = Number(process.argv[2] ?? 60);
const PASSWORD = 'bench password long enough';
const dir = mkdtempSync(join(tmpdir(), 'lcc-rss-'));
const port = 39000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const pgBase = pgBaseUrl();
const dbName = `lcc_bench_${randomBytes(5).toString('hex')}`;
let databaseUrl = '';
if (pgBase) {
  const admin = new pg.Client({ connectionString: pgBase });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const u = new URL(pgBase);
  u.pathname = `/${dbName}`;
  databaseUrl = u.toString();
}
const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT;
// /metrics is served only with a token (V8 heap and external memory come from it).
const metricsToken = randomBytes(32).toString('hex');
// The node options of `npm start` (package.json "start"), plus BENCH_NODE_FLAGS to try others.
const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
const nodeFlags = [...startScript.slice(1, startScript.indexOf('scripts/start.mjs')), ...(process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [])];
const child = spawn(process.execPath, [...nodeFlags, 'scripts/start.mjs'], {
  env: {
    ...process.env,
    DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: PASSWORD,
    DATABASE_URL: databaseUrl,
    ...(databaseUrl ? { MASTER_KEY: randomBytes(32).toString('base64') } : {}),
    RATE_LIMIT: '10000000',
    VERIFY_RATE_LIMIT: '10000000',
    CITY_ID: 'fr-benchville',
    METRICS_TOKEN: metricsToken,
    COUNTRY: 'FR',
    ...(process.env.BENCH_MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.BENCH_MALLOC_ARENA_MAX } : {}),
    // BENCH_HEAP_SNAPSHOT=<dir>: the server writes a V8 heap snapshot there at the end of the load.
    ...(snapshotDir ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}`.trim() } : {}),
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const rssMb = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
/** The server's CPU time (user + system) in ms: CPU per request is steadier than req/s on a shared machine. */
const cpuMs = () => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const post = async (path: string, body: unknown, token?: string) => {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

let exited = false;
child.once('exit', () => (exited = true));
try {
  for (;;) {
    if (exited) throw new Error('the server exited before it was ready');
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const idle = rssMb();
  const admin = (await post('/v1/auth/login', { username: 'admin', password: PASSWORD })).json.accessToken as string;
  for (const role of ['clerk', 'official']) await post('/v1/staff', { username: role, password: PASSWORD, role }, admin);
  const clerk = (await post('/v1/auth/login', { username: 'clerk', password: PASSWORD })).json.accessToken as string;
  const key = (await post('/v1/service-keys', { name: 'rss', profile: 'name_and_photo' }, admin)).json.secret as string;
  const qrs: string[] = [];
  for (let i = 0; i < 50; i++) {
    const r = await post('/v1/residents', { names: { printed: `Resident ${i.toString(36)} Load` }, birthDate: '1990-01', preferredLanguage: 'fr', evidence: [{ type: 'passport' }, { type: 'lease' }] }, clerk);
    const id = (r.json.resident as { id: string }).id;
    // A card needs a photo, as at a real desk (the default card rules).
    await fetch(`${base}/v1/residents/${id}/photo`, { method: 'PUT', headers: { authorization: `Bearer ${clerk}`, 'content-type': 'image/jpeg' }, body: new Uint8Array(await cardPhoto()) });
    const card = await post(`/v1/residents/${id}/cards`, {}, clerk);
    qrs.push(card.json.qr as string);
  }
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssMb()), 500);
  let n = 0;
  const cpuBefore = cpuMs();
  const result = await autocannon({
    url: base,
    connections: 16,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/v1/verify',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ qr: qrs[n++ % qrs.length] }) }),
      },
      { method: 'GET', path: '/v1/status-list' },
      { method: 'GET', path: '/v1/verifier-bundle' },
      {
        method: 'POST',
        path: '/v1/residents',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${clerk}` },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ names: { printed: `Load ${(n++).toString(36)}` }, preferredLanguage: 'en', evidence: [{ type: 'passport' }, { type: 'lease' }] }) }),
      },
    ],
  });
  clearInterval(sampler);
  const cpuPerRequest = (cpuMs() - cpuBefore) / result.requests.total;
  if (snapshotDir) {
    const before = readdirSync(snapshotDir).length;
    child.kill('SIGUSR2');
    while (readdirSync(snapshotDir).length === before) await new Promise((r) => setTimeout(r, 200));
    // Written while the server pauses; done when its size stops changing.
    const file = join(snapshotDir, readdirSync(snapshotDir).sort((a, b) => statSync(join(snapshotDir, b)).mtimeMs - statSync(join(snapshotDir, a)).mtimeMs)[0]!);
    for (let last = -1; statSync(file).size !== last; ) {
      last = statSync(file).size;
      await new Promise((r) => setTimeout(r, 1000));
    }
    console.log(`heap snapshot: ${file}`);
  }
  const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
  const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(metrics)?.[1] ?? NaN) / 1048576;
  const peak = Math.max(...samples);
  const end = samples.at(-1) ?? NaN;
  table(`RSS under sustained load — Node ${process.version}, ${databaseUrl ? 'PostgreSQL server' : 'embedded PGlite'}, ${SECONDS} s, 16 connections${nodeFlags.length ? `, node ${nodeFlags.join(' ')}` : ''}`, [
    ['RSS idle after start', `${fmt(idle, 1)} MB`],
    ['RSS peak under load (goal < 200 MB)', `${fmt(peak, 1)} MB`],
    ['RSS at the end of the run', `${fmt(end, 1)} MB`],
    ['of which V8 heap used / total, external (from /metrics)', `${fmt(metric('nodejs_heap_size_used_bytes'), 1)} / ${fmt(metric('nodejs_heap_size_total_bytes'), 1)} MB, ${fmt(metric('nodejs_external_memory_bytes'), 1)} MB`],
    ['requests served (mix: verify, status list, bundle, enrolment)', `${fmt(result.requests.total)} (${fmt(result.requests.average)}/s), non-2xx ${result.non2xx}, errors ${result.errors}`],
    ['server CPU time per request (steadier than req/s on a busy machine)', `${fmt(cpuPerRequest, 2)} ms`],
  ]);
} finally {
  child.kill('SIGTERM');
  if (!exited) await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  if (pgBase) {
    const admin = new pg.Client({ connectionString: pgBase });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}
