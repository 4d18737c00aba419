/** history: appending a partial run warns, naming what is missing; a trend filter that matches nothing is exit 2. */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'eb-hist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let whole: string;
beforeAll(async () => {
  const r = await runCli(['run', 'cold-start', '--runtime', 'native,node-wasi', '--fixture', 'noop', '--samples', '6', '--warmup', '1', '--out', join(root, 'whole'), '--quiet']);
  expect(r.code).toBe(0);
  whole = join(root, 'whole', readdirSync(join(root, 'whole'))[0] as string);
}, 60_000);

/** A copy of the whole run under `name`. */
function copyOf(name: string): string {
  const d = join(root, name, 'run');
  cpSync(whole, d, { recursive: true });
  return d;
}

describe('history append', () => {
  it('a whole run: no warning', async () => {
    const r = await runCli(['history', 'append', whole, '--history', join(root, 'h-whole')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^appended 1 run\(s\) to .*: \S+$/);
  });

  it('a run missing one of its cells (result and raw samples gone): appended, with a warning counting the cells', async () => {
    const d = copyOf('one-gone');
    for (const ext of ['.json', '.samples.ndjson']) unlinkSync(join(d, `cold-start__process__node-wasi__noop${ext}`));
    const r = await runCli(['history', 'append', d, '--history', join(root, 'h-one')]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toMatch(/^history append: warning: run \S+ is partial: 1 of the 2 cells it set out to measure have a result$/);
    expect(r.stdout).toMatch(/\(1 partial, see the warnings\)/);
  });

  it('a cell killed before its result was written (raw samples, no result): named', async () => {
    const d = copyOf('killed');
    unlinkSync(join(d, 'cold-start__process__node-wasi__noop.json'));
    const r = await runCli(['history', 'append', d, '--history', join(root, 'h-killed')]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toMatch(/is partial: 1 of the 2 cells it set out to measure have a result; raw samples without a result \(a cell killed before its result was written\): cold-start__process__node-wasi__noop\.samples\.ndjson$/);
  });

  it('an interrupted run: the interrupted cell and its reason', async () => {
    const out = join(root, 'interrupted');
    const child = spawn(process.execPath, [CLI, 'run', 'cold-start', '--runtime', 'native', '--fixture', 'sleep', '--arg', '20', '--samples', '500', '--warmup', '0', '--out', out, '--quiet'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const run = existsSync(out) ? readdirSync(out)[0] : undefined;
      const raw = run ? join(out, run, 'cold-start__process__native__sleep.samples.ndjson') : '';
      if (raw && existsSync(raw) && readFileSync(raw, 'utf8').split('\n').length > 3) break;
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const r = await runCli(['history', 'append', out, '--history', join(root, 'h-int')]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toMatch(/^history append: warning: run \S+ is partial: interrupted: cold-start process\/native\/sleep \(interrupted after \d+ of 500 attempts \(raw samples kept\)\)$/);
  });
});

describe('history trend --filter', () => {
  it('matching nothing is exit 2, listing the series; matching something works as before', async () => {
    const h = join(root, 'h-trend');
    expect((await runCli(['history', 'append', whole, '--history', h])).code).toBe(0);
    const none = await runCli(['history', 'trend', '--history', h, '--filter', 'wal ']);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe(
      'edgebench: history trend: --filter "wal " matches no series (series: cold-start process/native/noop wall; cold-start process/native/noop peak_rss; cold-start process/native/noop user_cpu; cold-start process/native/noop sys_cpu; cold-start process/node-wasi/noop wall; cold-start process/node-wasi/noop peak_rss; cold-start process/node-wasi/noop user_cpu; cold-start process/node-wasi/noop sys_cpu)',
    );
    const some = await runCli(['history', 'trend', '--history', h, '--filter', 'native/noop wall']);
    expect(some.code).toBe(0);
    expect(some.stdout).toMatch(/cold-start process\/native\/noop wall\s+1\s/);
    expect(some.stdout).not.toContain('node-wasi');
  });
});
