/** Run plans (schema, expansion, `run --plan`) and the ci/ workflows (GitHub workflow schema, one comment). */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { expandPlan, loadPlan, type Plan } from '../../src/plan/plan.js';
import { COMMENT_MARKER } from '../../src/output/report-input.js';
import { readResult } from '../../src/result/io.js';
import { repoPath } from '../../src/util/paths.js';
import { cli, tmp, writeText } from './helpers.js';

const dir = tmp();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run plans', () => {
  it('shipped plans validate and expand to cells', () => {
    for (const f of ['nightly.yaml', 'pr.yaml', 'wasm-runtimes.yaml']) expect(expandPlan(loadPlan(repoPath('plans', f))).length).toBeGreaterThan(0);
    const plan: Plan = {
      schema: 'edgebench/plan', schemaVersion: 1, name: 'p', defaults: { samples: 7 },
      matrix: [{ suite: 'cold-start', layers: ['process'], runtimes: ['native', { name: 'wasmedge', label: 'wasmedge-0.14.1', options: { bin: '/opt/x/wasmedge' } }], fixtures: ['noop', 'hello'], extra: { qps: 5 } }],
    };
    const cells = expandPlan(plan);
    expect(cells).toHaveLength(4);
    expect(cells[1]).toMatchObject({ runtime: 'wasmedge', label: 'wasmedge-0.14.1', options: { bin: '/opt/x/wasmedge' }, fixture: 'noop', params: { samples: 7, warmup: 10 }, extra: { qps: 5 } });
    expect(() => expandPlan({ ...plan, matrix: [...plan.matrix, ...plan.matrix] })).toThrow(/appears twice/);
  });

  it('run --plan: one result per cell, a combined report, a line per cell not measured', async () => {
    const planFile = writeText(dir, 'plan.yaml', [
      'schema: edgebench/plan', 'schemaVersion: 1', 'name: t', 'defaults: { samples: 5, warmup: 1 }', 'matrix:',
      '  - suite: cold-start', '    layers: [process]', '    runtimes: [native, { name: wasmedge, label: wasmedge-test, options: { bin: /nonexistent/wasmedge } }]', '    fixtures: [noop]', '',
    ].join('\n'));
    const r = await cli('run', '--plan', planFile, '--out', join(dir, 'out'), '--quiet');
    expect(r.code).toBe(0);
    const [runId] = readdirSync(join(dir, 'out'));
    const runDir = join(dir, 'out', runId as string);
    const native = readResult(join(runDir, 'cold-start__process__native__noop.json'));
    expect(native.status).toBe('ok');
    expect(native.counts?.measured).toBe(5);
    expect(native.parameters['plan']).toBe('t');
    const missing = readResult(join(runDir, 'wasmedge-test', 'cold-start__process__wasmedge__noop.json'));
    expect(missing.status).toBe('not-measured');
    expect(missing.parameters['runtimeLabel']).toBe('wasmedge-test');
    expect(r.stdout).toMatch(/1 cell\(s\) not measured:\n {2}cold-start process\/wasmedge-test noop: not measured: .*wasmedge/);
    expect(readFileSync(join(runDir, 'report.md'), 'utf8')).toMatch(/## edgebench plan t/);
  });

  it('a plan that does not validate, or names an unknown suite: one line, exit 2, nothing run', async () => {
    const bad = writeText(dir, 'bad.yaml', 'schema: edgebench/plan\nschemaVersion: 1\nname: b\nmatrix:\n  - suite: cold-start\n    layers: [moon]\n    runtimes: [native]\n');
    const r = await cli('run', '--plan', bad, '--out', join(dir, 'bad-out'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.yaml: run plan does not match plan\.schema\.json: \/matrix\/0\/layers\/0 must be equal to one of the allowed values/);
    const unknown = writeText(dir, 'unknown.yaml', 'schema: edgebench/plan\nschemaVersion: 1\nname: u\nmatrix:\n  - suite: warp-speed\n    layers: [process]\n    runtimes: [native]\n');
    const r2 = await cli('run', '--plan', unknown, '--out', join(dir, 'bad-out'));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/unknown\.yaml: unknown suite "warp-speed"/);
    expect(existsSync(join(dir, 'bad-out'))).toBe(false);
  });
});

/** @action-validator/core (GPL-3.0, a devDependency used only here) validates against SchemaStore's github-workflow schema it embeds. */
const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as { validateWorkflow(src: string): { errors: Array<{ title: string; path?: string; detail?: string }> } };

describe('ci/ workflows', () => {
  const files = readdirSync(repoPath('ci')).filter((f) => f.endsWith('.yml'));

  it('validate against the GitHub workflow schema (which does reject a broken one)', () => {
    expect(files.sort()).toEqual(['nightly.yml', 'pr.yml']);
    for (const f of files) expect(validateWorkflow(readFileSync(repoPath('ci', f), 'utf8')).errors, f).toEqual([]);
    expect(validateWorkflow('on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n').errors.length).toBeGreaterThan(0);
  });

  it('call only commands edgebench has, with plans that exist; PR job updates one comment', async () => {
    const help = (await cli('--help')).stdout;
    for (const f of files) {
      const wf = parseYaml(readFileSync(repoPath('ci', f), 'utf8')) as { jobs: Record<string, { steps: Array<{ run?: string }> }> };
      const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')).join('\n');
      // A command another part of edgebench may not have yet is called only behind `if $EDGEBENCH X --help`.
      const guarded = new Set([...runs.matchAll(/if \$EDGEBENCH (\w+) --help/g)].map((m) => m[1]));
      for (const m of runs.matchAll(/\$EDGEBENCH (\w+)/g)) if (!guarded.has(m[1])) expect(help, `${f}: edgebench ${m[1]}`).toMatch(new RegExp(`^  ${m[1]} `, 'm'));
      for (const m of runs.matchAll(/--plan (\S+)/g)) expect(() => loadPlan(repoPath(m[1] as string))).not.toThrow();
    }
    const pr = readFileSync(repoPath('ci', 'pr.yml'), 'utf8');
    expect(pr).toContain(`const marker = '${COMMENT_MARKER}'`);
    expect(pr).toMatch(/updateComment[\s\S]*createComment/);
    expect(readFileSync(repoPath('ci', 'nightly.yml'), 'utf8')).toMatch(/runs-on: \[self-hosted, linux, k3s\]/);
  });
});
