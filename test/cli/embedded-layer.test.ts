/**
 * An in-process instantiation is not a process start: node-wasi-inproc is the `embedded` layer, never in a
 * process ratio, and judged on the cold-start claims only as its own row.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeClaims } from '../../src/claims/engine.js';
import { loadClaims, SEED_CLAIMS_PATH } from '../../src/claims/load.js';
import { loadObservations } from '../../src/result/load-observations.js';
import { runCli } from '../helpers/cli.js';

describe('the embedded layer', () => {
  let out: string;
  let stdout: string;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'eb-embedded-'));
    const r = await runCli(['run', 'cold-start', '--layer', 'process,embedded', '--runtime', 'native,node-wasi,node-wasi-inproc', '--fixture', 'noop', '--samples', '8', '--warmup', '1', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    stdout = r.stdout;
  });

  it('runs each runtime at the layer where it exists, and no ratio sets the in-process figure against a process start', () => {
    const files = readdirSync(join(out, readdirSync(out)[0]!)).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(['cold-start__embedded__node-wasi-inproc__noop.json', 'cold-start__process__native__noop.json', 'cold-start__process__node-wasi__noop.json']);
    expect(stdout).toMatch(/^process\/noop: node-wasi \/ native median wall = /m);
    expect(stdout).not.toMatch(/node-wasi-inproc \/ native/);
  });

  it('the cold-start claim has an embedded row of its own; the process row is judged on process starts only', () => {
    const verdicts = judgeClaims(loadClaims(SEED_CLAIMS_PATH()).claims, loadObservations([out])).filter((v) => v.claimId === 'wasm-cold-start-6ms');
    expect(verdicts.filter((v) => v.layer === 'embedded').map((v) => v.subject)).toEqual(['node-wasi-inproc/noop']);
    expect(verdicts.filter((v) => v.layer === 'process').map((v) => v.subject)).toEqual(['node-wasi/noop']);
    // node:wasi in a fresh process is tens of ms here: the process row is refuted whatever the embedded row says.
    expect(verdicts.find((v) => v.layer === 'process')?.verdict).toBe('refuted');
  });

  it('node-wasi-inproc is not a process-layer runtime', async () => {
    const r = await runCli(['run', 'cold-start', '--layer', 'process', '--runtime', 'node-wasi-inproc', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown runtime "node-wasi-inproc" for layer process');
    const none = await runCli(['run', 'cold-start', '--layer', 'process,embedded', '--runtime', 'crun', '--out', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--runtime crun: not a runtime at layer process or embedded');
  });
});
