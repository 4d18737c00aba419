/** A plan naming a runtime build that is not in the cache measures the rest and says "not measured" for that cell; `run --runtime` refuses it (exit 2). */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const PLAN = `schema: edgebench/plan
schemaVersion: 1
name: missing-build
matrix:
  - suite: cold-start
    layers: [process]
    runtimes: [native, wasmedge@9.9.9]
    fixtures: [noop]
    params: { samples: 4, warmup: 1 }
`;

describe('a runtime build absent from the cache', () => {
  it('in a plan: that cell is not measured, naming the builds present and how to build; the others are measured', async () => {
    const d = mkdtempSync(join(tmpdir(), 'eb-missing-build-'));
    writeFileSync(join(d, 'plan.yaml'), PLAN);
    const r = await runCli(['run', '--plan', join(d, 'plan.yaml'), '--out', join(d, 'out'), '--quiet'], { env: { EDGEBENCH_RUNTIME_CACHE: d } });
    expect(r.code, r.stderr).toBe(0);
    const run = join(d, 'out', readdirSync(join(d, 'out'))[0] as string);
    const read = (f: string): { status: string; reason?: string } => JSON.parse(readFileSync(join(run, f), 'utf8')) as { status: string; reason?: string };
    expect(read('cold-start__process__native__noop.json').status).toBe('ok');
    const missing = read('cold-start__process__wasmedge_9.9.9__noop.json');
    expect(missing.status).toBe('not-measured');
    expect(missing.reason).toBe(
      `no wasmedge 9.9.9 (interpreter or llvm) build for wasmedge in ${d}; builds present: none (build them: bash scripts/build-runtimes.sh build; cache ${d}); to measure it: bash scripts/build-runtimes.sh build`,
    );
  });

  it('on the command line: bad input, exit 2, before anything runs', async () => {
    const d = mkdtempSync(join(tmpdir(), 'eb-missing-build-'));
    const r = await runCli(['run', 'cold-start', '--runtime', 'wasmedge@9.9.9', '--out', join(d, 'out')], { env: { EDGEBENCH_RUNTIME_CACHE: d } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^edgebench: no wasmedge 9\.9\.9 \(interpreter or llvm\) build for wasmedge in /);
  });
});
