/**
 * Repeated process starts timed by build/eb-launch (fork/exec/wait4 around CLOCK_MONOTONIC, C),
 * with a Node-spawn fallback that says it is one. Lines are streamed, so each sample is recorded
 * the moment the child exits.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CLIENT_MONOTONIC, deltaNs, nowNs, nsToNumber, type ClockInfo } from '../../core/clock.js';
import type { MetricSpec, Sample } from '../../core/metric.js';
import { repoPath } from '../../util/paths.js';

/** What to start and how many times. */
export interface LaunchSpec {
  argv: readonly string[];
  samples: number;
  warmup: number;
  onSample: (s: Sample) => void;
  signal: AbortSignal;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Exit code that counts as success (default 0). */
  expectExit?: number;
}

/** Path of the compiled launcher, or null when it was not built. */
export function launcherPath(): string | null {
  const p = process.env['EDGEBENCH_LAUNCHER'] ?? repoPath('build', 'eb-launch');
  return existsSync(p) ? p : null;
}

/** Clock of the launcher's wall figures. */
export function launcherClock(resolutionNs: number): ClockInfo {
  return { source: 'launcher-monotonic', resolution: resolutionNs, detail: 'eb-launch: clock_gettime(CLOCK_MONOTONIC) before fork() to after wait4()' };
}

const RUSAGE: ClockInfo = { source: 'kernel-rusage', resolution: 1024, detail: 'wait4() rusage.ru_maxrss of the child (KiB granularity)' };
const CPU: ClockInfo = { source: 'kernel-rusage', resolution: 1000, detail: 'wait4() rusage ru_utime/ru_stime (µs granularity)' };

/** Metrics a process start reports, given the wall clock used. */
export function processMetrics(wallClock: ClockInfo): MetricSpec[] {
  return [
    { name: 'wall', unit: 'ns', better: 'lower', clock: wallClock, description: 'spawn to exit of the process' },
    { name: 'peak_rss', unit: 'bytes', better: 'lower', clock: RUSAGE, description: 'peak resident set size of the process (ru_maxrss; floor ≈ 0.7 MB: Linux counts the vfork parent image before exec)' },
    { name: 'user_cpu', unit: 'ns', better: 'lower', clock: CPU, description: 'user CPU time of the process' },
    { name: 'sys_cpu', unit: 'ns', better: 'lower', clock: CPU, description: 'system CPU time of the process' },
  ];
}

/** Parses one eb-launch sample line into a Sample. Returns null for comment lines. */
export function parseLauncherLine(line: string, expectExit = 0): Sample | null {
  if (!line || line.startsWith('#')) return null;
  const f = line.trim().split(/\s+/);
  if (f.length < 8) throw new Error(`eb-launch: malformed line "${line}"`);
  const [index, phase, wall, maxrss, status, code, ut, st] = f as [string, string, string, string, string, string, string, string];
  const ok = status === 'exit' && Number(code) === expectExit;
  const sample: Sample = {
    index: Number(index),
    warmup: phase === 'w',
    ok,
    values: { wall: Number(wall), peak_rss: Number(maxrss) * 1024, user_cpu: Number(ut) * 1000, sys_cpu: Number(st) * 1000 },
  };
  if (!ok) sample.error = status === 'exit' ? `exit code ${code}` : status === 'signal' ? `killed by signal ${code}` : `exec failed (errno ${code})`;
  return sample;
}

/** Parses the launcher's header line for its clock resolution. */
export function parseLauncherHeader(line: string): number | null {
  const m = /^# eb-launch \d+ .*res_ns=(\d+)/.exec(line);
  return m ? Number(m[1]) : null;
}

/** Runs the launcher and streams samples; resolves with the wall clock description. */
export async function launchWithLauncher(launcher: string, spec: LaunchSpec): Promise<ClockInfo> {
  const args = ['--runs', String(spec.samples), '--warmup', String(spec.warmup)];
  if (spec.cwd) args.push('--cwd', spec.cwd);
  const child = spawn(launcher, [...args, '--', ...spec.argv], { stdio: ['ignore', 'pipe', 'pipe'], env: spec.env ?? process.env });
  const stop = (): void => void child.kill('SIGTERM');
  spec.signal.addEventListener('abort', stop, { once: true });
  let clock = launcherClock(1);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const res = parseLauncherHeader(line);
      if (res !== null) clock = launcherClock(res);
      const s = parseLauncherLine(line, spec.expectExit);
      if (s) spec.onSample(s);
    }
    const code = await exited;
    if (code !== 0 && !spec.signal.aborted) throw new Error(`eb-launch exited ${code}: ${stderr.trim()}`);
    return clock;
  } finally {
    spec.signal.removeEventListener('abort', stop);
  }
}

/** Fallback: times each start with Node's spawn (adds about a millisecond; the clock says so). */
export async function launchWithNode(spec: LaunchSpec): Promise<ClockInfo> {
  const total = spec.warmup + spec.samples;
  for (let i = 0; i < total && !spec.signal.aborted; i++) {
    const [cmd, ...rest] = spec.argv as [string, ...string[]];
    const t0 = nowNs();
    const result = await new Promise<{ code: number | null; sig: NodeJS.Signals | null; err?: Error }>((res) => {
      const c = spawn(cmd, rest, { stdio: 'ignore', cwd: spec.cwd, env: spec.env ?? process.env });
      c.on('error', (err) => res({ code: null, sig: null, err }));
      c.on('exit', (code, sig) => res({ code, sig }));
    });
    const wall = nsToNumber(deltaNs(t0, nowNs()));
    const ok = !result.err && result.code === (spec.expectExit ?? 0);
    const s: Sample = { index: i, warmup: i < spec.warmup, ok, values: { wall } };
    if (!ok) s.error = result.err ? `exec failed (${result.err.message})` : result.sig ? `killed by ${result.sig}` : `exit code ${result.code}`;
    spec.onSample(s);
  }
  return { ...CLIENT_MONOTONIC, detail: 'Node child_process spawn→exit (eb-launch not built: includes ~1 ms of Node overhead)' };
}

/** Runs repeated starts with the best available timer. */
export async function launchRepeated(spec: LaunchSpec): Promise<ClockInfo> {
  const l = launcherPath();
  return l ? launchWithLauncher(l, spec) : launchWithNode(spec);
}
