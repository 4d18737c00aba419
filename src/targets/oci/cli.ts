/** Timing one CLI invocation (ctr, docker) on the client's monotonic clock. */
import { childEnv } from '../../env/environment.js';
import { spawn } from 'node:child_process';
import { deltaNs, nowNs, nsToNumber, type ClockInfo } from '../../core/clock.js';
import type { MetricSpec } from '../../core/metric.js';

/** What one invocation did. */
export interface Timed {
  ns: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `cmd args` with stdin closed, timing spawn → exit. */
export function timed(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((resolve) => {
    const t0 = nowNs();
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? childEnv() });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('error', (e) => resolve({ ns: nsToNumber(deltaNs(t0, nowNs())), code: null, stdout, stderr: e.message }));
    c.on('close', (code) => resolve({ ns: nsToNumber(deltaNs(t0, nowNs())), code, stdout, stderr }));
  });
}

/** Last non-empty line of a CLI's stderr. */
export function said(t: Timed): string {
  return t.stderr.split('\n').map((l) => l.trim()).filter(Boolean).at(-1)?.slice(0, 400) ?? '';
}

/** What each phase of a CLI-driven create → start → rm cycle covers, in that CLI's words. */
export interface CycleDescriptions {
  wall: string;
  create: string;
  start: string;
  delete: string;
}

/** Metrics of one CLI-driven container cycle, all timed on `clock` around the CLI invocations. */
export function cliCycleMetrics(clock: ClockInfo, d: CycleDescriptions): MetricSpec[] {
  return (['wall', 'create', 'start', 'delete'] as const).map((name) => ({ name, unit: 'ns' as const, better: 'lower' as const, clock, description: d[name] }));
}
