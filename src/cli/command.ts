/** A CLI subcommand: one file under cli/commands, listed in cli/commands/index.ts. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
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
  interrupted: 130,
} as const;
