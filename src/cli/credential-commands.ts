import type { Command } from './command.js';
import { UsageError, checkCredential } from './credential-check.js';

export const credentialCheck: Command = {
  summary: 'verify a Claim 169 QR text or picture: --text <t> | --png <file>, trusting --public-key-hex <hex> | --jwks <file|URL> | --bundle <file> [--now <ISO>]; prints JSON; exit 0 valid, 1 other, 2 malformed',
  run: async (_config, args) => {
    try {
      const { exit, output } = await checkCredential(args);
      process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
      return exit;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      process.stderr.write(`credential:check: ${e.message}\n`);
      return 1;
    }
  },
};
