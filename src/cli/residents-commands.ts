/**
 * Retention purges of resident data (issue 4). Both are audited (one
 * `resident.erase`/`resident.minimise` entry per record, by id only).
 */
import cliProgress from 'cli-progress';
import type { Command } from './command.js';
import { withServices } from './command.js';

export const purgeExpired: Command = {
  summary: "erase residents whose cards all expired longer ago than the city's retention period",
  run: (config) =>
    withServices(config, async ({ residents }) => {
      const { erased, cutoff } = await residents.purgeExpired({ onProgress: (n) => process.stderr.write(`\rerased ${n}`) });
      process.stdout.write(`${erased ? '\n' : ''}purge:expired erased ${erased} resident record(s) with no card valid since ${cutoff.toISOString()}\n`);
      return 0;
    }),
};

export const purgeEmergency: Command = {
  summary: 'EMERGENCY: erase all resident data no valid card needs (requires --yes)',
  run: async (config, args) => {
    if (!args.includes('--yes')) {
      process.stderr.write(
        'purge:emergency erases every resident without a valid card, and strips the others down to what their card prints.\n' +
          'It cannot be undone. Run again with --yes to proceed.\n',
      );
      return 2;
    }
    return withServices(config, async ({ residents }) => {
      const bar = new cliProgress.SingleBar({ format: 'purge:emergency [{bar}] {value}/{total} records', stream: process.stderr }, cliProgress.Presets.shades_classic);
      const result = await residents.purgeEmergency({
        onStart: (total) => bar.start(total, 0),
        onProgress: (done) => bar.update(done),
      });
      bar.stop();
      process.stdout.write(`purge:emergency done: ${result.erased} erased, ${result.minimised} kept at card minimum (valid cards)\n`);
      return 0;
    });
  },
};
