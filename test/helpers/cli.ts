/** Runs the built CLI (dist/, built by `pretest`) as a user would. */
import { execa, type Options } from 'execa';
import { repoPath } from '../../src/util/paths.js';

/** Path of the built CLI entry point. */
export const CLI = repoPath('dist', 'src', 'cli', 'main.js');

/** Runs `edgebench ...args`; never rejects — inspect code/stdout/stderr. */
export async function runCli(args: string[], opts: Options = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await execa(process.execPath, [CLI, ...args], { reject: false, stdin: 'ignore', timeout: 120_000, ...opts });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
