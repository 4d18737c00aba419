import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { FIXTURES } from '../../src/fixtures/workload.js';
import { LAYERS } from '../../src/result/types.js';
import { suiteNames } from '../../src/run/suite.js';
import { runtimesOf } from '../../src/targets/registry.js';
import { harnessVersion } from '../../src/env/harness.js';
import '../../src/targets/index.js';
import '../../suites/index.js';
import { runCli } from '../helpers/cli.js';

const longest = (t: string): number => Math.max(...t.split('\n').map((l) => l.length));

describe('a CLI that explains itself', () => {
  it('--version prints the package version and a 7-hex commit', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(new RegExp(`^edgebench ${harnessVersion().replace(/\./g, '\\.')} \\([0-9a-f]{7}\\)$`));
  });

  it('help run and run --help print run\'s usage with every registered suite, layer, runtime and fixture', async () => {
    const suites = suiteNames();
    expect(suites.length).toBeGreaterThan(3);
    const viaHelp = await runCli(['help', 'run']);
    const viaFlag = await runCli(['run', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaFlag.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    const text = viaHelp.stdout;
    expect(text).toMatch(/^edgebench run SUITE/m);
    expect(text).not.toContain('...)');
    expect(text).toContain(`registered suites: ${suites.join(', ')}`);
    expect(text).toContain(`fixture names (${FIXTURES.join(', ')})`);
    expect(FIXTURES).toContain('http');
    for (const layer of LAYERS) {
      const line = text.split('\n').find((l) => new RegExp(`^\\s+${layer}\\s{2,}`).test(l));
      expect(line, `runtimes of ${layer}`).toBeDefined();
      for (const rt of runtimesOf(layer)) expect(text, `${layer}/${rt}`).toMatch(new RegExp(`\\b${rt}\\b`));
    }
  });

  it('every command has --help (exit 0) with an example, and help COMMAND says the same', async () => {
    expect(COMMANDS.length).toBeGreaterThan(10);
    for (const c of COMMANDS) {
      const r = await runCli([c.name, '--help']);
      expect(r.code, c.name).toBe(0);
      expect(r.stdout, c.name).toMatch(new RegExp(`^Examples?:\\n  edgebench ${c.name} `, 'm'));
      expect(r.stdout, c.name).toContain(`edgebench ${c.name}`);
      expect(r.stdout, c.name).not.toMatch(/\{[A-Z_|]+\}/);
      expect((await runCli(['help', c.name])).stdout, c.name).toBe(r.stdout);
    }
    const unknown = await runCli(['help', 'nonsense']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "nonsense"/);
  });

  it('fits the result tables to COLUMNS, footnotes the reasons, and --wide gives the full width', async () => {
    const out = mkdtempSync(join(tmpdir(), 'eb-help-'));
    const env = { EDGEBENCH_WASMTIME_BIN: '/nonexistent/wasmtime', COLUMNS: '80' };
    const run = await runCli(['run', 'cold-start', '--runtime', 'native,wasmtime', '--fixture', 'noop,hello', '--samples', '4', '--warmup', '0', '--out', out, '--quiet'], { env });
    expect(run.code).toBe(0);
    const table = run.stdout.split('\n').slice(1).join('\n'); // the first line names the (temporary) output folder
    expect(longest(table)).toBeLessThanOrEqual(80);
    expect(run.stdout).toMatch(/^runtime\s+.*mean ± σ\s+p50 \[95% CI\]/m);
    expect(run.stdout.match(/^\[1\] not-measured: \/nonexistent\/wasmtime not found on PATH/gm)).toHaveLength(1);
    expect(run.stdout.match(/not-measured \[1\]/g)).toHaveLength(2);
    const dir = join(out, readdirSync(out)[0] ?? '');
    const narrow = await runCli(['report', dir, '--format', 'text'], { env });
    expect(longest(narrow.stdout)).toBeLessThanOrEqual(80);
    const wide = await runCli(['report', dir, '--format', 'text', '--wide'], { env });
    expect(wide.code).toBe(0);
    expect(longest(wide.stdout)).toBeGreaterThan(120);
    expect(wide.stdout).toMatch(/^suite\s+layer\s+runtime\s+workload\s+metric\s+unit\s+n\s+min\s+mean ± σ\s+p50 \[95% CI\]\s+p95\s+p99\s+max\s+failed\s+clock\s+status$/m);
    const at100 = await runCli(['run', 'cold-start', '--runtime', 'native,node-wasi', '--fixture', 'noop', '--samples', '3', '--warmup', '0', '--out', out, '--quiet'], { env: { COLUMNS: '100' } });
    expect(longest(at100.stdout.split('\n').slice(1).join('\n'))).toBeLessThanOrEqual(100);
    // A unit column appears when the rows' units differ (native in µs, node-wasi in ms on a quiet machine).
    expect(at100.stdout).toMatch(/^runtime\s+(unit\s+)?min\s+mean ± σ\s+p50 \[95% CI\]\s+p95\s+p99\s+max$/m);
  });

  it('fits doctor\'s table to 80 columns', async () => {
    const r = await runCli(['doctor'], { env: { COLUMNS: '80' } });
    expect(r.code).toBe(0);
    expect(longest(r.stdout)).toBeLessThanOrEqual(80);
    expect(r.stdout).toMatch(/^\[1\] /m);
  });
});
