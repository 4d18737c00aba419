import { loadavg } from 'node:os';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../src/util/paths.js';

describe('bench/in-process', () => {
  // The child's own limit is below the test's, so a stalled run fails with its output and timing, not a bare test timeout.
  it('runs over every Wasm fixture and prints the sample-recording cost beside its reference', { timeout: 150_000 }, async () => {
    const t0 = Date.now();
    const r = await execa(process.execPath, ['--no-warnings', repoPath('dist', 'bench', 'in-process.js')], { reject: false, timeout: 120_000 });
    expect(r.exitCode, `after ${Date.now() - t0} ms (timed out: ${r.timedOut}); load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^compile noop\.wasm\s+\S+ \S+\s+1\.00× noop$/m);
    expect(r.stdout).toMatch(/^record one sample\s+.*× a bare write\(2\); [\d.]+% of a native noop start/m);
    expect(r.stdout).not.toMatch(/http\.wasm/); // its Wasm build needs WasmEdge's sockets, which node:wasi lacks
  });
});
