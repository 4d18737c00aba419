import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../src/util/paths.js';

describe('bench/k6 script', () => {
  it('type-checks against @types/k6', async () => {
    const r = await execa('npx', ['tsc', '-p', repoPath('bench', 'k6', 'tsconfig.json')], { reject: false, cwd: repoPath() });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  }, 60_000);
});
