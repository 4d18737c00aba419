/** Declared target options: unknown keys refused with the list, values checked, variables and defaults filled; environment read in one place. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../src/result/types.js';
import { KEBAB, readOption, resolveOptions, type OptionSpec } from '../../src/targets/options.js';
import { optionsOf, runtimesOf } from '../../src/targets/registry.js';
import { targetOptionGroups } from '../../src/targets/options-help.js';
import { criSocketPath } from '../../src/targets/cri/socket.js';
import { layersWith } from '../../src/targets/layers.js';
import { repoPath } from '../../src/util/paths.js';
import { UserError } from '../../src/util/errors.js';
import '../../src/targets/index.js';
import { runCli } from '../helpers/cli.js';

const SPECS: OptionSpec[] = [
  { key: 'count', type: 'int', min: 1, max: 10, default: '3', help: 'a count' },
  { key: 'socket', type: 'path', env: 'EDGEBENCH_CRI_SOCKET', help: 'a socket' },
  { key: 'mode', type: 'string', choices: ['a', 'b'], help: 'a mode' },
  { key: 'on', type: 'bool', help: 'a switch', aliases: ['isOn'] },
  { key: 'wait', type: 'duration', max: 60_000, help: 'a wait' },
];

describe('target option declarations', () => {
  it('refuses an unknown key naming the valid ones', () => {
    expect(() => resolveOptions(SPECS, { nope: '1' }, 'process/x', {})).toThrow(UserError);
    expect(() => resolveOptions(SPECS, { nope: '1' }, 'process/x', {})).toThrow(
      '--opt nope: not an option of process/x (options: count, socket, mode, on, wait)',
    );
  });

  it('refuses a bad int, range, choice, bool and duration, naming key, value and what is expected', () => {
    expect(() => resolveOptions(SPECS, { count: 'x' }, 't', {})).toThrow('--opt count=x: expected a whole number in 1..10');
    expect(() => resolveOptions(SPECS, { count: '11' }, 't', {})).toThrow('--opt count=11: expected a whole number in 1..10');
    expect(() => resolveOptions(SPECS, { count: '2.5' }, 't', {})).toThrow(/count=2\.5/);
    expect(() => resolveOptions(SPECS, { mode: 'c' }, 't', {})).toThrow('--opt mode=c: expected one of a, b');
    expect(() => resolveOptions(SPECS, { on: 'maybe' }, 't', {})).toThrow('--opt on=maybe: expected true or false');
    expect(() => resolveOptions(SPECS, { wait: '2m' }, 't', {})).toThrow(/--opt wait=2m/);
    expect(() => resolveOptions(SPECS, { socket: '' }, 't', {})).toThrow('--opt socket=: expected a path');
  });

  it('fills defaults and variables, normalises values and maps aliases', () => {
    expect(resolveOptions(SPECS, {}, 't', {})).toEqual({ count: '3' });
    expect(resolveOptions(SPECS, {}, 't', { EDGEBENCH_CRI_SOCKET: '/e.sock' })).toEqual({ count: '3', socket: '/e.sock' });
    expect(resolveOptions(SPECS, { socket: '/o.sock' }, 't', { EDGEBENCH_CRI_SOCKET: '/e.sock' })['socket']).toBe('/o.sock');
    expect(resolveOptions(SPECS, { isOn: '1', wait: '10s', count: '07' }, 't', {})).toEqual({ count: '7', on: 'true', wait: '10000' });
  });

  it('a variable that is bad is refused naming the variable', () => {
    const spec: OptionSpec = { key: 'network', type: 'string', choices: ['host', 'cni'], env: 'EDGEBENCH_CRI_NETWORK', help: 'n' };
    expect(() => readOption(spec, {}, { EDGEBENCH_CRI_NETWORK: 'bridge' })).toThrow(
      'EDGEBENCH_CRI_NETWORK (for --opt network)=bridge: expected one of host, cni',
    );
  });

  it('the cri socket falls back to $EDGEBENCH_CRI_SOCKET through its declaration', () => {
    expect(criSocketPath({}, { EDGEBENCH_CRI_SOCKET: 'unix:///from-env.sock' })).toBe('/from-env.sock');
  });

  it('every registered target declares kebab-case keys with help text, and help run lists them', () => {
    let n = 0;
    for (const layer of LAYERS) {
      for (const rt of runtimesOf(layer)) {
        for (const s of optionsOf(layer, rt) ?? []) {
          n++;
          expect(s.help.trim().length, `${layer}/${rt} ${s.key}`).toBeGreaterThan(5);
          if (!s.internal) expect(s.key, `${layer}/${rt}`).toMatch(KEBAB);
        }
      }
    }
    expect(n).toBeGreaterThan(40);
    const listed = targetOptionGroups()
      .flatMap((g) => g.lines)
      .join('\n');
    for (const key of [
      'bin=PATH',
      'aot-compiles=N(1..100)',
      'density-min-free-tasks=',
      'sim-node=true|false',
      'image-pull-policy=Never|IfNotPresent',
      'socket=PATH',
    ])
      expect(listed).toContain(key);
  });

  it('the oci and cri layers clean up by label, the kube layer by cluster', () => {
    expect(
      layersWith('cleanup')
        .map((l) => l.layer)
        .sort(),
    ).toEqual(['cri', 'oci']);
    expect(layersWith('clusterCleanup').map((l) => l.layer)).toEqual(['kube']);
    expect(layersWith('doctorRows').map((l) => l.layer)).toEqual(['process']);
  });
});

describe('target options through the CLI', () => {
  it('an unknown --opt is exit 2 naming the valid keys', async () => {
    const r = await runCli(['run', 'cold-start', '--runtime', 'native', '--opt', 'nope=1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('edgebench: --opt nope: not an option of process/native (options: kubeconfig, context)');
    const w = await runCli(['run', 'cold-start', '--runtime', 'wasmedge-aot', '--opt', 'aot-compile=2']);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--opt aot-compile: not an option of process\/wasmedge-aot \(options: kubeconfig, context, bin, aot-compiles\)/);
  });

  it('a bad int is exit 2 naming the key, the value and the range', async () => {
    const r = await runCli(['run', 'cold-start', '--layer', 'kube', '--runtime', 'runc', '--opt', 'pod-timeout-ms=soon']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('edgebench: --opt pod-timeout-ms=soon: expected a whole number in 1..86400000');
  });

  it('the old camelCase density key is refused, naming its kebab-case spelling', async () => {
    const r = await runCli(['run', 'cold-start', '--layer', 'cri', '--runtime', 'runc', '--opt', 'densityMinFreeTasks=10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('density-min-free-tasks');
  });

  it("a plan's runtime options go through the same check: exit 2 before anything runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-opt-plan-'));
    const plan = join(dir, 'plan.yaml');
    writeFileSync(
      plan,
      [
        'schema: edgebench/plan',
        'schemaVersion: 1',
        'name: t',
        'matrix:',
        '  - suite: cold-start',
        '    layers: [process]',
        '    runtimes: [{ name: wasmedge, options: { binary: /opt/wasmedge } }]',
        '    fixtures: [noop]',
        '',
      ].join('\n'),
    );
    const r = await runCli(['run', '--plan', plan, '--out', join(dir, 'out'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--opt binary: not an option of process\/wasmedge \(options: kubeconfig, context, bin\)/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('doctor --options and help run print the declarations', async () => {
    const d = await runCli(['doctor', '--options']);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/kube\/default, runc.*:\n(.*\n)*\s+sim-start-delay-ms=N\(0\.\.3600000\)/);
    const h = await runCli(['help', 'run']);
    expect(h.stdout).toContain('density-min-free-tasks=N(0..10000000)');
    expect(h.stdout).not.toContain('{TARGET_OPTIONS}');
  });
});

/** Source files under a folder, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('environment variables are read in one place', () => {
  it('no file in src/ or suites/ but src/env/environment.ts touches process.env', () => {
    const offenders = [...sources(repoPath('src')), ...sources(repoPath('suites'))]
      .filter((p) => !p.endsWith(join('src', 'env', 'environment.ts')))
      .filter((p) => /process\s*\.\s*env\b|process\s*\[\s*['"]env['"]\s*\]/.test(readFileSync(p, 'utf8')))
      .map((p) => relative(repoPath(), p));
    expect(offenders, 'read variables through src/env/environment.ts (env.*, readVar, childEnv)').toEqual([]);
  });
});
