/**
 * Results record their target's options and whether anything was simulated (schema 2); schema-1 results
 * still load, upgraded; claims never judge a simulated result; hook commands never reach a result in clear.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { CLIENT_MONOTONIC } from '../../src/core/clock.js';
import type { Sample } from '../../src/core/metric.js';
import { judgeClaim } from '../../src/claims/engine.js';
import type { Claim } from '../../src/claims/types.js';
import { comparePair, differences } from '../../src/compare/compare.js';
import { parseResult, readResult } from '../../src/result/io.js';
import { displayRuntime } from '../../src/result/label.js';
import type { Observation } from '../../src/result/observation.js';
import type { Result } from '../../src/result/types.js';
import { V1_KUBE_UNKNOWN } from '../../src/result/upgrade.js';
import { resultProblems } from '../../src/result/validate.js';
import { runCell } from '../../src/run/cell.js';
import { redactCommand, redactOptions } from '../../src/run/redact.js';
import { getSuite } from '../../src/run/suite.js';
import '../../suites/index.js';
import '../../src/targets/index.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'eb-target-setup-'));

/** A valid ok kube cold-start result with `wall` values (ns). */
function coldStart(runId: string, wall: number[], simulated: boolean | null): Observation {
  const samples: Sample[] = wall.map((v, i) => ({ index: i, warmup: false, ok: true, values: { wall: v } }));
  const a = analyze([{ name: 'wall', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'pod start' }], samples, { bootstrap: { seed: 1, resamples: 200 } });
  const result: Result = {
    schema: 'edgebench/result', schemaVersion: 2, runId, startedAt: '2026-12-01T00:00:00.000Z', endedAt: '2026-12-01T00:00:01.000Z',
    harness: { name: 'edgebench', version: '0', gitCommit: null },
    environment: { host: { cpuModel: 'cpu', cores: 2, kernel: 'k', memoryBytes: 1, os: 'linux', arch: 'x64', nodeVersion: 'v20', hostname: 'h' }, tools: [] },
    suite: 'cold-start', layer: 'kube', runtime: 'wasmedge',
    target: simulated === false ? { options: {}, simulated } : { options: { 'sim-node': 'true' }, simulated, simulation: simulated ? 'pods ran on a simulated node' : 'unknown' },
    workload: { name: 'noop', kind: 'wasm', path: '/x', sha256: '0'.repeat(64), sizeBytes: 1, args: [] },
    parameters: {}, status: 'ok', counts: a.counts, metrics: a.metrics, verdicts: [], rawSamples: null,
  };
  expect(resultProblems(result)).toBeNull();
  return { result, values: { wall }, source: 'raw-samples' };
}

const COLD_6MS: Claim = {
  id: 'wasm-cold-start-6ms', text: 'Wasm cold start ≤ 6 ms', layers: ['kube'], comparator: '<=',
  threshold: { value: 6, unit: 'ms' }, metric: { name: 'wall', statistic: 'p50' },
} as Claim;

describe('simulated results', () => {
  const fast = Array.from({ length: 20 }, (_, i) => 1_000_000 + i * 1000); // ~1 ms: would confirm ≤ 6 ms

  it('a simulated kube result is never a verdict on a real-node claim; a real one is', () => {
    const [sim] = judgeClaim(COLD_6MS, [coldStart('s', fast, true)]);
    expect(sim).toMatchObject({ verdict: 'not-measured', subject: 'wasmedge [simulated]/noop' });
    expect(sim?.why).toContain('not a real-node result: simulated (pods ran on a simulated node)');
    const [unknown] = judgeClaim(COLD_6MS, [coldStart('u', fast, null)]);
    expect(unknown).toMatchObject({ verdict: 'not-measured', subject: 'wasmedge [simulated?]/noop' });
    const [real] = judgeClaim(COLD_6MS, [coldStart('r', fast, false)]);
    expect(real).toMatchObject({ verdict: 'confirmed', subject: 'wasmedge/noop' });
  });

  it('compare names simulated runs as such and refuses to set one against a real run unless forced', () => {
    const sim = coldStart('s', fast, true);
    const real = coldStart('r', fast, false);
    expect(displayRuntime(sim.result)).toBe('wasmedge [simulated]');
    expect(differences(real.result, sim.result)).toContain('simulated vs real (wasmedge [real] vs wasmedge [simulated])');
    const refused = comparePair(real, sim);
    expect(refused.metrics).toEqual([]);
    expect(refused.label).toContain('wasmedge [simulated]');
    expect(comparePair(real, sim, { force: true }).metrics.length).toBe(1);
  });
});

describe('schema 1 results are read, upgraded', () => {
  /** A schema-1 result: a schema-2 one less target and metric directions. */
  function v1(layer: Result['layer'], notes?: string[]): string {
    const r = coldStart('old', [1, 2, 3, 4, 5].map((v) => v * 1e6), false).result as unknown as Record<string, unknown>;
    const { target: _t, ...rest } = r;
    const metrics = (r['metrics'] as Array<Record<string, unknown>>).map(({ better: _b, ...m }) => m);
    return JSON.stringify({ ...rest, schemaVersion: 1, layer, metrics, ...(notes ? { notes } : {}) });
  }

  it('process results were never simulated; kube ones are unknown unless their notes say so', () => {
    const p = parseResult(v1('process'), 'p.json');
    expect(p.schemaVersion).toBe(2);
    expect(p.target).toEqual({ options: {}, simulated: false });
    expect(p.metrics[0]?.better).toBe('lower');
    expect(parseResult(v1('kube'), 'k.json').target).toEqual({ options: {}, simulated: null, simulation: V1_KUBE_UNKNOWN });
    const noted = parseResult(v1('kube', ['pods ran on simulated node eb-sim-1 (start delay 0 ms): control plane and harness only, no runtime']), 'k.json');
    expect(noted.target.simulated).toBe(true);
    expect(noted.target.simulation).toContain('simulated node eb-sim-1');
  });

  it('a schema-1 node-wasi-inproc result (filed under process then) is read as the embedded layer', () => {
    const r = JSON.parse(v1('process')) as Record<string, unknown>;
    expect(parseResult(JSON.stringify({ ...r, runtime: 'node-wasi-inproc' }), 'i.json').layer).toBe('embedded');
    expect(parseResult(JSON.stringify(r), 'n.json').layer).toBe('process');
  });

  it('a schema-1 result that does not match version 1 is refused naming the version; an unknown version too', () => {
    const bad = JSON.parse(v1('process')) as Record<string, unknown>;
    delete bad['counts'];
    expect(() => parseResult(JSON.stringify(bad), 'x.json')).toThrow("x.json: result does not match schema version 1: / must have required property 'counts'");
    expect(() => parseResult(JSON.stringify({ ...bad, schemaVersion: 9 }), 'x.json')).toThrow('x.json: result schema version 9 is not supported (this edgebench reads versions 1, 2)');
  });
});

describe('cells record target options and never a hook command in clear', () => {
  it('a kube cell on the simulated node is marked simulated even when nothing could be measured, with its options', async () => {
    const suite = getSuite('cold-start')!;
    const out = tmp();
    const { result, path } = await runCell({
      suite, layer: 'kube', runtime: 'runc', workload: 'noop', args: [], runId: 'sim-mark', outDir: out, signal: new AbortController().signal,
      // No kube option is named like a secret (undeclared keys are refused): redaction is the redactOptions test below.
      targetOptions: { 'sim-node': 'true', kubeconfig: join(out, 'absent-kubeconfig') },
      params: { samples: 2, warmup: 0, maxFailureRatio: 0.1, seed: 1, extra: {} },
    });
    expect(result.target.simulated).toBe(true);
    expect(result.target.simulation).toMatch(/simulated node .*no kubelet, no container runtime/);
    expect(result.target.options).toEqual({ 'sim-node': 'true', kubeconfig: join(out, 'absent-kubeconfig') });
    const onDisk = readResult(path);
    expect(onDisk.target).toEqual(result.target);
  });

  it('offline hook commands are stored as a hash', async () => {
    const suite = getSuite('offline')!;
    const out = tmp();
    const cut = 'curl -H "Authorization: Bearer tok-123456" https://edge/cut';
    const { result, path } = await runCell({
      suite, layer: 'kube', runtime: 'runc', workload: 'http', args: [], runId: 'redact', outDir: out, signal: new AbortController().signal,
      targetOptions: { kubeconfig: join(out, 'absent-kubeconfig') },
      params: { samples: 1, warmup: 0, maxFailureRatio: 0.1, seed: 1, extra: { 'partition-cmd': cut, 'heal-cmd': 'true', 'partition-ms': 5000 } },
    });
    expect(result.parameters['partition-cmd']).toBe(redactCommand(cut));
    expect(result.parameters['partition-cmd']).toMatch(/^\[command redacted; sha256 [0-9a-f]{16}\]$/);
    expect(result.parameters['partition-ms']).toBe(5000);
    expect(readFileSync(path, 'utf8')).not.toContain('tok-123456');
  });

  it('redacts secret-named options only', () => {
    expect(redactOptions({ token: 'a', 'db-password': 'b', bin: '/usr/bin/crun' })).toEqual({ token: '[redacted]', 'db-password': '[redacted]', bin: '/usr/bin/crun' });
    expect(redactCommand('x')).not.toBe(redactCommand('y'));
  });
});
