/**
 * `run --runtime A,B` over two builds of one runtime gives the gate's verdict for them, their cells interleaved round
 * by round; `compare --runtimes A,B` on that run resamples the rounds paired; two separate runs compare unpaired.
 * Stand-in WasmEdge builds (bench/stand-in.ts) burn a known amount of CPU per start: the candidate three times the base.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { standInCache, type StandIns } from '../../bench/stand-in.js';
import { which } from '../../src/env/tools.js';
import { runCli } from '../helpers/cli.js';
import { describeWith } from '../helpers/system.js';

describeWith(
  'verdicts on two builds of one runtime',
  () => (which('cc') ? null : 'cc not installed (apt-get install gcc)'),
  () => {
    let s: StandIns;
    let out: string;
    let run: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      s = standInCache(2, 3, ['0.0.1', '0.0.2']);
      env = { EDGEBENCH_RUNTIME_CACHE: s.dir };
      out = mkdtempSync(join(tmpdir(), 'eb-rounds-cli-'));
      const r = await runCli(
        ['run', 'cold-start', '--runtime', `${s.base},${s.candidate}`, '--samples', '30', '--warmup', '2', '--rounds', '5', '--out', out, '--quiet'],
        { env },
      );
      expect(r.code, r.stderr).toBe(0);
      run = join(out, readdirSync(out)[0] as string);
      // The run's own summary gives the verdict of the second build against the first.
      expect(r.stdout).toMatch(/^process\/noop: wasmedge@0\.0\.2 vs wasmedge@0\.0\.1: regression \(median wall \d+\.\d+×/m);
    }, 120_000);

    it('compare --runtimes on that run: regression, exit 1, rounds resampled paired', async () => {
      const r = await runCli(['compare', run, '--runtimes', `${s.base},${s.candidate}`, '--metric', 'wall'], { env });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/: regression; 5 rounds each, interleaved in one run \(resampled paired\); CIs at 95\.0% each/);
      expect(r.stdout).toMatch(/wall p50 .* slower \(regression\)/);
    });

    it('the same build against itself in a second run: never a regression, and said to be separate runs', async () => {
      const again = await runCli(['run', 'cold-start', '--runtime', s.base, '--samples', '20', '--warmup', '2', '--rounds', '5', '--out', out, '--quiet'], {
        env,
      });
      expect(again.code).toBe(0);
      const second = readdirSync(out)
        .map((d) => join(out, d))
        .find((d) => d !== run) as string;
      const r = await runCli(
        [
          'compare',
          join(run, readdirSync(run).find((f) => f.includes('0.0.1') && f.endsWith('.json')) as string),
          join(second, readdirSync(second).find((f) => f.endsWith('.json')) as string),
          '--metric',
          'wall',
          '--format',
          'json',
        ],
        { env },
      );
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as { pairs: Array<{ verdict: string; metrics: Array<{ rounds: { base: number; candidate: number; paired: boolean } }> }> };
      expect(['no change', 'inconclusive', 'improvement']).toContain(j.pairs[0]?.verdict);
      expect(j.pairs[0]?.metrics[0]?.rounds).toEqual({ base: 5, candidate: 5, paired: false });
    }, 60_000);
  },
);
