/**
 * Administrator commands: `npm run cli -- <command> [args]`.
 * Each command lives in src/cli/ and is listed in src/cli/commands.ts.
 */
import { exitOnKnownStartupError, loadConfigOrExit } from './boot.js';
import { COMMANDS } from './cli/commands.js';

async function main(argv: string[]) {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stdout.write('Usage: npm run cli -- <command> [args]\n\nCommands:\n');
    for (const [n, c] of Object.entries(COMMANDS)) process.stdout.write(`  ${n.padEnd(22)} ${c.summary}\n`);
    process.exitCode = name ? 2 : 0;
    return;
  }
  process.exitCode = await command.run(loadConfigOrExit(), args);
}

main(process.argv.slice(2)).catch((err) => {
  exitOnKnownStartupError(err);
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
