/** A CLI subcommand: one file under cli/commands, listed in cli/commands/index.ts. */
export interface Command {
  name: string;
  summary: string;
  /** Usage text; {SUITES}, {LAYERS}, {FIXTURES} and a {RUNTIMES_BY_LAYER} line are filled from the registries (cli/help.ts). */
  usage: string;
  /** Example command lines, shown by `help COMMAND` and `COMMAND --help` (test/cli/help.test.ts wants one per command). */
  examples?: string[];
  /** Runs the command; resolves with the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** Documented exit codes. */
export const EXIT = {
  ok: 0,
  /** A result is invalid (too many failures), a claim refuted, or a regression found. */
  failed: 1,
  /** Bad input: unknown flag, bad value, missing or corrupt file, absent daemon. */
  usage: 2,
  /** A bug in edgebench. */
  internal: 3,
  /** compare --fail-on-inconclusive: no regression, but some comparison could not decide. */
  inconclusive: 4,
  interrupted: 130,
} as const;
