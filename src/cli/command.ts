import type { Config } from '../config.js';
import { openAndMigrate } from '../boot.js';
import { createServices, type Services } from '../services.js';

export interface Command {
  summary: string;
  /** Returns the process exit code. */
  run(config: Config, args: string[]): Promise<number>;
}

const cliLog = { info: (m: string) => process.stderr.write(`${m}\n`), warn: (m: string) => process.stderr.write(`warning: ${m}\n`) };

/** Opens the database (migrating it), builds the services, runs `fn`, closes. */
export async function withServices<T>(config: Config, fn: (services: Services) => Promise<T>): Promise<T> {
  const { config: resolved, database } = await openAndMigrate(config, cliLog);
  try {
    return await fn(createServices({ config: resolved, database }));
  } finally {
    await database.close();
  }
}
