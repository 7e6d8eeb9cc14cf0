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

export const cardsIssueMissing: Command = {
  summary: 'issue a card to every resident without a live card (first issuance, or after a key compromise), with a progress bar',
  run: (config) =>
    withServices(config, async ({ cards, residents }) => {
      const { SingleBar, Presets } = await import('cli-progress');
      const bar = new SingleBar({ format: 'issuing |{bar}| {value}/{total} residents scanned, {issued} cards, {rate}/s', stream: process.stderr }, Presets.shades_classic);
      const total = await residents.count();
      const started = performance.now();
      bar.start(total, 0, { issued: 0, rate: 0 });
      const { issued, failed } = await cards.issueMissing({ type: 'system' }, {
        onProgress: (n, scanned) => bar.update(scanned, { issued: n, rate: Math.round(n / ((performance.now() - started) / 1000)) }),
      });
      bar.stop();
      process.stdout.write(`${issued} cards issued in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      if (failed.length === 0) return 0;
      // Resident ids are opaque; the reason names a claim, never its value.
      process.stdout.write(`${failed.length} residents skipped (fix the record, then run again):\n`);
      for (const f of failed) process.stdout.write(`  ${f.residentId}  ${f.reason}\n`);
      return 1;
    }),
};
