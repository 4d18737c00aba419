/**
 * Runs interrupted twice, 20–60 ms apart (what `timeout`, CI cancellation and an impatient user send): every run
 * must still leave its result file. Half the runs signal the harness alone, half its whole process group (as a
 * terminal's Ctrl-C does: eb-launch and the sample get the signal too).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResult } from '../../src/result/io.js';
import { readRawSamples } from '../../src/result/raw-samples.js';
import { CLI } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'eb-2sig-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  dir: string;
  gapMs: number;
  group: boolean;
}

/** One run of 10 ms sleeps, interrupted by two SIGINTs `gapMs` apart once a sample is on disk. */
async function doubleInterrupt(i: number, gapMs: number, group: boolean): Promise<Outcome> {
  const out = join(root, `run-${i}`);
  const child = spawn(process.execPath, [CLI, 'run', 'cold-start', '--runtime', 'native', '--fixture', 'sleep', '--arg', '10', '--samples', '2000', '--warmup', '0', '--out', out, '--quiet'], {
    stdio: 'ignore',
    detached: group,
  });
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('exit', (code, sig) => res([code, sig])));
  const send = (): void => {
    try {
      if (group) process.kill(-(child.pid as number), 'SIGINT');
      else child.kill('SIGINT');
    } catch {
      /* already gone */
    }
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 10));
    const runDir = existsSync(out) ? readdirSync(out)[0] : undefined;
    const raw = runDir ? join(out, runDir, 'cold-start__process__native__sleep.samples.ndjson') : '';
    if (raw && existsSync(raw) && readFileSync(raw, 'utf8').split('\n').length > 2) break;
    if (Date.now() > deadline) throw new Error(`run ${i}: no sample on disk after 30 s`);
  }
  send();
  await new Promise((r) => setTimeout(r, gapMs));
  send();
  const [code, signal] = await exited;
  return { code, signal, dir: join(out, readdirSync(out)[0] as string), gapMs, group };
}

describe('two SIGINTs 20–60 ms apart', () => {
  it('20 runs: each exits 130 and leaves an invalid result for the interrupted cell, matching its raw samples', async () => {
    const outcomes: Outcome[] = [];
    for (let batch = 0; batch < 5; batch++) {
      outcomes.push(...(await Promise.all([0, 1, 2, 3].map((k) => {
        const i = batch * 4 + k;
        return doubleInterrupt(i, 20 + ((i * 7) % 41), i % 2 === 1);
      }))));
    }
    expect(outcomes).toHaveLength(20);
    expect(outcomes.filter((o) => o.group)).toHaveLength(10);
    const lost = outcomes.filter((o) => !existsSync(join(o.dir, 'cold-start__process__native__sleep.json')));
    expect(lost.map((o) => `gap ${o.gapMs} ms${o.group ? ' (process group)' : ''}: exit ${o.code ?? o.signal}`)).toEqual([]);
    for (const o of outcomes) {
      expect(o.code).toBe(130);
      const result = readResult(join(o.dir, 'cold-start__process__native__sleep.json'));
      const raw = readRawSamples(join(o.dir, 'cold-start__process__native__sleep.samples.ndjson'));
      expect(result.status).toBe('invalid');
      expect(result.reason).toMatch(/^interrupted after \d+ of 2000 attempts \(raw samples kept\)$/);
      expect(Number(/after (\d+) of/.exec(result.reason ?? '')?.[1])).toBe(raw.samples.length);
      expect(raw.samples.length).toBeGreaterThanOrEqual(1);
      expect(raw.samples.length).toBeLessThan(2000);
      expect(result.counts?.total).toBe(raw.samples.length);
      expect(result.parameters['runCells']).toBe('1');
    }
  }, 180_000);
});

describe('the second signal hurries', () => {
  it('a sample that ignores SIGTERM keeps the run going after the first SIGINT; the second kills it, and the result is written', async () => {
    const out = join(root, 'hurry');
    const script = 'trap "" TERM INT; while :; do :; done';
    const child = spawn(process.execPath, [CLI, 'run', 'cold-start', '--runtime', 'native', '--fixture', '/bin/sh', '--arg=-c', `--arg=${script}`, '--samples', '3', '--warmup', '0', '--out', out, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    // Its own process group: whatever happens, nothing of it outlives the test.
    const reap = (): void => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        /* gone */
      }
    };
    try {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      let exit: number | null | undefined;
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res((exit = code))));
      const raw = (): string => (existsSync(out) && readdirSync(out)[0] ? join(out, readdirSync(out)[0] as string, 'cold-start__process__native__sh.samples.ndjson') : '');
      for (let i = 0; i < 500 && !(raw() && existsSync(raw())); i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 700));
      expect(exit).toBeUndefined(); // the sample ignores the forwarded SIGTERM: still running
      const t0 = Date.now();
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(stderr).toContain('SIGINT again: killing the running sample; writing the partial result');
      const dir = join(out, readdirSync(out)[0] as string);
      const result = readResult(join(dir, 'cold-start__process__native__sh.json'));
      expect(result.status).toBe('invalid');
      expect(result.reason).toBe('interrupted after 0 of 3 attempts (raw samples kept)');
      await new Promise((r) => setTimeout(r, 300));
      const busy = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(script);
        } catch {
          return false;
        }
      });
      expect(busy).toEqual([]);
    } finally {
      reap();
    }
  }, 30_000);
});

describe('signals before anything is measured', () => {
  it('while a preflight check hangs (a cluster that never answers), the second signal exits 130 at once and leaves no run folder', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', () => res()));
    const port = (silent.address() as AddressInfo).port;
    const kc = join(root, 'silent-kubeconfig');
    writeFileSync(kc, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user: { token: abc }\ncontexts:\n- name: x\n  context: { cluster: c, user: u }\ncurrent-context: x\n`);
    const out = join(root, 'preflight');
    const child = spawn(process.execPath, [CLI, 'run', 'cold-start', '--layer', 'kube', '--kubeconfig', kc, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exit: number | null | undefined;
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res((exit = code))));
    try {
      for (let i = 0; i < 500 && !(existsSync(out) && readdirSync(out).length); i++) await new Promise((r) => setTimeout(r, 20));
      expect(readdirSync(out)).toHaveLength(1); // the run folder, made before the preflight
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 500));
      expect(exit).toBeUndefined(); // the first signal waits for the check
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('SIGINT again: nothing measured yet; exiting');
      expect(existsSync(out)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      silent.close();
    }
  }, 30_000);
});
