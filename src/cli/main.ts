#!/usr/bin/env node
/** edgebench CLI entry: dispatches to a subcommand; user errors are one line and exit 2, never a stack trace. */
import { env } from '../env/environment.js';
import './quiet-warnings.js';
import '../targets/index.js';
import '../../suites/index.js';
import { UserError, errorMessage } from '../util/errors.js';
import { EXIT } from './command.js';
import { COMMANDS } from './commands/index.js';
import { commandHelp, topHelp, versionLine } from './help.js';
import { takeWideFlag } from '../output/terminal.js';

/** Says a command is unknown, naming the known ones; the usage exit code. */
function unknownCommand(name: string): number {
  process.stderr.write(`edgebench: unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`);
  return EXIT.usage;
}

/** Runs the CLI with argv (without node and script); resolves with the exit code. */
export async function main(args: string[]): Promise<number> {
  const argv = takeWideFlag(args);
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write((await versionLine()) + '\n');
    return EXIT.ok;
  }
  if (name === 'help' && rest[0] !== undefined) {
    const cmd = COMMANDS.find((c) => c.name === rest[0]);
    if (!cmd) return unknownCommand(rest[0]);
    process.stdout.write(commandHelp(cmd) + '\n');
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp(COMMANDS) + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) return unknownCommand(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(cmd) + '\n');
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`edgebench: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`edgebench: internal error: ${errorMessage(e)}\n${e instanceof Error && env.debug() ? e.stack : ''}`);
    return EXIT.internal;
  }
}

process.exitCode = await main(process.argv.slice(2));
