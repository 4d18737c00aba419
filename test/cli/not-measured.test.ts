import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResult } from '../../src/result/io.js';
import { runCli } from '../helpers/cli.js';

describe('an absent runtime', () => {
  it('yields "not measured" with the reason — no number, no crash — beside a measured one', async () => {
    const out = mkdtempSync(join(tmpdir(), 'eb-nm-'));
    const r = await runCli(['run', 'cold-start', '--runtime', 'wasmtime,native', '--fixture', 'noop', '--samples', '5', '--warmup', '0', '--out', out, '--quiet'], {
      env: { EDGEBENCH_WASMTIME_BIN: '/nonexistent/wasmtime' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/not-measured: \/nonexistent\/wasmtime not found on PATH; to measure it: install Wasmtime/);
    const [runDir] = readdirSync(out);
    const absent = readResult(join(out, runDir ?? '', 'cold-start__process__wasmtime__noop.json'));
    expect(absent.status).toBe('not-measured');
    expect(absent.reason).toMatch(/not found on PATH/);
    expect(absent.metrics).toEqual([]);
    expect(absent.counts).toBeNull();
    expect(absent.rawSamples).toBeNull();
    const present = readResult(join(out, runDir ?? '', 'cold-start__process__native__noop.json'));
    expect(present.status).toBe('ok');
  });

  it('is also "not measured" when a Wasm module is given to the native runtime', async () => {
    const out = mkdtempSync(join(tmpdir(), 'eb-nm-'));
    const wasm = join(process.cwd(), 'wasm-fixtures', 'wasm', 'noop.wasm');
    const r = await runCli(['run', 'cold-start', '--runtime', 'native', '--fixture', wasm, '--samples', '3', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/not-measured: runtime native runs native workloads; .*noop\.wasm is wasm/);
  });
});
