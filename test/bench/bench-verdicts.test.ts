/** The bench checks can fail: not met → exit 1, not measured → exit 3, and run-all counts neither as a pass. Runs dist/. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../src/util/paths.js';
import { EXIT_NOT_MEASURED, EXIT_NOT_MET, harnessCostShortfalls } from '../../bench/verdicts.js';

const bench = (name: string): string => repoPath('dist', 'bench', name);

/** A directory for PATH holding only the given scripts. */
function pathDir(scripts: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'eb-path-'));
  for (const [n, body] of Object.entries(scripts)) {
    writeFileSync(join(d, n), `#!/bin/sh\n${body}\n`);
    chmodSync(join(d, n), 0o755);
  }
  return d;
}

async function node(args: string[], path: string): Promise<{ code: number | undefined; out: string }> {
  const r = await execa(process.execPath, ['--no-warnings', ...args], { reject: false, timeout: 60_000, all: true, env: { PATH: path }, extendEnv: false });
  return { code: r.exitCode, out: String(r.all) };
}

describe('bench verdicts', () => {
  it('harness-overhead without hyperfine: not measured, exit 3', async () => {
    const r = await node([bench('harness-overhead.js')], pathDir());
    expect(r.out).toContain('not measured: hyperfine not found');
    expect(r.code).toBe(EXIT_NOT_MEASURED);
  });

  it('run-all reports a bench without hyperfine as not measured and exits non-zero', async () => {
    const r = await node([bench('run-all.js'), 'harness-overhead.js'], pathDir());
    expect(r.out).toMatch(/harness-overhead\.js: not measured \(exit 3\)/);
    expect(r.out).toContain('0 passed, 0 failed, 1 not measured');
    expect(r.code).not.toBe(0);
  });

  it('run-all: one failed bench fails the whole run; all passing passes', async () => {
    const d = mkdtempSync(join(tmpdir(), 'eb-bench-'));
    writeFileSync(join(d, 'ok.mjs'), 'process.exit(0);\n');
    writeFileSync(join(d, 'miss.mjs'), 'process.exit(1);\n');
    const bad = await node([bench('run-all.js'), join(d, 'ok.mjs'), join(d, 'miss.mjs')], pathDir());
    expect(bad.out).toContain('1 passed, 1 failed, 0 not measured');
    expect(bad.code).toBe(1);
    const good = await node([bench('run-all.js'), join(d, 'ok.mjs')], pathDir());
    expect(good.out).toContain('1 passed, 0 failed, 0 not measured');
    expect(good.code).toBe(0);
  });

  it('harness-overhead exits 1 when edgebench is outside the target of the reference', async () => {
    // A fake hyperfine reporting a 1 ns median: the real edgebench median cannot be within max(10%, 100 µs) of it.
    const path = pathDir({ hyperfine: 'while [ $# -gt 0 ]; do [ "$1" = "--export-json" ] && out="$2"; shift; done\necho \'{"results":[{"median":1e-9}]}\' > "$out"' });
    const r = await node([bench('harness-overhead.js'), '--runs', '5', '--rounds', '1'], `${path}:/usr/bin:/bin`);
    expect(r.out).toContain('NOT met');
    expect(r.code).toBe(EXIT_NOT_MET);
  });

  it('kube-harness-cost targets: each one can fail, NaN included', () => {
    const met = { pods: 3000, reached: 3000, lagP99Ms: 3.4, peakRssMB: 114 };
    expect(harnessCostShortfalls(met)).toEqual([]);
    expect(harnessCostShortfalls({ ...met, lagP99Ms: 5 })).toEqual(['event-loop lag p99 5 ms is not below 5 ms']);
    expect(harnessCostShortfalls({ ...met, lagP99Ms: Number.NaN })).toHaveLength(1);
    expect(harnessCostShortfalls({ ...met, peakRssMB: 157 })).toEqual(['peak RSS 157 MB is not below 150 MB']);
    expect(harnessCostShortfalls({ ...met, reached: 1200 })).toEqual(['reached 1200 of 3000 pods: not measured at the scale asked for']);
  });
});
