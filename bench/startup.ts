/**
 * Start to ready with the embedded database: `npx tsx bench/startup.ts`.
 * Runs `npm start`'s entry (node scripts/start.mjs: esbuild bundle, then node) on a fresh,
 * empty DATA_DIR (first start: initdb, migrations, city keys, admin) and
 * again on the same directory (restart), timing from spawn until /readyz
 * answers 200. Goals (issue 10): first start < 10 s, restart < 2 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, table } from './lib/bench-app.js';

async function startOnce(dataDir: string, port: number): Promise<{ ms: number; inProcessMs?: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_PASSWORD: 'bench password long enough', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let inProcessMs: number | undefined;
  child.stdout.on('data', (b: Buffer) => {
    const m = /"ms":(\d+).*"msg":"ready"/.exec(b.toString());
    if (m) inProcessMs = Number(m[1]);
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (res.status === 200) return { ms: performance.now() - started, inProcessMs };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'lcc-startup-'));
try {
  const port = 38000 + Math.floor(Math.random() * 1000);
  const first = await startOnce(join(dir, 'data'), port);
  const restarts: number[] = [];
  const restartsIn: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await startOnce(join(dir, 'data'), port);
    restarts.push(r.ms);
    if (r.inProcessMs !== undefined) restartsIn.push(r.inProcessMs);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  table(`Start to ready, embedded PGlite — Node ${process.version}`, [
    ['first start on an empty DATA_DIR, spawn → /readyz 200 (goal < 10 s)', `${fmt(first.ms / 1000, 2)} s (in process: ${fmt((first.inProcessMs ?? NaN) / 1000, 2)} s)`],
    ['restart on the same DATA_DIR, median of 3 (goal < 2 s)', `${fmt(median(restarts) / 1000, 2)} s (in process: ${fmt(median(restartsIn) / 1000, 2)} s)`],
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
