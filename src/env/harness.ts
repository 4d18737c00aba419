/** The harness's own identity: package version and git commit. */
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { repoPath, repoRoot } from '../util/paths.js';

/** edgebench's package version. */
export function harnessVersion(): string {
  return (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version;
}

/** The git commit the harness runs from, or null outside a git checkout. */
export async function gitCommit(): Promise<string | null> {
  try {
    const r = await execa('git', ['rev-parse', 'HEAD'], { cwd: repoRoot(), reject: false, timeout: 5000, stdin: 'ignore' });
    return r.exitCode === 0 ? r.stdout.trim() : null;
  } catch {
    return null;
  }
}
