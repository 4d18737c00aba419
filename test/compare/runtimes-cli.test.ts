/** `compare DIR --runtimes A,B`: two runtimes of one run compared per fixture; bad names are exit 2 naming what is there. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('compare --runtimes', () => {
  let out: string;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'eb-cmp-rt-'));
    const r = await runCli(['run', 'cold-start', '--layer', 'process', '--runtime', 'native,node-wasi', '--fixture', 'noop,hello', '--samples', '12', '--warmup', '2', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('pairs the two runtimes by fixture: node-wasi is a regression against native, exit 1', async () => {
    const r = await runCli(['compare', out, '--runtimes', 'native,node-wasi', '--metric', 'wall', '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { pairs: Array<{ label: string; metrics: Array<{ change: string; ratio: number }> }> };
    expect(j.pairs.map((p) => p.label).sort()).toEqual(['cold-start process/native/hello → cold-start process/node-wasi/hello', 'cold-start process/native/noop → cold-start process/node-wasi/noop']);
    for (const p of j.pairs) expect(p.metrics[0]).toMatchObject({ change: 'regressed' });
    for (const p of j.pairs) expect(p.metrics[0]!.ratio).toBeGreaterThan(5);
  });

  it('the other way round is an improvement, exit 0', async () => {
    const r = await runCli(['compare', out, '--runtimes', 'node-wasi,native', '--metric', 'wall']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('faster');
  });

  it('refuses a runtime with no results, naming those present, and a single runtime', async () => {
    const r = await runCli(['compare', out, '--runtimes', 'native,wasmedge@0.15.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('compare: no results of runtime wasmedge@0.15.1 in');
    expect(r.stderr).toMatch(/runtimes there: (native, node-wasi|node-wasi, native)/);
    const one = await runCli(['compare', out, '--runtimes', 'native']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('name two different runtimes');
  });
});
