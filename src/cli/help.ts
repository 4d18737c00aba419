/** Help texts: usages with their lists filled from the registries, examples, the top-level help and the version line. */
import { harnessVersion, gitCommit } from '../env/harness.js';
import { FIXTURES } from '../fixtures/workload.js';
import { LAYERS, type Layer } from '../result/types.js';
import { wrapText } from '../output/wrap.js';
import { suiteNames } from '../run/suite.js';
import { targetOptionsText } from '../targets/options-help.js';
import { runtimesOf } from '../targets/registry.js';
import type { Command } from './command.js';

/** Registry lists a usage may name as {SUITES}, {LAYERS}, {FIXTURES} (", "-joined; {SUITES|} joins with "|"). */
function lists(): Record<string, readonly string[]> {
  return { SUITES: suiteNames(), LAYERS, FIXTURES };
}

/** Width help lines are wrapped to (usages are written for it). */
const HELP_WIDTH = 116;

/** The runtimes of every layer, one line per layer (wrapped), each starting with `indent`. */
export function runtimesByLayer(indent: string): string {
  const w = Math.max(...LAYERS.map((l) => l.length));
  const lead = (l: string): string => `${indent}${l.padEnd(w)}  `;
  const line = (l: Layer): string[] => wrapText(runtimesOf(l).join(', ') || '(none registered)', HELP_WIDTH - lead(l).length).map((t, i) => (i ? ' '.repeat(lead(l).length) : lead(l)) + t);
  return LAYERS.flatMap(line).join('\n');
}

/** Fills a usage's placeholders: {SUITES}, {LAYERS}, {FIXTURES} (with "|" after the name: "|"-joined), and a line holding {RUNTIMES_BY_LAYER} or {TARGET_OPTIONS}. */
export function expandUsage(text: string): string {
  const l = lists();
  return text
    .replace(/^([ \t]*)\{RUNTIMES_BY_LAYER\}$/gm, (_m, indent: string) => runtimesByLayer(indent))
    .replace(/^([ \t]*)\{TARGET_OPTIONS\}$/gm, (_m, indent: string) => targetOptionsText(indent, HELP_WIDTH, wrapText))
    .replace(/\{(SUITES|LAYERS|FIXTURES)(\|?)\}/g, (_m, name: string, bar: string) => (l[name] ?? []).join(bar ? '|' : ', '));
}

/** A command's full help: its usage with the registry lists, its examples, the global options. */
export function commandHelp(cmd: Command): string {
  const examples = cmd.examples ?? [];
  const shown = examples.length ? ['', examples.length > 1 ? 'Examples:' : 'Example:', ...examples.map((e) => `  ${e}`)] : [];
  return [expandUsage(cmd.usage), ...shown, '', GLOBAL_OPTIONS].join('\n');
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS = 'Global options: --wide (tables at full width, not fitted to the terminal), -h/--help, --version.';

/** The top-level help: the commands with their summaries. */
export function topHelp(commands: readonly Command[]): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: edgebench COMMAND [options]',
    '       edgebench help COMMAND | edgebench COMMAND --help | edgebench --version',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    `Suites: ${suiteNames().join(', ')}`,
    `Layers: ${LAYERS.join(', ')}`,
    `Fixtures: ${FIXTURES.join(', ')}`,
    '',
    'edgebench help COMMAND shows a command\'s options, lists and an example.',
    GLOBAL_OPTIONS,
  ].join('\n');
}

/** "edgebench VERSION (COMMIT)": the package version and the short git commit ("no git" outside a checkout). */
export async function versionLine(): Promise<string> {
  const commit = await gitCommit();
  return `edgebench ${harnessVersion()} (${commit ? commit.slice(0, 7) : 'no git'})`;
}
