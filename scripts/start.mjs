/**
 * `npm start`: runs the service from an esbuild bundle of src/server.ts with
 * plain Node, so start-up pays no TypeScript loader. npm packages stay
 * external and lazily loaded parts (PDF rendering, …) stay separate chunks.
 * The bundle in dist/server/ is rebuilt whenever a file under src/ (or the
 * lock file) is newer than it, so it is never stale; otherwise it is reused.
 */
import { build } from 'esbuild';
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

if (sourcesChanged()) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
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
}
process.setSourceMapsEnabled(true);
await import(pathToFileURL(entry).href);
