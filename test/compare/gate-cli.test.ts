/**
 * compare fails closed: a typo'd metric or statistic is exit 2 naming the valid ones; cells on one side only are
 * listed and fail the gate (unless --allow-missing); an invalid candidate always fails; nothing compared never passes.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'eb-gate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `run cold-start ...` into `out` and returns the run folder. */
async function run(out: string, ...args: string[]): Promise<string> {
  const r = await runCli(['run', 'cold-start', '--samples', '12', '--warmup', '1', '--out', out, '--quiet', ...args]);
  expect([0, 1]).toContain(r.code);
  return join(out, readdirSync(out)[0] as string);
}

/** A folder holding copies of some cells of a run (result and raw samples). */
function subset(from: string, name: string, cells: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const c of cells) for (const ext of ['.json', '.samples.ndjson']) copyFileSync(join(from, `${c}${ext}`), join(dir, `${c}${ext}`));
  return dir;
}

let base: string;
let cand: string;
const NATIVE = 'cold-start__process__native__noop';
const NODE = 'cold-start__process__node-wasi__noop';

beforeAll(async () => {
  base = await run(join(root, 'base'), '--runtime', 'native,node-wasi', '--fixture', 'noop');
  cand = await run(join(root, 'cand'), '--runtime', 'native,node-wasi', '--fixture', 'noop');
}, 120_000);

describe('names that match nothing are bad input (exit 2, naming the valid ones)', () => {
  it('a typo\'d metric (was: every pair dropped, "no regression", exit 0)', async () => {
    const r = await runCli(['compare', base, cand, '--metric', 'wal']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('edgebench: compare: --metric wal: no such metric in these results (metrics there: peak_rss, sys_cpu, user_cpu, wall)');
    expect(r.stdout).toBe('');
    const some = await runCli(['compare', base, cand, '--metric', 'wall,peak_rs']);
    expect(some.code).toBe(2);
    expect(some.stderr).toContain('--metric peak_rs: no such metric');
  });

  it('an unknown statistic, and a metric unknown to compare containers-vs-wasm', async () => {
    const s = await runCli(['compare', base, cand, '--statistic', 'p95.5']);
    expect(s.code).toBe(2);
    expect(s.stderr.trim()).toBe('edgebench: --statistic: "p95.5" is not one of min, mean, stddev, p50, p90, p95, p99, p99.9, max');
    const c = await runCli(['compare', 'containers-vs-wasm', base, '--metric', 'wal']);
    expect(c.code).toBe(2);
    expect(c.stderr.trim()).toBe('edgebench: compare: --metric wal: no such metric in the cold-start results (metrics there: peak_rss, sys_cpu, user_cpu, wall)');
  });
});

describe('missing cells', () => {
  it('a cell missing from the candidate is listed and fails the gate (exit 1); --allow-missing lists it and passes', async () => {
    const partial = subset(cand, 'cand-native-only', [NATIVE]);
    const r = await runCli(['compare', base, partial, '--metric', 'wall', '--threshold', '500%']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('missing: cold-start process/node-wasi/noop: missing from the candidate');
    expect(r.stdout).toMatch(/^gate failed: 1 cell\(s\)\/metric\(s\) missing or not compared: cold-start process\/node-wasi\/noop \(missing from the candidate\) \(--allow-missing passes cells missing on one side\)/m);
    const j = await runCli(['compare', base, partial, '--metric', 'wall', '--threshold', '500%', '--format', 'json']);
    expect(j.code).toBe(1);
    const parsed = JSON.parse(j.stdout) as { gate: { verdict: string; exitCode: number; compared: number }; missing: Array<{ what: string; why: string; blocking: boolean }> };
    expect(parsed.gate).toMatchObject({ verdict: 'missing', exitCode: 1, compared: 1 });
    expect(parsed.missing).toEqual([{ what: 'cold-start process/node-wasi/noop', why: 'missing from the candidate', blocking: true }]);
    const ok = await runCli(['compare', base, partial, '--metric', 'wall', '--threshold', '500%', '--allow-missing']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('missing: cold-start process/node-wasi/noop: missing from the candidate');
    // An A/A pair of 12 samples may be inconclusive on a busy machine (a warning, still exit 0); never a regression.
    expect(ok.stdout).toMatch(/^no regression(, but 1 comparison\(s\) inconclusive)? \(1 cell\(s\)\/metric\(s\) not compared, listed above\)/m);
  });

  it('a cell in the candidate only (no base) is listed and fails the gate', async () => {
    const partialBase = subset(base, 'base-two', [NATIVE, NODE]);
    const oneBase = subset(base, 'base-native-only-2', [NATIVE]);
    // Two base cells so pairing is by cell, not "one base against every candidate".
    const both = join(root, 'base-plus-extra');
    mkdirSync(both);
    for (const f of readdirSync(oneBase)) copyFileSync(join(oneBase, f), join(both, f));
    const hello = await run(join(root, 'hello'), '--runtime', 'native', '--fixture', 'hello');
    for (const f of readdirSync(hello)) copyFileSync(join(hello, f), join(both, f));
    const r = await runCli(['compare', both, partialBase, '--metric', 'wall', '--threshold', '500%']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('missing: cold-start process/node-wasi/noop: no base (present in the candidate only)');
    expect(r.stdout).toContain('missing: cold-start process/native/hello: missing from the candidate');
  });

  it('nothing compared (every cell not measured on both sides) never passes: exit 2 with the reason', async () => {
    const opt = ['--runtime', 'wasmedge', '--opt', `bin=${join(root, 'absent', 'wasmedge')}`, '--fixture', 'noop'];
    const a = await run(join(root, 'nm-a'), ...opt);
    const b = await run(join(root, 'nm-b'), ...opt);
    const r = await runCli(['compare', a, b, '--allow-missing']);
    expect(r.code).toBe(2);
    // A result not measured because its runtime is absent records no workload: its cell reads ".../wasmedge/-".
    expect(r.stderr).toMatch(/^edgebench: compare: gate failed: nothing compared: cold-start process\/wasmedge\/- \(not measured on either side \(.*absent\/wasmedge not found on PATH/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain('note: cold-start process/wasmedge/-: not measured on either side');
  });

  it('an invalid candidate fails the gate even with --allow-missing, saying why', async () => {
    const good = await run(join(root, 'ls-good'), '--runtime', 'native', '--fixture', '/bin/ls', '--arg', '/');
    const bad = await run(join(root, 'ls-bad'), '--runtime', 'native', '--fixture', '/bin/ls', '--arg', '/nonexistent-edgebench');
    const withNative = join(root, 'ls-good-plus');
    mkdirSync(withNative);
    for (const d of [good, subset(base, 'native-for-ls', [NATIVE])]) for (const f of readdirSync(d)) copyFileSync(join(d, f), join(withNative, f));
    const candDir = join(root, 'ls-bad-plus');
    mkdirSync(candDir);
    for (const d of [bad, subset(cand, 'native-for-ls-c', [NATIVE])]) for (const f of readdirSync(d)) copyFileSync(join(d, f), join(candDir, f));
    const r = await runCli(['compare', withNative, candDir, '--metric', 'wall', '--threshold', '500%', '--allow-missing']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/missing: cold-start process\/native\/ls: candidate invalid: all 12 measured samples failed; first failure: sample 0 \(warm-up\): exit code 2; stderr: .*nonexistent-edgebench/);
    expect(r.stdout).toMatch(/^gate failed: 1 cell\(s\)\/metric\(s\) missing or not compared: cold-start process\/native\/ls \(candidate invalid/m);
  });

  it('whole runs compare as before: no missing line, exit 0 within a wide threshold', async () => {
    const r = await runCli(['compare', base, cand, '--metric', 'wall', '--threshold', '500%']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^missing|^note/m);
    expect(r.stdout).toMatch(/^no regression(, but \d comparison\(s\) inconclusive: .*)? \(minimum effect 500\.0%/m);
  });
});
