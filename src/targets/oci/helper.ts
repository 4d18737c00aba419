/** Talking to build/eb-oci: cold-start cycles streamed line by line, and a serve session for density (request → reply lines). */
import { childEnv, env } from '../../env/environment.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ClockInfo } from '../../core/clock.js';
import type { Sample } from '../../core/metric.js';
import { repoPath } from '../../util/paths.js';

/** Path of the built helper, or null. */
export function ociHelperPath(): string | null {
  const p = env.ociHelper() ?? repoPath('build', 'eb-oci');
  return existsSync(p) ? p : null;
}

/** Clock of the helper's phase figures. */
export function helperClock(resNs: number): ClockInfo {
  return { source: 'launcher-monotonic', resolution: resNs, detail: 'eb-oci: clock_gettime(CLOCK_MONOTONIC) around each runtime invocation and wait4() of the container init' };
}

/** The last non-empty line of the runtime's log (what it said when it failed). */
export function lastLogLine(path: string): string {
  try {
    const ls = readFileSync(path, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    const last = ls.at(-1) ?? '';
    // crun/runc log JSON or plain text; keep the message.
    const m = /"msg":"((?:[^"\\]|\\.)*)"/.exec(last);
    return (m?.[1] ?? last).slice(0, 400);
  } catch {
    return '';
  }
}

/** Parses one cycle line into a Sample (null for comments). */
export function parseCycleLine(line: string, logPath: string): Sample | null {
  if (!line || line.startsWith('#')) return null;
  const f = line.trim().split(/\s+/);
  if (f.length < 9) throw new Error(`eb-oci: malformed line "${line}"`);
  const [idx, phase, create, start, run, del, status, code, rss] = f as [string, string, string, string, string, string, string, string, string];
  const ok = status === 'exit' && code === '0';
  const values: Record<string, number> = { create: Number(create), start: Number(start) };
  if (status === 'exit' || status === 'signal' || status === 'deletefail') {
    values['run'] = Number(run);
    values['wall'] = Number(create) + Number(start) + Number(run);
    values['peak_rss'] = Number(rss) * 1024;
  }
  if (status === 'exit') values['delete'] = Number(del);
  const s: Sample = { index: Number(idx), warmup: phase === 'w', ok, values };
  if (!ok) {
    const said = status.endsWith('fail') ? lastLogLine(logPath) : '';
    s.error = status === 'exit' ? `exit code ${code}` : status === 'signal' ? `killed by signal ${code}` : `${status.replace('fail', '')} failed (runtime exit ${code})${said ? `: ${said}` : ''}`;
  }
  return s;
}

/** Header resolution, or null. */
export function parseHeader(line: string): number | null {
  const m = /^# eb-oci \d+ .*res_ns=(\d+)/.exec(line);
  return m ? Number(m[1]) : null;
}

/** Common helper arguments. */
export interface HelperBase {
  runtimePath: string;
  root: string;
  log: string;
  /** Extra environment for the runtime (e.g. LD_LIBRARY_PATH naming the libwasmedge crun loads). */
  env?: Record<string, string>;
}

/** Runs a cycle of create/start/wait/delete; streams samples; resolves with the clock. */
export async function runCycle(h: HelperBase, o: { bundle: string; idPrefix: string; samples: number; warmup: number; onSample: (s: Sample) => void; signal: AbortSignal }): Promise<ClockInfo> {
  const helper = ociHelperPath();
  if (!helper) throw new Error('build/eb-oci not built');
  const child = spawn(helper, ['--runtime', h.runtimePath, '--root', h.root, '--log', h.log, 'cycle', '--bundle', o.bundle, '--id-prefix', o.idPrefix, '--runs', String(o.samples), '--warmup', String(o.warmup)], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(h.env) });
  const stop = (): void => void child.kill('SIGTERM');
  o.signal.addEventListener('abort', stop, { once: true });
  process.once('exit', stop);
  let clock = helperClock(1);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const r = parseHeader(line);
      if (r !== null) clock = helperClock(r);
      const s = parseCycleLine(line, h.log);
      if (s) o.onSample(s);
    }
    const code = await exited;
    if (code !== 0 && !o.signal.aborted) throw new Error(`eb-oci exited ${code}: ${stderr.trim()}`);
    return clock;
  } finally {
    o.signal.removeEventListener('abort', stop);
    process.off('exit', stop);
  }
}

/** A serve session: start containers on request; quit removes them all. */
export class ServeSession {
  private readonly child: ChildProcess;
  private readonly queue: string[] = [];
  private waiter: ((l: string | null) => void) | null = null;
  private closed = false;
  readonly exitedEarly: string[] = [];
  private readonly onExit = (): void => void this.child.kill('SIGTERM');
  clock: ClockInfo = helperClock(1);

  constructor(private readonly h: HelperBase) {
    const helper = ociHelperPath();
    if (!helper) throw new Error('build/eb-oci not built');
    this.child = spawn(helper, ['--runtime', h.runtimePath, '--root', h.root, '--log', h.log, 'serve'], { stdio: ['pipe', 'pipe', 'inherit'], env: childEnv(h.env) });
    process.once('exit', this.onExit);
    const rl = createInterface({ input: this.child.stdout! });
    rl.on('line', (l) => {
      const r = parseHeader(l);
      if (r !== null) this.clock = helperClock(r);
      if (l.startsWith('#')) return;
      if (l.startsWith('exited ')) {
        this.exitedEarly.push(l);
        return;
      }
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(l);
      } else this.queue.push(l);
    });
    rl.on('close', () => {
      this.closed = true;
      this.waiter?.(null);
      this.waiter = null;
    });
  }

  private next(): Promise<string | null> {
    const q = this.queue.shift();
    if (q !== undefined) return Promise.resolve(q);
    if (this.closed) return Promise.resolve(null);
    return new Promise((res) => (this.waiter = res));
  }

  /** Creates and starts one container from `bundle`. */
  async start(id: string, bundle: string): Promise<{ ok: boolean; pid?: number; createNs?: number; startNs?: number; error?: string }> {
    this.child.stdin!.write(`start ${id} ${bundle}\n`);
    const l = await this.next();
    if (l === null) return { ok: false, error: 'eb-oci exited' };
    const f = l.split(' ');
    if (f[0] === 'started') return { ok: true, pid: Number(f[2]), createNs: Number(f[3]), startNs: Number(f[4]) };
    const said = lastLogLine(this.h.log);
    return { ok: false, error: `${f[2] ?? ''} failed (runtime exit ${f[3] ?? '?'})${said ? `: ${said}` : ''}` };
  }

  /** Kills and deletes every container the session started; resolves when the helper has exited. */
  async quit(): Promise<void> {
    if (!this.closed) this.child.stdin!.end('quit\n');
    await new Promise<void>((res) => (this.child.exitCode !== null || this.child.signalCode !== null ? res() : this.child.once('close', () => res())));
    process.off('exit', this.onExit);
  }
}
