/**
 * Issuing credentials at IDNYC's scale on real PostgreSQL:
 * `BENCH_DATABASE_URL=postgres://… npx tsx bench/issuance.ts [residents]` (default 1,300,000).
 * Seeds the residents first through the import path (validated, encrypted,
 * blind-indexed, audited — not timed as issuance), then times
 * `cards:issue-missing` (the service behind it): every card signed, sealed,
 * given a random status-list slot and an audit entry, in batches of 1,000,
 * with a progress bar (batch size BENCH_BATCH, default 2,500). Goal (issue 10): < 5 minutes for 1.3 million.
 */
import { SingleBar, Presets } from 'cli-progress';
import { createBenchApp, fmt, table } from './lib/bench-app.js';

const N = Number(process.argv[2] ?? 1_300_000);
const SEED_BATCH = 2000;
const FIRST = ['Amina', 'José', 'Łukasz', 'Nguyễn', 'Oluwaseun', 'Zoé', 'Ahmad', 'Mariam', 'Kwame', 'Ana', 'أمينة', 'Дмитрий'];
const LAST = ['Haddad', 'Pérez', 'Kowalski', 'Thị Lan', 'Adeyemi', 'Martin', 'Karimi', 'Diallo', 'Mensah', 'Souza', 'حداد', 'Иванов'];
const letters = (i: number) => i.toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]!);

const bench = await createBenchApp({ postgres: true });
try {
  const { residents, cards } = bench.app.services;
  const seedBar = new SingleBar({ format: 'seeding residents |{bar}| {value}/{total} {eta_formatted}', stream: process.stderr }, Presets.shades_classic);
  const seedStart = performance.now();
  seedBar.start(N, 0);
  for (let done = 0; done < N; done += SEED_BATCH) {
    const inputs = Array.from({ length: Math.min(SEED_BATCH, N - done) }, (_, j) => {
      const i = done + j;
      return {
        names: { printed: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / 12) % LAST.length]} ${letters(i)}` },
        birthDate: `${1940 + (i % 80)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        guardianPresent: true,
        preferredLanguage: (['en', 'fr', 'es', 'pt', 'ar'] as const)[i % 5],
        evidence: [{ type: 'passport' }, { type: 'lease' }],
      };
    });
    await residents.importMany({ type: 'system' }, inputs as never);
    seedBar.update(done + inputs.length);
  }
  seedBar.stop();
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const bar = new SingleBar({ format: 'issuing cards     |{bar}| {value}/{total} {rate}/s {eta_formatted}', stream: process.stderr }, Presets.shades_classic);
  const started = performance.now();
  bar.start(N, 0, { rate: 0 });
  const { issued } = await cards.issueMissing({ type: 'system' }, { batchSize: Number(process.env.BENCH_BATCH ?? 2500), onProgress: (n) => bar.update(n, { rate: fmt(n / ((performance.now() - started) / 1000)) }) });
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  const chain = await bench.app.services.audit.verifyChain();
  table(`Issuing credentials — Node ${process.version}, PostgreSQL, ${fmt(N)} residents`, [
    ['seeding the residents (import: validate, encrypt, index, audit)', `${fmt(seedSeconds, 1)} s (${fmt(N / seedSeconds)}/s)`],
    ['cards issued', fmt(issued)],
    ['issuance time (goal < 300 s)', `${fmt(seconds, 1)} s (${fmt(issued / seconds)} cards/s)`],
    ['audit chain after the run', `${chain.ok ? 'verifies' : 'BROKEN'} (${fmt(chain.checked)} entries)`],
  ]);
} finally {
  await bench.close();
}
