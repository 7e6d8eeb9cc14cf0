/**
 * Opening the embedded PGlite with a footprint a small server can afford.
 *
 * PGlite is a whole PostgreSQL compiled to WebAssembly: its shared memory
 * lives inside the wasm heap, and Emscripten zero-fills it when PostgreSQL
 * maps it, so every byte of `shared_buffers` is resident from the start —
 * initdb's default of 128 MB cost ~110 MB of RSS before the first query. A
 * town's database fits in a few thousand 8 kB pages, and the pages it
 * evicts stay in the operating system's cache, so 16 MB is plenty.
 * `maintenance_work_mem` is lowered too: wasm memory only ever grows, so an
 * index build allowed 64 MB would keep that much for the life of the process.
 *
 * The first start runs initdb in a short-lived child process. In-process,
 * initdb is a second PGlite instance plus initdb.wasm, and the data
 * directory is built in memory and copied over: ~450 MB that glibc's malloc
 * and V8 kept long after (827 MB resident right after a first start against
 * ~280 MB after a restart). In a child it all goes back when the child exits.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';

/** PostgreSQL settings for the embedded database (see above). */
export const PGLITE_MEMORY_SETTINGS = ['-c', 'shared_buffers=16MB', '-c', 'maintenance_work_mem=16MB'] as const;

export async function openPglite(dataDir: string): Promise<PGlite> {
  // Loaded only in embedded mode: a service on PostgreSQL never carries PGlite's code.
  const { PGlite: Embedded } = await import('@electric-sql/pglite');
  const options: PGliteOptions = { startParams: [...Embedded.defaultStartParams, ...PGLITE_MEMORY_SETTINGS] };
  if (!dataDir.startsWith('memory://') && !existsSync(join(dataDir, 'PG_VERSION'))) await initdbInChild(dataDir, options);
  return Embedded.create(dataDir, options);
}

/** The child opens the directory (PGlite runs initdb when PG_VERSION is missing) and closes it. */
const CHILD = `
const { PGlite } = require(process.argv[1]);
PGlite.create(process.argv[2], JSON.parse(process.argv[3]))
  .then((db) => db.close())
  .then(() => process.exit(0), (e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });
`;

function initdbInChild(dataDir: string, options: PGliteOptions): Promise<void> {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, pglite, dataDir, JSON.stringify(options)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`initdb of the embedded database failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`)),
    );
  });
}
