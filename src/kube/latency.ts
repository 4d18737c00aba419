/**
 * Pod startup latency per phase, in the manner of clusterloader2, without faking resolution: a phase is
 * computed only between two timestamps of the same clock domain whose resolution supports the figure
 * (core/clock.ts resolutionSupports); otherwise it is "resolution-limited" with the bounds the timestamps allow.
 * No I/O.
 */
import { CLIENT_MONOTONIC, resolutionSupports, type ClockInfo, type ClockSource } from '../core/clock.js';
import type { MetricSpec } from '../core/metric.js';

/** Clock domains: client monotonic ns, or cluster wall clocks (API server, scheduler, kubelet: one host here). */
export type Domain = 'client' | 'cluster-wall';

/** One instant in a pod's life, in its clock domain's nanoseconds. */
export interface Instant {
  domain: Domain;
  source: ClockSource;
  /** ns in the domain (client: hrtime; cluster-wall: ns since the Unix epoch, truncated to the resolution). */
  ns: bigint;
  resolutionNs: number;
  detail: string;
}

/** Names of the instants a pod timeline can hold. */
export type InstantName =
  | 'createSent' | 'createAcked'
  | 'created' | 'scheduled' | 'sandboxReady' | 'containersStarted' | 'ready'
  | 'watchScheduled' | 'watchStarted' | 'watchReady';

export type PodTimeline = Partial<Record<InstantName, Instant>>;

/** A phase between two instants. */
export interface PhaseDef {
  name: string;
  from: InstantName;
  to: InstantName;
  description: string;
}

/** The phases reported per pod. Client-clock phases first; cluster-clock phases after. */
export const PHASES: readonly PhaseDef[] = [
  { name: 'create', from: 'createSent', to: 'createAcked', description: 'pod create request sent → response received (client)' },
  { name: 'watch_scheduled', from: 'createSent', to: 'watchScheduled', description: 'create sent → watch shows the pod bound to a node (client)' },
  { name: 'wall', from: 'createSent', to: 'watchStarted', description: 'pod startup: create sent → watch shows all containers running (client; clusterloader2 pod_startup)' },
  { name: 'watch_ready', from: 'createSent', to: 'watchReady', description: 'create sent → watch shows the pod Ready (client)' },
  { name: 'create_to_schedule', from: 'created', to: 'scheduled', description: 'creationTimestamp → scheduler event eventTime' },
  { name: 'schedule_to_sandbox', from: 'scheduled', to: 'sandboxReady', description: 'scheduler eventTime → PodReadyToStartContainers' },
  { name: 'schedule_to_start', from: 'scheduled', to: 'containersStarted', description: 'scheduler eventTime → last container startedAt / kubelet Started event' },
  { name: 'start_to_ready', from: 'containersStarted', to: 'ready', description: 'containers started → Ready condition' },
  { name: 'create_to_ready', from: 'created', to: 'ready', description: 'creationTimestamp → Ready condition (API timestamps)' },
];

/** A phase's value for one pod, or why there is none. */
export type PhaseValue =
  | { status: 'measured'; ns: number; resolutionNs: number }
  | { status: 'resolution-limited'; resolutionNs: number; lowerNs: number; upperNs: number }
  | { status: 'mixed-clocks' }
  | { status: 'absent'; missing: InstantName };

/** Computes one phase; never yields a figure finer than its timestamps support. */
export function phaseValue(t: PodTimeline, p: PhaseDef, maxRelativeError = 0.1): PhaseValue {
  const a = t[p.from];
  const b = t[p.to];
  if (!a) return { status: 'absent', missing: p.from };
  if (!b) return { status: 'absent', missing: p.to };
  if (a.domain !== b.domain) return { status: 'mixed-clocks' };
  const res = Math.max(a.resolutionNs, b.resolutionNs);
  const d = Number(b.ns - a.ns);
  // Each timestamp is truncated to its resolution: the true interval lies within (d − ra, d + rb).
  const lower = Math.max(0, d - a.resolutionNs);
  const upper = d + b.resolutionNs;
  if (res > 1 && !resolutionSupports(res, Math.max(d, 0), maxRelativeError)) {
    return { status: 'resolution-limited', resolutionNs: res, lowerNs: lower, upperNs: upper };
  }
  return { status: 'measured', ns: d, resolutionNs: res };
}

/** Clock description of a phase from its two ends. */
export function phaseClock(p: PhaseDef, example: PodTimeline): ClockInfo {
  const a = example[p.from];
  const b = example[p.to];
  if (a?.domain === 'client' && b?.domain === 'client') return { ...CLIENT_MONOTONIC, detail: `${CLIENT_MONOTONIC.detail}; ${a.detail} → ${b.detail}` };
  const res = Math.max(a?.resolutionNs ?? 1, b?.resolutionNs ?? 1);
  return { source: a?.source === b?.source && a ? a.source : 'derived', resolution: res, detail: `${a?.detail ?? p.from} → ${b?.detail ?? p.to} (cluster wall clocks)` };
}

/** Parses an API timestamp (RFC 3339, optionally with fractional seconds) into epoch ns and its resolution. */
export function parseApiTime(s: string | null | undefined): { ns: bigint; resolutionNs: number } | null {
  if (!s) return null;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return null;
  const secs = Date.parse(`${m[1]}${m[3]}`);
  if (!Number.isFinite(secs)) return null;
  const frac = m[2] ?? '';
  const ns = BigInt(secs) * 1_000_000n + BigInt((frac + '000000000').slice(0, 9));
  return { ns, resolutionNs: frac ? 10 ** (9 - frac.length) : 1e9 };
}

/** An Instant from an API timestamp string (cluster wall clock). */
export function apiInstant(s: string | null | undefined, source: ClockSource, detail: string): Instant | undefined {
  const p = parseApiTime(s);
  if (!p) return undefined;
  // A MicroTime field is serialised with 6 fractional digits: its resolution is 1 µs even when trailing digits are 0.
  const micro = /\.\d{6}(Z|[+-])/.test(s ?? '');
  return { domain: 'cluster-wall', source, ns: p.ns, resolutionNs: micro ? 1000 : p.resolutionNs, detail };
}

/** A client monotonic Instant. */
export function clientInstant(ns: bigint, detail: string): Instant {
  return { domain: 'client', source: 'client-monotonic', ns, resolutionNs: 1, detail };
}

/** Per-pod values and the per-phase accounting of what could and could not be computed. */
export interface PhaseTable {
  /** Metric declarations for phases measured on at least one pod. */
  metrics: MetricSpec[];
  /** Per pod: measured values in ns, keyed by phase name. */
  values: Record<string, number>[];
  /** Per phase: how many pods measured, resolution-limited, absent or mixed. */
  accounting: Record<string, { measured: number; resolutionLimited: number; absent: number; mixedClocks: number; resolutionNs: number | null }>;
}

/** Computes all phases for a set of pod timelines. */
export function phaseTable(timelines: readonly PodTimeline[], maxRelativeError = 0.1): PhaseTable {
  const accounting: PhaseTable['accounting'] = {};
  const values: Record<string, number>[] = timelines.map(() => ({}));
  const metrics: MetricSpec[] = [];
  for (const p of PHASES) {
    const acc = { measured: 0, resolutionLimited: 0, absent: 0, mixedClocks: 0, resolutionNs: null as number | null };
    let example: PodTimeline | null = null;
    timelines.forEach((t, i) => {
      const v = phaseValue(t, p, maxRelativeError);
      if (v.status === 'measured') {
        acc.measured++;
        values[i]![p.name] = v.ns;
        example ??= t;
        acc.resolutionNs = Math.max(acc.resolutionNs ?? 0, v.resolutionNs);
      } else if (v.status === 'resolution-limited') {
        acc.resolutionLimited++;
        acc.resolutionNs = Math.max(acc.resolutionNs ?? 0, v.resolutionNs);
      } else if (v.status === 'absent') acc.absent++;
      else acc.mixedClocks++;
    });
    accounting[p.name] = acc;
    if (example) metrics.push({ name: p.name, unit: 'ns', better: 'lower', clock: phaseClock(p, example), description: p.description });
  }
  return { metrics, values, accounting };
}

/** One line per phase saying how many pods it was computed for and why not for the rest. */
export function accountingNotes(acc: PhaseTable['accounting']): string[] {
  return Object.entries(acc).map(([name, a]) => {
    const parts = [`${a.measured} measured`];
    if (a.resolutionLimited) parts.push(`${a.resolutionLimited} resolution-limited (timestamps of ${((a.resolutionNs ?? 0) / 1e6).toLocaleString('en')} ms resolution cannot support the figure)`);
    if (a.absent) parts.push(`${a.absent} absent (the cluster did not report an end point)`);
    if (a.mixedClocks) parts.push(`${a.mixedClocks} not computed (ends on different clocks)`);
    return `phase ${name}: ${parts.join(', ')}`;
  });
}
