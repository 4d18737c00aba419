/** KubeClient against a fake API server behind the fault proxy: Retry-After honoured, 5xx retried, watches resumed. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../src/kube/fault-proxy.js';
import { KubeClient, type WatchEvent } from '../../src/kube/http.js';

let server: http.Server;
let upstream: string;
let rv = 100;
const watchRvs: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.get('watch') === '1') {
      watchRvs.push(url.searchParams.get('resourceVersion') ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // one event every 100 ms, each with the next resourceVersion
      const t = setInterval(() => {
        rv++;
        res.write(JSON.stringify({ type: 'MODIFIED', object: { metadata: { name: 'p', resourceVersion: String(rv) } } }) + '\n');
      }, 100);
      res.on('close', () => clearInterval(t));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'PodList', metadata: { resourceVersion: String(rv) }, items: [] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function client(url: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new KubeClient(kc);
}

describe('kube wire behaviour under injected faults', () => {
  it('honours Retry-After on 429 and retries 500s until the answer', async () => {
    const proxy = new FaultProxy(new URL(upstream), {}, { throttle429: 1, retryAfterSeconds: 1, seed: 3 });
    const c = client(await proxy.listen());
    try {
      const t0 = Date.now();
      const p = c.request('GET', '/api/v1/pods', { retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 5000 } });
      setTimeout(() => proxy.setPlan({ error500: 0 }), 1500); // faults stop after 1.5 s
      const r = await p;
      expect(r.status).toBe(200);
      expect(r.retries).toBe(2); // 429 at 0 s and 1 s, answer at 2 s
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
      expect(c.stats.throttled).toBe(2);
      proxy.setPlan({ error500: 1 });
      await expect(c.request('GET', '/api/v1/pods', { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10 } })).rejects.toThrowError(/HTTP 500/);
      expect(c.stats.serverErrors).toBe(3);
    } finally {
      c.close();
      await proxy.close();
    }
  });

  it('resumes a dropped watch from the last resourceVersion it saw, missing nothing', async () => {
    const proxy = new FaultProxy(new URL(upstream), {}, { dropWatch: 1, dropWatchAfterMs: 350, seed: 5 });
    const c = client(await proxy.listen());
    const seen: number[] = [];
    const restarts: string[] = [];
    watchRvs.length = 0;
    const w = c.watch('/api/v1/pods', String(rv), (ev: WatchEvent<{ metadata: { resourceVersion: string } }>) => seen.push(Number(ev.object.metadata.resourceVersion)), { onRestart: (why) => restarts.push(why) });
    await new Promise((r) => setTimeout(r, 1300));
    w.stop();
    await w.done;
    c.close();
    await proxy.close();
    expect(proxy.counts.watchesDropped).toBeGreaterThanOrEqual(2);
    expect(restarts.length).toBeGreaterThanOrEqual(2);
    // each reconnection asked for the resourceVersion of the last event seen before the drop
    for (let i = 1; i < watchRvs.length; i++) expect(seen).toContain(Number(watchRvs[i]));
    expect(seen.length).toBeGreaterThanOrEqual(6);
  });
});
