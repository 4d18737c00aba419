/**
 * publish over a folder holding two runs: OpenMetrics with one family per metric and a unique series per result,
 * read by Prometheus's own parsers (promtool: the exposition linter, and the OpenMetrics parser of its TSDB backfill);
 * benchmark-json without duplicate names; JUnit with the comparison against a baseline (regressions, missing cells).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkEntry } from '../../src/output/benchmark-json.js';
import type { Result } from '../../src/result/types.js';
import { describeWith } from '../helpers/system.js';
import { cli, realCell, tmp } from './helpers.js';

let dir: string;
let many: string;
const results: Record<string, Result> = {};

beforeAll(async () => {
  dir = tmp('eb-pub-many-');
  many = join(dir, 'results');
  for (const run of ['run-a', 'run-b']) {
    for (const rt of ['native', 'node-wasi']) {
      const o = await realCell(rt, 'noop', rt === 'native' ? 30 : 8, join(many, run), run);
      expect(o.result.status).toBe('ok');
      results[`${run}/${rt}`] = o.result;
    }
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sample lines of an exposition (no comments, no blank lines). */
function sampleLines(text: string): string[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#'));
}

/** The series of a sample line: its name and labels (value and timestamp cut off). */
function seriesOf(line: string): string {
  return line.slice(0, line.lastIndexOf('}') + 1);
}

describe('OpenMetrics over two runs', () => {
  let om: string;
  beforeAll(async () => {
    const r = await cli('publish', many, '--format', 'openmetrics');
    expect(r.code, r.stderr).toBe(0);
    om = r.stdout + '\n';
  });

  it('one family per suite and metric, every series once, values from the results', () => {
    const types = om.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(types).toEqual([
      '# TYPE edgebench_cold_start_wall_seconds summary',
      '# TYPE edgebench_cold_start_peak_rss_bytes summary',
      '# TYPE edgebench_cold_start_user_cpu_seconds summary',
      '# TYPE edgebench_cold_start_sys_cpu_seconds summary',
      '# TYPE edgebench_claim stateset',
    ]);
    const lines = sampleLines(om);
    expect(new Set(lines.map(seriesOf)).size).toBe(lines.length);
    // 4 metrics × 4 results × (4 quantiles + _count + _sum)
    expect(lines.filter((l) => l.startsWith('edgebench_cold_start_'))).toHaveLength(4 * 4 * 6);
    for (const [key, r] of Object.entries(results)) {
      const [run, rt] = key.split('/') as [string, string];
      const wall = r.metrics.find((m) => m.name === 'wall');
      const labels = `layer="process",runtime="${rt}",workload="noop",run_id="${run}",simulated="false"`;
      const value = (series: string): number => Number(lines.find((l) => seriesOf(l) === series)?.split(' ')[1]);
      expect(value(`edgebench_cold_start_wall_seconds{${labels},quantile="0.5"}`)).toBeCloseTo((wall?.summary.p50 ?? NaN) / 1e9, 12);
      expect(value(`edgebench_cold_start_wall_seconds{${labels},quantile="1"}`)).toBeCloseTo((wall?.summary.max ?? NaN) / 1e9, 12);
      expect(value(`edgebench_cold_start_wall_seconds_count{${labels}}`)).toBe(wall?.summary.count);
      expect(value(`edgebench_cold_start_wall_seconds_sum{${labels}}`)).toBeCloseTo(((wall?.summary.mean ?? NaN) * (wall?.summary.count ?? NaN)) / 1e9, 9);
    }
    // Claims judged on each run are told apart by the runs that fed them (they collided before).
    const claimSeries = lines.filter((l) => l.startsWith('edgebench_claim{'));
    expect(claimSeries.some((l) => l.includes('run_id="run-a"'))).toBe(true);
    expect(claimSeries.some((l) => l.includes('run_id="run-b"'))).toBe(true);
    expect(om.endsWith('# EOF\n')).toBe(true);
  });

  it('a result given twice (its folder and its file) is published once, saying so', async () => {
    const file = join(many, 'run-a', 'cold-start__process__native__noop.json');
    const r = await cli('publish', many, file, '--format', 'openmetrics');
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(`publish: ${file}: given twice; published once`);
    expect(sampleLines(r.stdout)).toEqual(sampleLines(om));
  });
});

/** promtool (Debian's prometheus package), or why not. */
function promtool(): string | null {
  return spawnSync('sh', ['-c', 'command -v promtool']).status === 0 ? null : 'promtool not installed (scripts/install-deps.sh installs prometheus)';
}

describeWith('OpenMetrics read by Prometheus (promtool)', promtool, () => {
  it('the exposition linter finds no problem (`promtool check metrics`, claims left out: its text format has no stateset)', async () => {
    const r = await cli('publish', many, '--format', 'openmetrics', '--no-claims');
    expect(r.code).toBe(0);
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: r.stdout + '\n', encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('the OpenMetrics parser of the TSDB backfill reads every line, claims included, as a series of its own', async () => {
    const r = await cli('publish', many, '--format', 'openmetrics', '--timestamps');
    expect(r.code).toBe(0);
    const text = r.stdout + '\n';
    const lines = sampleLines(text);
    expect(lines.every((l) => /\} \S+ \d+(\.\d+)?$/.test(l))).toBe(true);
    const backfill = (body: string): { series: number; samples: number } => {
      const work = mkdtempSync(join(tmpdir(), 'eb-promtool-'));
      try {
        writeFileSync(join(work, 'in.om'), body);
        const out = execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(work, 'in.om'), join(work, 'tsdb')], { encoding: 'utf8' });
        // BLOCK ULID  MIN TIME  MAX TIME  DURATION  NUM SAMPLES  NUM CHUNKS  NUM SERIES  SIZE
        const rows = out.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
        return { samples: rows.reduce((a, f) => a + Number(f[4]), 0), series: rows.reduce((a, f) => a + Number(f[6]), 0) };
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    };
    expect(backfill(text)).toEqual({ samples: lines.length, series: lines.length });
    // The check can fail: a line written twice (as two runs gave before) is one series, one sample, in the TSDB.
    const first = lines[0] as string;
    const withDup = text.replace(`${first}\n`, `${first}\n${first}\n`);
    expect(sampleLines(withDup)).toHaveLength(lines.length + 1);
    expect(backfill(withDup)).toEqual({ samples: lines.length, series: lines.length });
  }, 60_000);
});

describe('benchmark-json over two runs', () => {
  it('one entry per name, from the later run; the earlier run is named on stderr', async () => {
    const r = await cli('publish', many, '--format', 'benchmark-json');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as BenchmarkEntry[];
    expect(entries).toHaveLength(8);
    expect(new Set(entries.map((e) => e.name)).size).toBe(8);
    for (const e of entries) expect(e.extra).toMatch(/ run=run-b$/);
    const wall = entries.find((e) => e.name === 'cold-start process/native/noop wall p50');
    expect(wall?.value).toBeCloseTo((results['run-b/native']?.metrics.find((m) => m.name === 'wall')?.summary.p50 ?? NaN) / 1e6, 5);
    expect(r.stderr.trim()).toBe('publish: benchmark-json: one entry per name, from the latest run of each cell: 8 entries of earlier run(s) run-a left out');
  });
});

describe('JUnit with a comparison', () => {
  it('a regression is a failure, a compared metric a passing case, a cell missing from the candidate a failure', async () => {
    const base = join(many, 'run-a', 'cold-start__process__native__noop.json');
    const cand = join(many, 'run-b', 'cold-start__process__node-wasi__noop.json');
    const r = await cli('publish', cand, '--format', 'junit', '--baseline', base, '--no-claims');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/<testsuite name="compare against .*run-a\/cold-start__process__native__noop\.json" tests="4" failures="\d" skipped="0">/);
    expect(r.stdout).toMatch(/<testcase classname="compare\.wall" name="cold-start process\/native\/noop → cold-start process\/node-wasi\/noop wall p50"><failure message="regression: wall p50 slower: candidate ÷ base = [\d.]+× \[[\d.]+–[\d.]+\] \(95% CI\)" type="regression"\/><\/testcase>/);
    const two = await cli('publish', join(many, 'run-b', 'cold-start__process__native__noop.json'), '--format', 'junit', '--baseline', join(many, 'run-a'), '--no-claims', '--threshold', '500%');
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('<testsuites name="edgebench claims and comparison" tests="5" failures="1" skipped="0">');
    expect(two.stdout).toMatch(/<testcase classname="compare\.wall" name="cold-start process\/native\/noop \(run-a → run-b\) wall p50"><system-out>wall p50 no change: /);
    expect(two.stdout).toContain('<testcase classname="compare.cells" name="cold-start process/node-wasi/noop"><failure message="missing from the candidate" type="missing"/></testcase>');
    const allowed = await cli('publish', join(many, 'run-b', 'cold-start__process__native__noop.json'), '--format', 'junit', '--baseline', join(many, 'run-a'), '--no-claims', '--threshold', '500%', '--allow-missing');
    expect(allowed.stdout).toContain('<testcase classname="compare.cells" name="cold-start process/node-wasi/noop"><skipped message="missing from the candidate"/></testcase>');
  });
});
