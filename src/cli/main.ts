#!/usr/bin/env node
/** edgebench CLI entry: dispatches to a subcommand; user errors are one line and exit 2, never a stack trace. */
import './quiet-warnings.js';
import '../targets/index.js';
import '../../suites/index.js';
import { UserError, errorMessage } from '../util/errors.js';
import { EXIT } from './command.js';
import { COMMANDS } from './commands/index.js';

function help(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return ['usage: edgebench COMMAND [options]', '', ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`), '', 'edgebench COMMAND --help shows a command\'s options.'].join('\n');
}

/** Runs the CLI with argv (without node and script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`edgebench: unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(cmd.usage + '\n');
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`edgebench: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`edgebench: internal error: ${errorMessage(e)}\n${e instanceof Error && process.env['EDGEBENCH_DEBUG'] ? e.stack : ''}`);
    return EXIT.internal;
  }
}

process.exitCode = await main(process.argv.slice(2));
