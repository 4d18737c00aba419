/**
 * The host's CPU pressure over a span of time: Linux PSI (`/proc/pressure/cpu`, "some" line: the share of wall time in
 * which at least one runnable task waited for a CPU) where the kernel has it, the 1-minute load average per core
 * otherwise. Two runs taken under different pressure are not comparable as they stand; compare reads this.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { nowNs } from '../core/clock.js';
import { HostReadError, readOrNull, type ReadText } from './procfs.js';

/** A point reading: the PSI "some" stall total (µs) when present, the 1-minute load average, and when. */
export interface PressureReading {
  atNs: bigint;
  /** Cumulative µs some task stalled on CPU (PSI); null without PSI. */
  someTotalUs: bigint | null;
  loadavg1: number;
}

/** CPU pressure over a span, as recorded in a result. */
export interface HostLoad {
  /** `psi-cpu-some` when the kernel has PSI, else `loadavg`. */
  source: 'psi-cpu-some' | 'loadavg';
  /** Share of the span (0..1) in which some task waited for a CPU (PSI); null without PSI. */
  cpuSomeRatio: number | null;
  /** Mean of the 1-minute load average at the spans' ends, per core; null without /proc/loadavg. */
  loadavgPerCore: number | null;
  /** Wall time the figures cover, ns (sum of the measured spans). */
  spanNs: number;
  cores: number;
}

/** Parses the "some … total=N" line of a PSI file. */
export function parsePsiSomeTotal(text: string, path: string): bigint {
  const m = /^some .*\btotal=(\d+)/m.exec(text);
  if (!m) throw new HostReadError(path, undefined, 'no "some … total=" line');
  return BigInt(m[1] as string);
}

/** Reads PSI and the load average now (`proc` is the procfs root, for tests). */
export function readPressure(proc = '/proc', read: ReadText = (p) => readFileSync(p, 'utf8')): PressureReading {
  const psiPath = join(proc, 'pressure', 'cpu');
  // No PSI file (kernel without CONFIG_PSI) is absence; EOPNOTSUPP is what a kernel with psi=0 answers.
  let psi: string | null;
  try {
    psi = readOrNull(psiPath, read);
  } catch (e) {
    if (e instanceof HostReadError && e.code === 'EOPNOTSUPP') psi = null;
    else throw e;
  }
  const loadPath = join(proc, 'loadavg');
  const load = readOrNull(loadPath, read);
  const loadavg1 = load === null ? NaN : Number(load.split(/\s+/)[0]);
  if (load !== null && !Number.isFinite(loadavg1)) throw new HostReadError(loadPath, undefined, `not a load average: ${JSON.stringify(load.slice(0, 40))}`);
  return { atNs: nowNs(), someTotalUs: psi === null ? null : parsePsiSomeTotal(psi, psiPath), loadavg1 };
}

/** Accumulates pressure over several spans (e.g. one cell's rounds, with other cells' rounds between them). */
export class PressureMeter {
  private stallUs = 0n;
  private spanNs = 0n;
  private psi = true;
  private loads: number[] = [];
  private open: PressureReading | null = null;

  constructor(private readonly read: () => PressureReading = () => readPressure(), private readonly cores = cpus().length) {}

  /** Starts a span. */
  start(): void {
    this.open = this.read();
  }

  /** Ends the span begun by start(). */
  stop(): void {
    if (!this.open) return;
    const end = this.read();
    this.spanNs += end.atNs - this.open.atNs;
    if (this.open.someTotalUs === null || end.someTotalUs === null) this.psi = false;
    else this.stallUs += end.someTotalUs - this.open.someTotalUs;
    this.loads.push(this.open.loadavg1, end.loadavg1);
    this.open = null;
  }

  /** The pressure over all spans so far, or null when no span was measured. */
  result(): HostLoad | null {
    if (this.spanNs === 0n) return null;
    const finite = this.loads.filter(Number.isFinite);
    const mean = finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
    const ratio = this.psi ? Math.min(1, Number(this.stallUs * 1000n) / Number(this.spanNs)) : null;
    return {
      source: this.psi ? 'psi-cpu-some' : 'loadavg',
      cpuSomeRatio: ratio === null ? null : Math.round(ratio * 1e4) / 1e4,
      loadavgPerCore: Number.isFinite(mean) ? Math.round((mean / this.cores) * 1e3) / 1e3 : null,
      spanNs: Number(this.spanNs),
      cores: this.cores,
    };
  }
}
