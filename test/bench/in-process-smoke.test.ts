import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../src/util/paths.js';

describe('bench/in-process', () => {
  it('runs over every Wasm fixture and prints the sample-recording cost beside its reference', async () => {
    const r = await execa(process.execPath, ['--no-warnings', repoPath('dist', 'bench', 'in-process.js')], { reject: false, timeout: 120_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^compile noop\.wasm\s+\S+ \S+\s+1\.00× noop$/m);
    expect(r.stdout).toMatch(/^record one sample\s+.*× a bare write\(2\); [\d.]+% of a native noop start/m);
    expect(r.stdout).not.toMatch(/http\.wasm/);
  });
});
