/**
 * `npm start`: runs the service from an esbuild bundle of src/server.ts with
 * plain Node, so start-up pays no TypeScript loader. npm packages stay
 * external and lazily loaded parts (PDF rendering, …) stay separate chunks.
 * The bundle in dist/server/ is rebuilt whenever a file under src/ (or the
 * lock file) is newer than it, so it is never stale; otherwise it is reused.
 *
 * `npm start` runs it with two Node options that V8 reads only when the
 * process starts (package.json "start"; BENCHMARKS.md, "Memory"):
 * - `--max-semi-space-size=2`: the young generation's two halves at most 2 MB
 *   each instead of 16 MB. Under load V8 grew them to the maximum, ~30 MB of
 *   RSS that held only garbage between two scavenges; a request's objects
 *   die young either way (PostgreSQL mode: peak 238 -> 215 MB).
 * - `--v8-pool-size=1`: one V8 background thread (concurrent marking,
 *   sweeping, compilation) instead of four. Each thread that allocates gets
 *   a glibc malloc arena of its own that keeps what it freed; on a two-core
 *   town server four helpers bought nothing but arenas (peak -15 MB).
 * It also sets the V8 flags that keep the service small (BENCHMARKS.md,
 * "Memory"); they can be set from here, after start, because V8 reads them
 * when it decides, not when it starts:
 * - `--heap-growing-percent=30`: after each full garbage collection the old
 *   generation may grow 30 % over what survived before the next one. V8's own
 *   factor on a machine with many GB is up to 4×: ~40 MB alive let the heap
 *   reach 170 MB under load, most of it garbage waiting.
 * - `--liftoff-only`: the embedded PGlite is 9 MB of WebAssembly; V8 compiled
 *   its hot functions a second time with TurboFan in background threads, for
 *   ~60 MB more resident (code and the compilers' memory) and no measurable
 *   gain for a database whose time goes to the protocol and the disk.
 */
import v8 from 'node:v8';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'server');
const entry = join(outdir, 'server.js');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const sourcesChanged = () =>
  !existsSync(entry) || Math.max(newestSource(join(root, 'src')), statSync(join(root, 'package-lock.json')).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs) > statSync(entry).mtimeMs;

v8.setFlagsFromString('--heap-growing-percent=30');
v8.setFlagsFromString('--liftoff-only');

if (sourcesChanged()) {
  rmSync(outdir, { recursive: true, force: true });
  // Loaded only to rebuild, and stopped after: its service process is not kept for the life of the server.
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(root, 'src', 'server.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await esbuild.stop();
}
process.setSourceMapsEnabled(true);
await import(pathToFileURL(entry).href);
