/**
 * A fault-injecting proxy on loopback between the harness and a real API server: plain HTTP in, the upstream's
 * TLS (or plain HTTP) out (the client's Authorization header passes through). Faults are chosen per request by a seeded PRNG:
 * 429 with Retry-After, 500, slow responses, and watch streams dropped after a while.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { seededRng } from '../core/rng.js';

/** Fault mix; each probability is per request (watches: per watch connection). */
export interface FaultPlan {
  throttle429?: number;
  retryAfterSeconds?: number;
  error500?: number;
  /** Probability a request is delayed by slowMs before being forwarded. */
  slow?: number;
  slowMs?: number;
  /** Probability a watch stream is cut after dropWatchAfterMs. */
  dropWatch?: number;
  dropWatchAfterMs?: number;
  /** Only requests whose method matches are faulted (default all). */
  methods?: string[];
  seed?: number;
}

/** What the proxy did. */
export interface FaultCounts {
  requests: number;
  throttled: number;
  errors: number;
  slowed: number;
  watchesDropped: number;
}

/** The running proxy. */
export class FaultProxy {
  readonly counts: FaultCounts = { requests: 0, throttled: 0, errors: 0, slowed: 0, watchesDropped: 0 };
  private server: http.Server | null = null;
  private readonly rand: () => number;
  private readonly agent: http.Agent;
  private readonly sockets = new Set<import('node:net').Socket>();
  /** Set to false to pass everything through unchanged. */
  enabled = true;

  constructor(
    private readonly upstream: URL,
    private readonly tls: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; rejectUnauthorized?: boolean },
    private plan: FaultPlan,
  ) {
    this.rand = seededRng(plan.seed ?? 1);
    this.agent = upstream.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: 128, ...tls }) : new http.Agent({ keepAlive: true, maxSockets: 128 });
  }

  /** Replaces the fault mix. */
  setPlan(plan: FaultPlan): void {
    this.plan = plan;
  }

  /** Listens on 127.0.0.1 (a free port); resolves with the proxy's URL. */
  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private faulted(method: string): boolean {
    return this.enabled && (!this.plan.methods || this.plan.methods.includes(method));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.counts.requests++;
    const method = req.method ?? 'GET';
    const isWatch = /[?&]watch=(1|true)/.test(req.url ?? '');
    if (this.faulted(method)) {
      const r = this.rand();
      const p429 = this.plan.throttle429 ?? 0;
      const p500 = this.plan.error500 ?? 0;
      if (r < p429) {
        this.counts.throttled++;
        req.resume();
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': String(this.plan.retryAfterSeconds ?? 1) });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'edgebench fault proxy: too many requests', reason: 'TooManyRequests', code: 429 }));
        return;
      }
      if (r < p429 + p500) {
        this.counts.errors++;
        req.resume();
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'edgebench fault proxy: internal error', reason: 'InternalError', code: 500 }));
        return;
      }
      if (this.rand() < (this.plan.slow ?? 0)) {
        this.counts.slowed++;
        await new Promise((x) => setTimeout(x, this.plan.slowMs ?? 500));
      }
    }
    const mod = this.upstream.protocol === 'https:' ? https : http;
    const up = mod.request(
      { protocol: this.upstream.protocol, hostname: this.upstream.hostname, port: this.upstream.port, path: req.url, method, headers: { ...req.headers, host: this.upstream.host }, agent: isWatch ? false : this.agent, ...this.tls },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
        if (isWatch && this.faulted(method) && this.rand() < (this.plan.dropWatch ?? 0)) {
          setTimeout(() => {
            this.counts.watchesDropped++;
            ur.destroy();
            res.destroy();
          }, this.plan.dropWatchAfterMs ?? 1000).unref();
        }
      },
    );
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`edgebench fault proxy: upstream error ${e.message}`);
    });
    res.on('close', () => up.destroy());
    req.pipe(up);
  }

  /** Stops listening and cuts open connections. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.agent.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
