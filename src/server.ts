/** Process entry: config → database → app → listen; closes gracefully on SIGTERM/SIGINT. */
import { buildApp } from './app.js';
import { ensureCity, loadConfigOrExit, openAndMigrate } from './boot.js';

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
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await app.close();
      await database.close();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));

  await app.listen({ port: resolved.port, host: resolved.host });
  app.log.info({ ms: Math.round(performance.now() - started), database: database.kind, city: resolved.cityId }, 'ready');
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
