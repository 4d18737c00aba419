import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readResult, writeResult } from '../../src/result/io.js';
import type { Result } from '../../src/result/types.js';
import { resultProblems } from '../../src/result/validate.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let resultPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eb-result-'));
  const r = await runCli(['run', 'cold-start', '--runtime', 'native', '--fixture', 'noop', '--samples', '30', '--warmup', '3', '--out', dir, '--quiet']);
  expect(r.code).toBe(0);
  const m = /result\(s\) in (\S+)\n/.exec(r.stdout);
  expect(m).not.toBeNull();
  resultPath = join(m?.[1] ?? '', 'cold-start__process__native__noop.json');
});

describe('result files', () => {
  it('are written schema-valid with environment, workload, metrics and raw samples', () => {
    const r = readResult(resultPath);
    expect(r.status).toBe('ok');
    expect(r.layer).toBe('process');
    expect(r.environment.host.cores).toBeGreaterThan(0);
    expect(r.workload?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const wall = r.metrics.find((m) => m.name === 'wall');
    expect(wall?.summary.count).toBe(30);
    expect(wall?.clock.source).toBe('launcher-monotonic');
    expect(wall?.ci.p50.low).toBeLessThanOrEqual(wall?.summary.p50 ?? 0);
    expect(r.counts).toMatchObject({ total: 33, warmup: 3, measured: 30, failed: 0 });
    const raw = readFileSync(join(dir, r.runId, r.rawSamples?.path ?? ''), 'utf8').trim().split('\n');
    expect(raw.length).toBe(1 + 33 + 1); // header, samples, trailer
  });

  it('are refused on write when invalid', () => {
    const r = readResult(resultPath);
    const broken = { ...r, layer: 'moon' } as unknown as Result;
    expect(() => writeResult(join(dir, 'x.json'), broken)).toThrow(/layer/);
  });

  it('name the file and the problem when truncated, of unknown version, or not matching the schema', () => {
    const text = readFileSync(resultPath, 'utf8');
    const trunc = join(dir, 'trunc.json');
    writeFileSync(trunc, text.slice(0, text.length / 2));
    expect(() => readResult(trunc)).toThrow(new RegExp(`^${trunc}: not a result file: invalid JSON.*truncated`));
    const v9 = join(dir, 'v9.json');
    writeFileSync(v9, JSON.stringify({ ...JSON.parse(text), schemaVersion: 9 }));
    expect(() => readResult(v9)).toThrow(`${v9}: result schema version 9 is not supported (this edgebench reads versions 1, 2)`);
    const nosuite = join(dir, 'nosuite.json');
    const obj = JSON.parse(text) as Record<string, unknown>;
    delete obj['suite'];
    writeFileSync(nosuite, JSON.stringify(obj));
    expect(() => readResult(nosuite)).toThrow(/must have required property 'suite'/);
    expect(() => readResult(join(dir, 'absent.json'))).toThrow(/no such result file/);
  });

  it('require a reason and no metrics when not measured or invalid', () => {
    const r = readResult(resultPath);
    expect(resultProblems({ ...r, status: 'not-measured' })).toMatch(/reason/);
    expect(resultProblems({ ...r, status: 'invalid', reason: 'x' })).toMatch(/metrics/);
  });
});
