/**
 * "Serving", not only Ready: the harness itself sends GET / to each tracked pod's IP (straight over the CNI bridge,
 * no Service, no kube-proxy) until it answers 200 with the http fixture's body, and keeps the client instant the
 * first such answer arrived. Ready comes from the kubelet's probe and its status update; serving is seen by a client.
 */
import { request } from 'node:http';
import { nowNs } from '../core/clock.js';
import type { PodTracker } from './tracker.js';

/** The http fixture's answer to GET / (wasm-fixtures/src/http.c, native and Wasm builds alike). */
export const HTTP_FIXTURE_BODY = 'ok\n';

/** The port the http fixture listens on for these container args (its first argument, else 8080). */
export function httpFixturePort(args: readonly string[]): number {
  const p = Number(args[0]);
  return Number.isInteger(p) && p > 0 && p < 65_536 ? p : 8080;
}

/** One GET / to ip:port: resolves with the client instant of a 200 whose body is `body`, else null. */
export function getOnce(ip: string, port: number, timeoutMs: number, body = HTTP_FIXTURE_BODY): Promise<bigint | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: bigint | null): void => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    const req = request({ host: ip, port, path: '/', method: 'GET', agent: false, timeout: timeoutMs, headers: { connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(res.statusCode === 200 && Buffer.concat(chunks).toString() === body ? nowNs() : null));
      res.on('error', () => finish(null));
    });
    req.on('timeout', () => {
      req.destroy();
      finish(null);
    });
    req.on('error', () => finish(null));
    req.end();
  });
}

/** Calls `tick` every `intervalMs` between start() and stop(); `busy` holds the pods with a request in flight. */
abstract class Poller {
  protected readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  protected abstract tick(): void;

  start(): this {
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/**
 * Probes every tracked pod accepted by `want` (one request in flight per pod, every `intervalMs`) until it serves;
 * `servingAt` holds the client instant of each pod's first good answer.
 */
export class ServingProber extends Poller {
  readonly servingAt = new Map<string, bigint>();

  constructor(
    private readonly tracker: PodTracker,
    private readonly port: number,
    private readonly want: (name: string) => boolean,
    intervalMs = 10,
    private readonly timeoutMs = 500,
  ) {
    super(intervalMs);
  }

  protected tick(): void {
    for (const [name, p] of this.tracker.pods) {
      if (!p.ip || p.deleted || this.servingAt.has(name) || this.busy.has(name) || !this.want(name)) continue;
      this.busy.add(name);
      void getOnce(p.ip, this.port, this.timeoutMs).then((at) => {
        this.busy.delete(name);
        if (at !== null && !this.servingAt.has(name)) this.servingAt.set(name, at);
      });
    }
  }
}

/**
 * Follows pods that are going away (the old version of a rollout): GET / to each one's IP every `intervalMs` until it
 * stops answering, keeping the client instant of its first failed request — when its server actually ended (SIGTERM
 * honoured after a drain, or SIGKILL at the end of the grace period), whatever the API shows later.
 */
export class StopWatcher extends Poller {
  readonly stoppedAt = new Map<string, bigint>();

  constructor(
    private readonly tracker: PodTracker,
    private readonly names: readonly string[],
    private readonly port: number,
    intervalMs = 100,
  ) {
    super(intervalMs);
  }

  /** True when every followed pod has stopped answering (or has no IP to ask). */
  get done(): boolean {
    return this.names.every((n) => this.stoppedAt.has(n) || !this.tracker.pods.get(n)?.ip);
  }

  protected tick(): void {
    for (const name of this.names) {
      // Only once Terminating: a slow answer from a pod still in service is not its end.
      const p = this.tracker.pods.get(name);
      const ip = p?.ip;
      if (!ip || p.terminatingNs === undefined || this.stoppedAt.has(name) || this.busy.has(name)) continue;
      this.busy.add(name);
      const sent = nowNs();
      void getOnce(ip, this.port, 500).then((at) => {
        this.busy.delete(name);
        if (at === null && !this.stoppedAt.has(name)) this.stoppedAt.set(name, sent);
      });
    }
  }
}
