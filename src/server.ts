/** Process entry: config → database → app → listen; closes gracefully on SIGTERM/SIGINT. */
import { buildApp } from './app.js';
import { ensureCity, exitOnKnownStartupError, loadConfigOrExit, openAndMigrate } from './boot.js';

/**
 * How long a stop may take. The stop never calls process.exit(): in Node 20,
 * process.exit() tears down V8's platform (joining its worker threads) while
 * the isolate is still alive, and a concurrent compile job on one of those
 * threads (Maglev, Sparkplug, or the tier-up of PGlite's WebAssembly) that is
 * waiting for the main thread to collect garbage then waits for ever, and the
 * main thread with it (futex_wait in pthread_join) — the SIGTERM hangs of
 * issue 20, with this very timer unable to fire. A loop that drains exits
 * through the isolate's own teardown, which cancels those jobs first.
 */
const STOP_DEADLINE_MS = 10_000;
/** After a clean close, how long the event loop may take to drain. */
const LINGER_MS = 2_000;

/**
 * The last resort when a stop cannot finish or the loop will not drain:
 * SIGKILL, since process.exit() can deadlock (above). The exit status then
 * says the stop was not clean (137), and the log says why.
 */
function hardStop(log: { error(obj: object, msg: string): void }, why: string, resources?: string[]): void {
  log.error({ resources }, `stopping hard: ${why}`);
  process.kill(process.pid, 'SIGKILL');
}

async function main() {
  const started = performance.now();
  const config = loadConfigOrExit();
  const bootLog = { info: (m: string) => process.stdout.write(`${m}\n`), warn: (m: string) => process.stderr.write(`warning: ${m}\n`) };
  const { config: resolved, database } = await openAndMigrate(config, bootLog);
  await ensureCity(resolved, database, bootLog, (line) => process.stdout.write(`${line}\n`));
  const app = await buildApp({ config: resolved, database });

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => hardStop(app.log, 'the close did not finish'), STOP_DEADLINE_MS).unref();
    try {
      // Requests in flight finish; new ones on kept-alive connections get 503 (Fastify's return503OnClosing).
      // server.close() ends the connections idle at that moment; one whose answer is still being
      // written becomes idle later and would be kept alive (Fastify: 72 s) — end each as it goes idle.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50).unref();
      await app.close().finally(() => clearInterval(sweep));
      await database.close();
      process.exitCode = 0;
    } catch (err) {
      app.log.error({ err: { type: (err as Error)?.name } }, 'error while shutting down');
      process.exitCode = 1;
    }
    clearTimeout(force);
    // No process.exit() here: see the note on STOP_DEADLINE_MS. With every
    // handle closed the event loop drains and Node exits on its own; a
    // handle that lingers is a bug, named in the log before the hard stop.
    setTimeout(() => hardStop(app.log, 'the event loop did not drain', process.getActiveResourcesInfo()), LINGER_MS).unref();
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));

  await app.listen({ port: resolved.port, host: resolved.host });
  app.log.info({ ms: Math.round(performance.now() - started), database: database.kind, city: resolved.cityId }, 'ready');
}

main().catch((err) => {
  exitOnKnownStartupError(err);
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
