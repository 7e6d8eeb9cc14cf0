import type { Command } from './command.js';
import { withServices } from './command.js';

export const auditVerify: Command = {
  summary: 'check the audit log hash chain; exit 1 at the first broken entry',
  run: (config) =>
    withServices(config, async ({ audit }) => {
      const report = await audit.verifyChain();
      if (report.ok) {
        process.stdout.write(`audit chain intact: ${report.checked} entries, last seq ${report.lastSeq}\n`);
        return 0;
      }
      process.stdout.write(`audit chain BROKEN at seq ${report.firstBroken!.seq} (${report.firstBroken!.reason}); ${report.checked} entries verified before it\n`);
      return 1;
    }),
};
