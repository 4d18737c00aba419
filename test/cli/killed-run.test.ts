import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResult } from '../../src/result/io.js';
import { readRawSamples } from '../../src/result/raw-samples.js';
import { repoPath } from '../../src/util/paths.js';
import { CLI } from '../helpers/cli.js';
import { livingProcesses } from '../helpers/procs.js';

const SLEEP = repoPath('wasm-fixtures', 'native', 'x86_64', 'sleep');


/** Starts a long run (20 ms sleeps), waits until `n` samples are on disk, sends `signal`. */
async function runUntil(signal: NodeJS.Signals, n: number): Promise<{ out: string; raw: string; code: number | null }> {
  const out = mkdtempSync(join(tmpdir(), 'eb-kill-'));
  const child = spawn(process.execPath, [CLI, 'run', 'cold-start', '--runtime', 'native', '--fixture', 'sleep', '--arg', '20', '--samples', '2000', '--warmup', '0', '--out', out, '--quiet'], { stdio: 'ignore' });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const deadline = Date.now() + 20_000;
  let raw = '';
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const runDir = readdirSync(out)[0];
    raw = runDir ? join(out, runDir, 'cold-start__process__native__sleep.samples.ndjson') : '';
    if (raw && existsSync(raw) && readFileSync(raw, 'utf8').split('\n').length > n + 1) break;
  }
  child.kill(signal);
  return { out, raw, code: await exited };
}

describe('a run stopped midway', () => {
  it('killed with SIGKILL leaves a readable raw-samples file', async () => {
    const { raw, code } = await runUntil('SIGKILL', 10);
    expect(code).toBeNull();
    const f = readRawSamples(raw);
    expect(f.header.runtime).toBe('native');
    expect(f.samples.length).toBeGreaterThanOrEqual(10);
    expect(f.samples.length).toBeLessThan(2000);
    expect(f.trailer).toBeNull();
    expect(f.tornLines).toBeLessThanOrEqual(1);
    // The launcher dies with the harness (PR_SET_PDEATHSIG) and takes its child with it.
    await new Promise((r) => setTimeout(r, 300));
    expect(livingProcesses().filter((c) => c.startsWith(SLEEP))).toEqual([]);
    f.samples.forEach((s, i) => {
      expect(s.index).toBe(i);
      expect(s.values['wall']).toBeGreaterThanOrEqual(20e6);
    });
  });

  it('interrupted with SIGINT writes an invalid result saying so, keeps the raw samples, exits 130', async () => {
    const { raw, code } = await runUntil('SIGINT', 5);
    expect(code).toBe(130);
    const result = readResult(raw.replace(/\.samples\.ndjson$/, '.json'));
    expect(result.status).toBe('invalid');
    expect(result.reason).toMatch(/^interrupted after \d+ of 2000 attempts \(raw samples kept\)$/);
    expect(readRawSamples(raw).samples.length).toBeGreaterThanOrEqual(5);
    // eb-launch forwards the signal to its child and reaps it: no sleeping fixture is left behind.
    await new Promise((r) => setTimeout(r, 200));
    const ps = livingProcesses();
    expect(ps.filter((c) => c.startsWith(SLEEP))).toEqual([]);
  });
});
