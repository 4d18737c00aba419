/** Claims: the seed file, the verdict engine's four verdicts, the CLI's table and exit codes. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeClaim, judgeClaims, tally, verdictOf } from '../../src/claims/engine.js';
import { claimsFrom, loadClaims, SEED_CLAIMS_PATH } from '../../src/claims/load.js';
import { loadProfiles, SEED_PROFILES_PATH } from '../../src/claims/load-profiles.js';
import { assessProfiles } from '../../src/claims/profiles.js';
import type { Claim } from '../../src/claims/types.js';
import { loadObservations, observationOf } from '../../src/result/load-observations.js';
import type { Observation } from '../../src/result/observation.js';
import type { Result } from '../../src/result/types.js';
import { UserError } from '../../src/util/errors.js';
import { cli, realCell, tmp, writeDerivedResult, writeText } from './helpers.js';

let dir: string;
let native: Result;
let nativePath: string;
let missing: Result;
/** Where the absent wasmedge is looked for: a path under the test's own folder that nothing creates. */
const absentWasmedge = (): string => join(dir, 'absent', 'wasmedge');

beforeAll(async () => {
  dir = tmp();
  const n = await realCell('native', 'noop', 40, join(dir, 'real'));
  native = n.result;
  nativePath = n.path;
  // A runtime that is absent: wasmedge pointed at a binary that does not exist (the `bin` target option wins
  // over PATH), so the cell really runs and really records not-measured with its reason on every machine,
  // including those where wasmedge is installed.
  missing = (await realCell('wasmedge', 'noop', 5, join(dir, 'real'), 'test-run', { bin: absentWasmedge() })).result;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An observation at `layer` for `runtime` whose wall values are `ms` milliseconds. */
function obs(sub: string, runtime: string, ms: number[], layer: Result['layer'] = 'process', kind: 'wasm' | 'native' = 'wasm'): Observation {
  const p = writeDerivedResult(join(dir, sub), `${runtime}-${layer}`, native, { wall: ms.map((x) => x * 1e6) }, {
    runtime, layer, workload: native.workload ? { ...native.workload, kind } : null,
  });
  return loadObservations([p])[0] as Observation;
}

const claim = (over: Partial<Claim> = {}): Claim => ({
  id: 'c', text: 'cold start <= 6 ms', metric: { suite: 'cold-start', name: 'wall', statistic: 'p50' }, comparator: '<=', threshold: { value: 6, unit: 'ms' }, layers: ['process', 'kube'], ...over,
});

describe('seed claims', () => {
  it('validate and hold every claim of the seed', () => {
    const f = loadClaims(SEED_CLAIMS_PATH());
    expect(f.claims.map((c) => c.id)).toEqual([
      'wasm-cold-start-6ms', 'wasm-cold-start-10ms', 'pods-per-node-3000', 'k3s-memory-250mb', 'wasm-instance-2mb', 'wasm-100x-faster-than-containers',
      'scale-out-1ms', 'cpu-0-to-1-no-spike', 'scratch-image-1mb', 'zero-downtime-rolling-update', 'offline-autonomy', 'mec-latency-10ms',
    ]);
    for (const c of f.claims) expect(c.layers.length).toBeGreaterThan(0);
  });
});

describe('verdict engine', () => {
  it('interval rules', () => {
    expect(verdictOf(1, 2, '<=', 6)).toBe('confirmed');
    expect(verdictOf(7, 9, '<=', 6)).toBe('refuted');
    expect(verdictOf(5, 7, '<=', 6)).toBe('inconclusive');
    expect(verdictOf(3001, 3001, '>=', 3000)).toBe('confirmed');
    expect(verdictOf(6, 6, '<', 6)).toBe('refuted');
  });

  it('confirms, refutes, and calls a CI straddling the threshold inconclusive', () => {
    const fast = obs('fast', 'fast-wasm', Array.from({ length: 50 }, (_, i) => 2 + (i % 10) * 0.1));
    const slow = obs('slow', 'slow-wasm', Array.from({ length: 50 }, (_, i) => 70 + (i % 10)));
    // Half the values at 5 ms, half at 7 ms: the median's CI spans 6 ms.
    const edge = obs('edge', 'edge-wasm', Array.from({ length: 40 }, (_, i) => (i % 2 ? 5 : 7)));
    const v = judgeClaim(claim(), [fast, slow, edge]);
    const by = (s: string): string | undefined => v.find((x) => x.subject.startsWith(s))?.verdict;
    expect(by('fast-wasm')).toBe('confirmed');
    expect(by('slow-wasm')).toBe('refuted');
    expect(by('edge-wasm')).toBe('inconclusive');
    const f = v.find((x) => x.subject.startsWith('fast-wasm'));
    expect(f?.estimate).toBeCloseTo(2.4, 1);
    expect(f?.ci?.low).toBeLessThanOrEqual(f?.estimate ?? 0);
    expect(f?.why).toMatch(/raw-samples/);
  });

  it('says why a claim was not measured: no result at a layer, runtime absent, metric absent, unit mismatch', () => {
    const fast = obs('fast2', 'fast-wasm', [1, 2, 3, 2, 1, 2, 3, 2]);
    const absent = observationOf(missing, 'x.json');
    const v = judgeClaim(claim(), [fast, absent]);
    expect(v.find((x) => x.layer === 'kube')).toMatchObject({ verdict: 'not-measured', why: 'no cold-start result at layer kube' });
    expect(missing).toMatchObject({ status: 'not-measured', runtime: 'wasmedge', metrics: [], counts: null, rawSamples: null });
    const reasonStart = `${absentWasmedge()} not found on PATH; to measure it: install WasmEdge`;
    expect(missing.reason?.slice(0, reasonStart.length)).toBe(reasonStart);
    expect(v.find((x) => x.subject === 'wasmedge')).toMatchObject({ verdict: 'not-measured', why: `runtime wasmedge not measured: ${missing.reason}`, runIds: ['test-run'] });
    const noMetric = judgeClaim(claim({ metric: { suite: 'cold-start', name: 'peak_rss_missing', statistic: 'p50' } }), [fast]);
    expect(noMetric[0]?.why).toMatch(/has no metric "peak_rss_missing"/);
    const wrongUnit = judgeClaim(claim({ threshold: { value: 2, unit: 'MB' } }), [fast]);
    expect(wrongUnit[0]).toMatchObject({ verdict: 'not-measured' });
    expect(wrongUnit[0]?.why).toMatch(/in ns, the threshold in MB/);
  });

  it('judges ratio claims with the ratio CI, pairing by layer and fixture', () => {
    const container = obs('r1', 'runc', Array.from({ length: 30 }, (_, i) => 50 + (i % 5)), 'oci', 'native');
    const wasm = obs('r2', 'crun-wasmedge', Array.from({ length: 30 }, (_, i) => 0.4 + (i % 5) * 0.01), 'oci', 'wasm');
    const c = claim({ comparator: '>=', threshold: { value: 100, unit: 'x' }, layers: ['oci'], ratio: { numerator: { kinds: ['native'] }, denominator: { kinds: ['wasm'] } } });
    const [v] = judgeClaim(c, [container, wasm]);
    expect(v?.verdict).toBe('confirmed');
    expect(v?.estimate).toBeGreaterThan(100);
    expect(v?.subject).toBe('runc/noop ÷ crun-wasmedge/noop');
    const c2 = { ...c, threshold: { value: 200, unit: 'x' as const } };
    expect(judgeClaim(c2, [container, wasm])[0]?.verdict).toBe('refuted');
  });

  it('every seed claim not measured on process-layer-only results says why', () => {
    const fast = obs('fast3', 'node-wasi', [70, 71, 72, 73, 74, 75]);
    const v = judgeClaims(loadClaims(SEED_CLAIMS_PATH()).claims, [fast, observationOf(missing, 'x.json')]);
    const nm = v.filter((x) => x.verdict === 'not-measured');
    expect(nm.length).toBeGreaterThan(10);
    for (const x of nm) expect(x.why.length).toBeGreaterThan(10);
    expect(tally(v).refuted).toBeGreaterThan(0);
  });
});

describe('scenario profiles', () => {
  it('a stack qualifies only when every requirement is confirmed; margins are headroom', () => {
    const profiles = loadProfiles(SEED_PROFILES_PATH()).profiles;
    expect(profiles.map((p) => p.id)).toEqual(['5g-mec', 'industrial-iot', 'online-game', 'light-function', 'faas']);
    const fast = obs('pf', 'fast-wasm', [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    const slow = obs('ps', 'slow-wasm', [70, 70, 71, 72, 70, 70, 71, 72]);
    const a = assessProfiles(profiles, [fast, slow]);
    const light = (rt: string) => a.find((x) => x.profileId === 'light-function' && x.runtime === rt);
    expect(light('fast-wasm')?.status).toBe('undetermined'); // density and autoscaling are not measured here
    expect(light('fast-wasm')?.requirements[0]).toMatchObject({ verdict: 'confirmed', margin: 5 });
    expect(light('fast-wasm')?.requirements[1]?.why).toMatch(/no density result at layer process/);
    expect(light('slow-wasm')?.status).toBe('does not qualify');
    const only = [{ ...profiles[3]!, requirements: profiles[3]!.requirements.slice(0, 1) }];
    expect(assessProfiles(only, [fast])[0]).toMatchObject({ status: 'qualifies', margin: 5 });
  });
});

describe('edgebench claims CLI', () => {
  it('prints the table and exits 1 when a claim is refuted, 0 with --fail-on never; md, json and junit formats', async () => {
    const slowDir = join(dir, 'cli');
    writeDerivedResult(slowDir, 'slow', native, { wall: [70e6, 71e6, 72e6, 73e6, 74e6] }, { runtime: 'node-wasi', workload: native.workload ? { ...native.workload, kind: 'wasm' } : null });
    const r = await cli('claims', slowDir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/wasm-cold-start-6ms\s+process\s+node-wasi\/noop\s+<= 6.00 ms\s+refuted/);
    expect(r.stdout).toMatch(/no cold-start result at layer kube/);
    expect((await cli('claims', slowDir, '--fail-on', 'never')).code).toBe(0);
    const md = await cli('claims', slowDir, '--format', 'md');
    expect(md.stdout).toMatch(/\| wasm-cold-start-6ms \| process \| node-wasi\/noop \| <= 6.00 ms \| ❌ refuted \|/);
    const js = JSON.parse((await cli('claims', slowDir, '--format', 'json')).stdout) as { tally: Record<string, number> };
    expect(js.tally['refuted']).toBeGreaterThan(0);
    const ju = (await cli('claims', slowDir, '--format', 'junit')).stdout;
    expect(ju).toMatch(/<failure message="refuted: p50 7\d\.\d ms/);
    expect((ju.match(/<testcase /g) ?? []).length).toBe(js.tally['refuted']! + js.tally['confirmed']! + js.tally['inconclusive']! + js.tally['not-measured']!);
  });

  it('a claims file that does not validate: one line naming the file, exit 2', async () => {
    const bad = writeText(dir, 'bad-claims.yaml', 'schema: edgebench/claims\nschemaVersion: 1\nclaims:\n  - id: x\n    text: t\n    metric: { name: wall, statistic: p42 }\n    comparator: "<"\n    threshold: { value: 1, unit: ms }\n    layers: [process]\n');
    const r = await cli('claims', nativePath, '--claims', bad);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad-claims\.yaml: claims file does not match claims\.schema\.json: \/claims\/0\/metric\/statistic must be equal to one of the allowed values/);
    const v2 = writeText(dir, 'v2-claims.yaml', 'schema: edgebench/claims\nschemaVersion: 2\nclaims: []\n');
    const r2 = await cli('claims', nativePath, '--claims', v2);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/v2-claims\.yaml: claims file schema version 2 is not supported/);
    const notYaml = writeText(dir, 'broken.yaml', 'schema: [unclosed\n');
    expect((await cli('claims', nativePath, '--claims', notYaml)).stderr).toMatch(/broken\.yaml: not valid YAML/);
    expect(() => claimsFrom({ schema: 'edgebench/claims', schemaVersion: 1, claims: [claim(), claim()] }, 'mem')).toThrow(UserError);
  });
});
