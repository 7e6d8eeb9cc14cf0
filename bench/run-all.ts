/**
 * `npm run bench`: every benchmark in turn, each printing its own table.
 * Those that need PostgreSQL (enrolment, issuance) run when BENCH_DATABASE_URL
 * or TEST_DATABASE_URL is set, and say so when it is not. Arguments after
 * `--` pick benchmarks by name: `npm run bench -- verify pdf`.
 */
import { spawnSync } from 'node:child_process';

const BENCHES: Array<{ name: string; args: string[]; needsPostgres?: boolean }> = [
  { name: 'credential', args: [] },
  { name: 'verify', args: ['10'] },
  { name: 'pdf', args: [] },
  { name: 'enrolment', args: ['2000', '16'], needsPostgres: true },
  { name: 'issuance', args: [], needsPostgres: true },
  { name: 'status-list', args: [] },
  { name: 'trust-list', args: [] },
  { name: 'directory-bundle', args: [] },
  { name: 'login', args: [] },
  { name: 'rss', args: ['60'] },
  { name: 'startup', args: [] },
  { name: 'appointments-release', args: ['5000', '500', '60'], needsPostgres: true },
  { name: 'events-rsvp', args: ['200'], needsPostgres: true },
  { name: 'benefits-redeem', args: ['400', '16'], needsPostgres: true },
  { name: 'offers-page', args: ['500', '2000'] },
];

const pick = process.argv.slice(2);
const hasPostgres = Boolean(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL);
let failed = 0;
for (const b of BENCHES) {
  if (pick.length && !pick.includes(b.name)) continue;
  process.stdout.write(`\n=== bench/${b.name}.ts ${b.args.join(' ')}\n`);
  if (b.needsPostgres && !hasPostgres) {
    process.stdout.write('skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server\n');
    continue;
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${b.name}.ts`, ...b.args], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
