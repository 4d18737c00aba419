/**
 * A thin Kubernetes API client over node:http(s): authentication comes from the kubeconfig (kubeconfig-lite.ts;
 * @kubernetes/client-node for exec plugins and auth providers), requests and watches are raw so that the
 * harness sees every 429/5xx (with Retry-After), times each request on the client's monotonic clock,
 * and parses watch streams without the generated models' per-object cost.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { AuthSource } from './kubeconfig-lite.js';
import { nowNs } from '../core/clock.js';
import { sleep } from '../util/sleep.js';

/** A finished API request. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  /** Client monotonic ns when the request was sent and when the full response arrived (last attempt). */
  sentNs: bigint;
  doneNs: bigint;
  /** Attempts that got 429/5xx/connection errors before this answer. */
  retries: number;
}

/** Error with the HTTP status (0: no response) and the API's message. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** Retry policy for transient answers (429 with Retry-After, 5xx, connection resets). */
export interface RetryPolicy {
  maxRetries: number;
  /** Delay when the server names none, doubled per retry. */
  baseDelayMs: number;
  /** Upper bound on one wait (a Retry-After above it is capped). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 8, baseDelayMs: 100, maxDelayMs: 5000 };

/** Per-request options. */
export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
  retry?: RetryPolicy | false;
  /** Statuses returned instead of thrown (e.g. 404 on delete). */
  accept?: number[];
  signal?: AbortSignal;
  /** Media types to ask for (default application/json), e.g. metadata-only lists (PartialObjectMetadataList). */
  mediaType?: string;
  /**
   * Drain a 1xx–3xx response's body unread (body: null): for creates and deletes whose answer echoes the whole
   * object. Error bodies are still read for the message. Timing is unchanged: doneNs is still the body's end.
   */
  ignoreBody?: boolean;
}

/** One watch event as the API server sends it. */
export interface WatchEvent<T = Record<string, unknown>> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** Counters of what went wrong on the wire, for the run's notes and validity. */
export interface WireStats {
  requests: number;
  retries: number;
  throttled: number;
  serverErrors: number;
  watchRestarts: number;
}

/** Request options that may carry a ready SecureContext (tls.connect honours it; @types/node's https type omits it). */
export type SharedContextOptions = https.RequestOptions & { secureContext?: tls.SecureContext };

/** TLS material that belongs in a SecureContext rather than in each request's options. */
const CONTEXT_KEYS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'crl'] as const;

/**
 * Moves the kubeconfig's TLS material (CA, client certificate and key) into one SecureContext shared by every
 * connection. Left in the request options, https.Agent.getName would stringify the PEM buffers on every request
 * and tls.connect would build a new context (and certificate store) per connection.
 */
export function withSharedSecureContext(o: https.RequestOptions): SharedContextOptions {
  const material: tls.SecureContextOptions = {};
  const rest: https.RequestOptions = { ...o };
  let found = false;
  for (const k of CONTEXT_KEYS) {
    if (o[k] === undefined) continue;
    Object.assign(material, { [k]: o[k] });
    delete rest[k];
    found = true;
  }
  return found ? { ...rest, secureContext: tls.createSecureContext(material) } : o;
}

/**
 * Splits a stream of text chunks into non-blank lines, calling onLine with each and the arrival time of the chunk
 * that completed it. Only a partial last line is carried over between chunks: no per-line copy of the rest of a
 * chunk, no buffer that grows with the stream.
 */
export function lineSplitter(onLine: (line: string, atNs: bigint) => void): (chunk: string, atNs: bigint) => void {
  let partial: string[] = [];
  return (chunk, atNs) => {
    let start = 0;
    let nl;
    while ((nl = chunk.indexOf('\n', start)) >= 0) {
      let line = chunk.slice(start, nl);
      start = nl + 1;
      if (partial.length) {
        partial.push(line);
        line = partial.join('');
        partial = [];
      }
      if (line.trim()) onLine(line, atNs);
    }
    if (start < chunk.length) partial.push(start === 0 ? chunk : chunk.slice(start));
  };
}

/** Kubernetes API access for one kubeconfig context. */
export class KubeClient {
  readonly server: URL;
  readonly stats: WireStats = { requests: 0, retries: 0, throttled: 0, serverErrors: 0, watchRestarts: 0 };
  private readonly agent: http.Agent;
  private baseOpts: SharedContextOptions | null = null;

  constructor(
    readonly kc: AuthSource,
    server?: string,
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.server = new URL(server ?? cluster.server);
    const agentOpts = { keepAlive: true, maxSockets: 64 };
    this.agent = this.server.protocol === 'https:' ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
  }

  /** Request options carrying the kubeconfig's credentials (computed once; exec plugins are re-run by the library when expired). */
  private async options(): Promise<SharedContextOptions> {
    if (!this.baseOpts) {
      const o: https.RequestOptions = {};
      await this.kc.applyToHTTPSOptions(o);
      this.baseOpts = this.server.protocol === 'https:' ? withSharedSecureContext(o) : o;
    }
    return this.baseOpts;
  }

  private async once(method: string, path: string, opts: RequestOptions): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders; sentNs: bigint; doneNs: bigint }> {
    const base = await this.options();
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { Accept: opts.mediaType ?? 'application/json', ...(base.headers as Record<string, string> | undefined) };
    if (body !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const mod = this.server.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const sentNs = nowNs();
      const req = mod.request(
        { ...base, protocol: this.server.protocol, hostname: this.server.hostname, port: this.server.port, path, method, headers, agent: this.agent, timeout: opts.timeoutMs ?? 30_000, signal: opts.signal },
        (res) => {
          const status = res.statusCode ?? 0;
          const keep = !opts.ignoreBody || status >= 400;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => void (keep && chunks.push(c)));
          res.on('end', () => resolve({ status, text: keep ? Buffer.concat(chunks).toString('utf8') : '', headers: res.headers, sentNs, doneNs: nowNs() }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new ApiError(`${method} ${path}: no answer within ${opts.timeoutMs ?? 30_000} ms`, 0, 'Timeout')));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** Sends a request, retrying 429 (honouring Retry-After), 5xx and connection errors per the policy. */
  async request<T = Record<string, unknown>>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const policy = opts.retry === false ? { ...DEFAULT_RETRY, maxRetries: 0 } : (opts.retry ?? DEFAULT_RETRY);
    let retries = 0;
    for (;;) {
      this.stats.requests++;
      let r;
      try {
        r = await this.once(method, path, opts);
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        const code = (e as NodeJS.ErrnoException).code;
        const transient = code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNREFUSED' || (e instanceof ApiError && e.reason === 'Timeout');
        if (!transient || retries >= policy.maxRetries) {
          throw e instanceof ApiError ? e : new ApiError(`${method} ${path}: ${(e as Error).message}`, 0, code);
        }
        retries++;
        this.stats.retries++;
        await sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retries - 1)), opts.signal);
        continue;
      }
      if (r.status === 429 || (r.status >= 500 && r.status !== 501)) {
        if (r.status === 429) this.stats.throttled++;
        else this.stats.serverErrors++;
        if (retries < policy.maxRetries) {
          const ra = Number(r.headers['retry-after']);
          const wait = Number.isFinite(ra) && ra >= 0 ? ra * 1000 : policy.baseDelayMs * 2 ** retries;
          retries++;
          this.stats.retries++;
          await sleep(Math.min(policy.maxDelayMs, wait), opts.signal);
          continue;
        }
      }
      let parsed: unknown = r.text;
      try {
        parsed = r.text ? JSON.parse(r.text) : null;
      } catch {
        /* not JSON: keep text */
      }
      if (r.status >= 400 && !(opts.accept ?? []).includes(r.status)) {
        const st = parsed as { message?: string; reason?: string } | null;
        throw new ApiError(`${method} ${path}: HTTP ${r.status}${st?.message ? ` ${st.message}` : r.text ? ` ${r.text.slice(0, 200)}` : ''}`, r.status, st?.reason);
      }
      return { status: r.status, body: parsed as T, sentNs: r.sentNs, doneNs: r.doneNs, retries };
    }
  }

  /**
   * Watches a collection from a resourceVersion; calls onEvent with each event and the client monotonic time it arrived.
   * Reconnects after a dropped stream from the last seen resourceVersion; on 410 Gone calls onGone (the caller relists).
   * Resolves when stopped via the returned function or the signal.
   */
  watch<T extends { metadata?: { resourceVersion?: string } }>(
    path: string,
    resourceVersion: string,
    onEvent: (ev: WatchEvent<T>, atNs: bigint) => void,
    opts: { signal?: AbortSignal; onGone?: () => Promise<string>; onRestart?: (why: string) => void } = {},
  ): { stop: () => void; done: Promise<void> } {
    let stopped = false;
    let current: http.ClientRequest | null = null;
    const stop = (): void => {
      stopped = true;
      opts.signal?.removeEventListener('abort', stop);
      current?.destroy();
    };
    opts.signal?.addEventListener('abort', stop, { once: true });
    let rv = resourceVersion;
    const loop = async (): Promise<void> => {
      let failures = 0;
      while (!stopped) {
        const why = await this.watchOnce<T>(path, rv, (ev: WatchEvent<T>, at: bigint) => {
          const v = ev.object?.metadata?.resourceVersion;
          if (v && ev.type !== 'ERROR') rv = v;
          onEvent(ev, at);
        }, (r) => (current = r));
        if (stopped) break;
        this.stats.watchRestarts++;
        opts.onRestart?.(why);
        if (why === 'gone') {
          if (!opts.onGone) throw new ApiError(`watch ${path}: resourceVersion too old and no relist handler`, 410);
          rv = await opts.onGone();
        }
        failures = why === 'closed' ? 0 : failures + 1;
        if (failures > 0) await sleep(Math.min(2000, 50 * 2 ** Math.min(failures, 6)), opts.signal);
      }
    };
    return { stop, done: loop() };
  }

  /** One watch connection; resolves with why it ended: closed (server ended it), gone (410), error. */
  private async watchOnce<T>(path: string, rv: string, onEvent: (ev: WatchEvent<T>, atNs: bigint) => void, setReq: (r: http.ClientRequest) => void): Promise<'closed' | 'gone' | 'error'> {
    const base = await this.options();
    const sep = path.includes('?') ? '&' : '?';
    const full = `${path}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(rv)}`;
    const mod = this.server.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const req = mod.request(
        { ...base, protocol: this.server.protocol, hostname: this.server.hostname, port: this.server.port, path: full, method: 'GET', agent: false, headers: { Accept: 'application/json', ...(base.headers as Record<string, string> | undefined) } },
        (res) => {
          if (res.statusCode === 410) return resolve('gone');
          if (res.statusCode !== 200) {
            if (res.statusCode === 429) this.stats.throttled++;
            else if ((res.statusCode ?? 0) >= 500) this.stats.serverErrors++;
            res.resume();
            return resolve('error');
          }
          let gone = false;
          const split = lineSplitter((line, at) => {
            let ev: WatchEvent<T>;
            try {
              ev = JSON.parse(line) as WatchEvent<T>;
            } catch {
              return;
            }
            if (ev.type === 'ERROR' && (ev.object as { code?: number } | null)?.code === 410) gone = true;
            else onEvent(ev, at);
          });
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => split(chunk, nowNs()));
          res.on('end', () => resolve(gone ? 'gone' : 'closed'));
          res.on('error', () => resolve(gone ? 'gone' : 'error'));
          res.on('close', () => resolve(gone ? 'gone' : 'closed'));
        },
      );
      setReq(req);
      req.on('error', () => resolve('error'));
      req.end();
    });
  }

  /** Closes pooled connections. */
  close(): void {
    this.agent.destroy();
  }
}
