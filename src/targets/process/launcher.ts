/**
 * Repeated process starts timed by build/eb-launch (fork/exec/wait4 around CLOCK_MONOTONIC, C),
 * with a Node-spawn fallback that says it is one. Lines are streamed, so each sample is recorded
 * the moment the child exits. A failed start carries its cause: exit code or signal, and the last
 * lines of its stderr; with a timeout, a start still running after it is killed and fails
 * "timed out after …". An interrupt stops the starts (SIGTERM, forwarded to the running child);
 * a second one kills them (SIGKILL).
 */
import { childEnv, env } from '../../env/environment.js';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CLIENT_MONOTONIC, deltaNs, nowNs, nsToNumber, type ClockInfo } from '../../core/clock.js';
import type { MetricSpec, Sample } from '../../core/metric.js';
import { hurrySignal } from '../../util/interrupt.js';
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
  /** Per-start limit in ms: a start still running is killed (with its process group) and counted failed. */
  timeoutMs?: number;
}

/** Bytes of a failed start's stderr kept for its error (the last lines of it are shown). */
export const STDERR_TAIL_BYTES = 4096;

/** The last lines of a failed start's stderr, on one line: at most `maxLines` lines and `maxChars` characters (the end kept). */
export function stderrSummary(bytes: Buffer | string, maxLines = 3, maxChars = 300): string {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  const lines = text
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .split(/\r?\n/)
    .map((l) => l.replace(/[\x00-\x1f\x7f]/g, ' ').trim())
    .filter(Boolean)
    .slice(-maxLines);
  const joined = lines.join(' | ');
  return joined.length > maxChars ? `…${joined.slice(joined.length - maxChars + 1)}` : joined;
}

/** Adds the stderr summary to a failed sample's error. */
function withStderr(s: Sample, stderr: Buffer | string | undefined): Sample {
  if (s.ok || !stderr) return s;
  const tail = stderrSummary(stderr);
  if (tail) s.error = `${s.error ?? 'failed'}; stderr: ${tail}`;
  return s;
}

/** Path of the compiled launcher, or null when it was not built. */
export function launcherPath(): string | null {
  const p = env.launcher() ?? repoPath('build', 'eb-launch');
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
  if (!ok) {
    sample.error =
      status === 'exit' ? `exit code ${code}` : status === 'signal' ? `killed by signal ${code}` : status === 'timeout' ? `timed out after ${code} ms (killed)` : `exec failed (errno ${code})`;
  }
  return sample;
}

/** Parses a "# stderr INDEX HEX" line of eb-launch (a failed start's stderr tail), or null for any other line. */
export function parseStderrLine(line: string): { index: number; stderr: Buffer } | null {
  const m = /^# stderr (\d+) ([0-9a-f]*)$/.exec(line);
  return m ? { index: Number(m[1]), stderr: Buffer.from(m[2] as string, 'hex') } : null;
}

/** Parses the launcher's header line for its clock resolution. */
export function parseLauncherHeader(line: string): number | null {
  const m = /^# eb-launch \d+ .*res_ns=(\d+)/.exec(line);
  return m ? Number(m[1]) : null;
}

/** Runs the launcher and streams samples; resolves with the wall clock description. */
export async function launchWithLauncher(launcher: string, spec: LaunchSpec): Promise<ClockInfo> {
  let clock = launcherClock(1);
  if (spec.signal.aborted) return clock;
  const args = ['--runs', String(spec.samples), '--warmup', String(spec.warmup), '--stderr-tail', String(STDERR_TAIL_BYTES)];
  if (spec.timeoutMs) args.push('--timeout-ms', String(Math.ceil(spec.timeoutMs)));
  if (spec.cwd) args.push('--cwd', spec.cwd);
  const child = spawn(launcher, [...args, '--', ...spec.argv], { stdio: ['ignore', 'pipe', 'pipe'], env: spec.env ?? childEnv() });
  // First interrupt: eb-launch forwards SIGTERM to the running child, reaps it and stops. Second: SIGKILL (the child
  // dies with it through PR_SET_PDEATHSIG).
  const stop = (): void => void child.kill('SIGTERM');
  const kill = (): void => void child.kill('SIGKILL');
  const hurry = hurrySignal();
  spec.signal.addEventListener('abort', stop, { once: true });
  hurry.addEventListener('abort', kill, { once: true });
  if (hurry.aborted) kill();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (code, sig) => res([code, sig])));
  const tails = new Map<number, Buffer>();
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const res = parseLauncherHeader(line);
      if (res !== null) clock = launcherClock(res);
      const tail = parseStderrLine(line);
      if (tail) tails.set(tail.index, tail.stderr);
      const s = parseLauncherLine(line, spec.expectExit);
      if (s) {
        spec.onSample(withStderr(s, tails.get(s.index)));
        tails.delete(s.index);
      }
    }
    const [code, sig] = await exited;
    // An interrupt sent to the whole process group reaches eb-launch and the harness at once; the child's exit can
    // be seen before the harness's own handler has run. Give that handler a moment before calling it a failure.
    if (code !== 0 && (sig === 'SIGINT' || sig === 'SIGTERM') && !spec.signal.aborted) await abortedWithin(spec.signal, 200);
    if (code !== 0 && !spec.signal.aborted) throw new Error(`eb-launch exited ${code ?? `on ${sig}`}: ${stderr.trim()}`);
    return clock;
  } finally {
    spec.signal.removeEventListener('abort', stop);
    hurry.removeEventListener('abort', kill);
  }
}

/** Fallback: times each start with Node's spawn (adds about a millisecond; the clock says so). */
export async function launchWithNode(spec: LaunchSpec): Promise<ClockInfo> {
  const total = spec.warmup + spec.samples;
  const hurry = hurrySignal();
  for (let i = 0; i < total && !spec.signal.aborted; i++) {
    const [cmd, ...rest] = spec.argv as [string, ...string[]];
    const t0 = nowNs();
    let t1: bigint | null = null;
    let stderr = Buffer.alloc(0);
    let timedOut = false;
    const result = await new Promise<{ code: number | null; sig: NodeJS.Signals | null; err?: Error }>((res) => {
      // With a timeout the child leads its own process group, killed whole when the time is up.
      const c = spawn(cmd, rest, { stdio: ['ignore', 'ignore', 'pipe'], cwd: spec.cwd, env: spec.env ?? childEnv(), detached: !!spec.timeoutMs });
      const killAll = (sig: NodeJS.Signals): void => {
        try {
          if (spec.timeoutMs && c.pid) process.kill(-c.pid, sig);
          else c.kill(sig);
        } catch {
          c.kill(sig);
        }
      };
      c.stderr.on('data', (d: Buffer) => (stderr = Buffer.concat([stderr, d]).subarray(-STDERR_TAIL_BYTES)));
      const timer = spec.timeoutMs ? setTimeout(() => ((timedOut = true), killAll('SIGKILL')), spec.timeoutMs) : null;
      const stop = (): void => killAll('SIGTERM');
      const kill = (): void => killAll('SIGKILL');
      spec.signal.addEventListener('abort', stop, { once: true });
      hurry.addEventListener('abort', kill, { once: true });
      const done = (r: { code: number | null; sig: NodeJS.Signals | null; err?: Error }): void => {
        if (timer) clearTimeout(timer);
        spec.signal.removeEventListener('abort', stop);
        hurry.removeEventListener('abort', kill);
        res(r);
      };
      c.on('error', (err) => done({ code: null, sig: null, err }));
      // Timed to the exit; the result waits for stderr to drain (at most 200 ms: a grandchild may hold it open).
      c.on('exit', (code, sig) => {
        t1 = nowNs();
        const drained = setTimeout(() => done({ code, sig }), 200);
        c.on('close', () => (clearTimeout(drained), done({ code, sig })));
      });
    });
    const wall = nsToNumber(deltaNs(t0, t1 ?? nowNs()));
    if (spec.signal.aborted && !timedOut) break; // stopped by the interrupt: not a sample
    const ok = !result.err && !timedOut && result.code === (spec.expectExit ?? 0);
    const s: Sample = { index: i, warmup: i < spec.warmup, ok, values: { wall } };
    if (!ok) {
      s.error = result.err
        ? `exec failed (${result.err.message})`
        : timedOut
          ? `timed out after ${spec.timeoutMs} ms (killed)`
          : result.sig
            ? `killed by ${result.sig}`
            : `exit code ${result.code}`;
    }
    spec.onSample(withStderr(s, stderr));
  }
  return { ...CLIENT_MONOTONIC, detail: 'Node child_process spawn→exit (eb-launch not built: includes ~1 ms of Node overhead)' };
}

/** Resolves when `signal` aborts or after `ms`, whichever comes first. */
function abortedWithin(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((res) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      res();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Runs repeated starts with the best available timer. */
export async function launchRepeated(spec: LaunchSpec): Promise<ClockInfo> {
  const l = launcherPath();
  return l ? launchWithLauncher(l, spec) : launchWithNode(spec);
}
