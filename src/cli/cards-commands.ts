import type { Command } from './command.js';
import { withServices } from './command.js';

export const cardsExpire: Command = {
  summary: 'daily tidy-up: drop claim codes that can no longer be used (expiry itself needs no job)',
  run: (config) =>
    withServices(config, async ({ cards }) => {
      const r = await cards.tidyExpired();
      process.stdout.write(`${r.expiredCards} cards past expiry (they already verify as expired); ${r.claimCodesCleared} unusable claim codes cleared\n`);
      return 0;
    }),
};
