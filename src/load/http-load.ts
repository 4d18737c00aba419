/**
 * A constant-rate, open-loop HTTP/1.1 load generator on keep-alive connections (wrk2-style).
 * Request i is due at start + i/rate whatever happened to earlier requests; its latency is taken from that
 * intended instant, so a stall (server, network or this process) counts against every request it delayed:
 * that is the coordinated-omission correction. (Back-filling with recordCorrected on top would count the
 * stall twice; recordCorrected is for closed-loop senders.) Failures are counted with their reason; a request
 * with no endpoint to go to is a failure too ("no-endpoints").
 */
import http from 'node:http';
import { CLIENT_MONOTONIC, nowNs, type ClockInfo } from '../core/clock.js';
import { createHistogram, encodeHistogram, histogramPercentile, recordValue, type EncodedHistogram, type UnitHistogram } from '../core/histogram.js';

/** Where requests go: host and port of one backend. */
export interface Endpoint {
  host: string;
  port: number;
}

/** How to generate load. */
export interface LoadOptions {
  /** Requests per second (open loop). */
  rate: number;
  /** Current backends; called per request, so a changing set (Service endpoints) is followed at once. */
  endpoints: () => readonly Endpoint[];
  path?: string;
  /** Per-request timeout (connect + response). */
  timeoutMs?: number;
  /** Keep-alive sockets per backend at most. */
  connectionsPerEndpoint?: number;
  /** Width of the timeline's buckets. */
  bucketMs?: number;
}

/** One bucket of the timeline: requests due in it, how many failed, worst latency of those that succeeded. */
export interface LoadBucket {
  tMs: number;
  sent: number;
  ok: number;
  failed: number;
  maxLatencyNs: number;
}

/** What a finished run saw. */
export interface LoadReport {
  rate: number;
  durationNs: number;
  sent: number;
  ok: number;
  failed: number;
  /** Failures by reason (ECONNREFUSED, ECONNRESET, timeout, HTTP 503, no-endpoints, ...). */
  failures: Record<string, number>;
  /** Latency of successful requests from their intended send instant (coordinated-omission corrected). */
  latency: EncodedHistogram;
  /** Latency from the instant the request was actually handed to the socket layer (not corrected: for comparison). */
  serviceTime: EncodedHistogram;
  quantilesNs: Record<'p50' | 'p90' | 'p99' | 'p999' | 'max', number>;
  /** Largest lag of an actual send behind its intended instant: how far the generator itself fell behind. */
  maxSendLagNs: number;
  clock: ClockInfo;
  timeline: LoadBucket[];
  /** Requests answered per backend (host:port). */
  perEndpoint: Record<string, number>;
}

/** A running load; stop() ends it after the in-flight requests settle. */
export interface LoadRun {
  stop(): Promise<LoadReport>;
  /** Counters so far (for progress and live checks). */
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
}

function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code) return err.code;
  return err?.message ? err.message.slice(0, 60) : 'error';
}

function quantiles(h: UnitHistogram): LoadReport['quantilesNs'] {
  const total = h.histogram.totalCount;
  const q = (p: number): number => (total ? histogramPercentile(h, p) : 0);
  return { p50: q(50), p90: q(90), p99: q(99), p999: q(99.9), max: total ? h.histogram.maxValue : 0 };
}

/** Starts sending at `rate` requests per second until stop(). */
export function startLoad(opts: LoadOptions): LoadRun {
  if (!(opts.rate > 0) || !Number.isFinite(opts.rate)) throw new RangeError(`load rate ${opts.rate}: expected a positive number`);
  const path = opts.path ?? '/';
  const timeoutMs = opts.timeoutMs ?? 2000;
  const bucketNs = BigInt((opts.bucketMs ?? 1000) * 1e6);
  const intervalNs = 1e9 / opts.rate;
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connectionsPerEndpoint ?? 16, scheduling: 'fifo' });
  const latency = createHistogram('ns', 3);
  const service = createHistogram('ns', 3);
  const failures: Record<string, number> = {};
  const perEndpoint: Record<string, number> = {};
  const buckets = new Map<number, LoadBucket>();
  const inflight = new Set<Promise<void>>();
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let maxLag = 0;
  let rr = 0;
  let stopped = false;
  const start = nowNs();
  let endNs = start;
  let timer: NodeJS.Timeout | null = null;

  const bucket = (dueNs: bigint): LoadBucket => {
    const k = Number((dueNs - start) / bucketNs);
    let b = buckets.get(k);
    if (!b) {
      b = { tMs: Number((BigInt(k) * bucketNs) / 1_000_000n), sent: 0, ok: 0, failed: 0, maxLatencyNs: 0 };
      buckets.set(k, b);
    }
    return b;
  };
  const fail = (b: LoadBucket, why: string): void => {
    failed++;
    b.failed++;
    failures[why] = (failures[why] ?? 0) + 1;
  };

  const fire = (dueNs: bigint): void => {
    sent++;
    const b = bucket(dueNs);
    b.sent++;
    const eps = opts.endpoints();
    if (eps.length === 0) {
      fail(b, 'no-endpoints');
      return;
    }
    const ep = eps[rr++ % eps.length]!;
    const sentAt = nowNs();
    const lag = Number(sentAt - dueNs);
    if (lag > maxLag) maxLag = lag;
    const p = new Promise<void>((resolve) => {
      let settled = false;
      const done = (why: string | null): void => {
        if (settled) return;
        settled = true;
        const end = nowNs();
        if (why) fail(b, why);
        else {
          ok++;
          b.ok++;
          const l = Number(end - dueNs);
          recordValue(latency, l);
          recordValue(service, Number(end - sentAt));
          if (l > b.maxLatencyNs) b.maxLatencyNs = l;
          const key = `${ep.host}:${ep.port}`;
          perEndpoint[key] = (perEndpoint[key] ?? 0) + 1;
        }
        resolve();
      };
      const req = http.request({ host: ep.host, port: ep.port, path, method: 'GET', agent, timeout: timeoutMs }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => done(res.statusCode === 200 ? null : `HTTP ${res.statusCode ?? 0}`));
        res.on('error', (e) => done(reasonOf(e)));
        res.on('aborted', () => done('response aborted'));
      });
      req.on('timeout', () => {
        req.destroy();
        done('timeout');
      });
      req.on('error', (e) => done(reasonOf(e)));
      req.end();
    });
    inflight.add(p);
    void p.then(() => inflight.delete(p));
  };

  let next = 0;
  const tick = (): void => {
    timer = null;
    if (stopped) return;
    const now = nowNs();
    // Send everything that is due (all of it, even when late: open loop).
    for (;;) {
      const due = start + BigInt(Math.round(next * intervalNs));
      if (due > now) break;
      fire(due);
      next++;
    }
    const nextDue = start + BigInt(Math.round(next * intervalNs));
    const waitMs = Math.max(0, Number(nextDue - nowNs()) / 1e6);
    timer = setTimeout(tick, Math.floor(waitMs));
  };
  tick();

  return {
    get sent() {
      return sent;
    },
    get ok() {
      return ok;
    },
    get failed() {
      return failed;
    },
    async stop(): Promise<LoadReport> {
      if (!stopped) {
        stopped = true;
        endNs = nowNs();
        if (timer) clearTimeout(timer);
      }
      await Promise.all([...inflight]);
      agent.destroy();
      const timeline = [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
      return {
        rate: opts.rate,
        durationNs: Number(endNs - start),
        sent,
        ok,
        failed,
        failures,
        latency: encodeHistogram(latency),
        serviceTime: encodeHistogram(service),
        quantilesNs: quantiles(latency),
        maxSendLagNs: maxLag,
        clock: { ...CLIENT_MONOTONIC, detail: `${CLIENT_MONOTONIC.detail}; latency from each request's intended send instant (open loop, ${opts.rate}/s)` },
        timeline,
        perEndpoint,
      };
    },
  };
}

/** Runs load for a fixed time. */
export async function runLoad(opts: LoadOptions & { durationMs: number; signal?: AbortSignal }): Promise<LoadReport> {
  const run = startLoad(opts);
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, opts.durationMs);
    opts.signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
  return run.stop();
}
