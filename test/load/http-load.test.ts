import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram, histogramPercentile } from '../../src/core/histogram.js';
import { fixturePath } from '../../src/fixtures/workload.js';
import { runLoad, startLoad } from '../../src/load/http-load.js';

/** A free loopback port. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitListening(port: number, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); r(true); });
      c.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`port ${port} never listened`);
}

function get(port: number, method = 'GET'): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: '/', agent: false, headers: { Connection: 'keep-alive' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('http fixture (native)', () => {
  const procs: ChildProcess[] = [];
  afterAll(() => procs.forEach((p) => p.kill('SIGKILL')));
  const start = (...args: string[]): ChildProcess => {
    const p = spawn(fixturePath('http', 'native'), args, { stdio: 'ignore' });
    procs.push(p);
    return p;
  };

  it('answers GET with 200 ok, other methods with 405', async () => {
    const port = await freePort();
    start(String(port));
    await waitListening(port);
    expect(await get(port)).toMatchObject({ status: 200, body: 'ok\n', connection: 'keep-alive' });
    expect((await get(port, 'POST')).status).toBe(405);
  });

  it('listens only after its start delay and drains after SIGTERM with Connection: close', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const p = start(String(port), '400', '600');
    await waitListening(port);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
    const exited = new Promise<number>((r) => p.on('exit', (c) => r(c ?? -1)));
    p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    expect(await get(port)).toMatchObject({ status: 200, connection: 'close' });
    const t1 = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - t1).toBeGreaterThan(300);
  });
});

describe('open-loop load generator', () => {
  let port = 0;
  let proc: ChildProcess;
  beforeAll(async () => {
    port = await freePort();
    proc = spawn(fixturePath('http', 'native'), [String(port)], { stdio: 'ignore' });
    await waitListening(port);
  });
  afterAll(() => proc.kill('SIGKILL'));

  it('sends at the set rate on keep-alive connections with no failures', async () => {
    const r = await runLoad({ rate: 200, durationMs: 1000, endpoints: () => [{ host: '127.0.0.1', port }] });
    // Open loop: exactly one request per 5 ms of the run's own (monotonic) duration.
    expect(Math.abs(r.sent - (r.durationNs / 1e9) * 200)).toBeLessThanOrEqual(2);
    expect(r.durationNs).toBeGreaterThanOrEqual(1e9);
    expect(r.failed).toBe(0);
    expect(r.ok).toBe(r.sent);
    expect(r.quantilesNs.p50).toBeGreaterThan(0);
    expect(decodeHistogram(r.latency).histogram.totalCount).toBe(r.ok);
  });

  it('counts refused connections and missing endpoints as failures with their reasons', async () => {
    const dead = await freePort();
    const r = await runLoad({ rate: 100, durationMs: 300, endpoints: () => [{ host: '127.0.0.1', port: dead }] });
    expect(r.failed).toBe(r.sent);
    expect(r.failures['ECONNREFUSED']).toBe(r.sent);
    const none = await runLoad({ rate: 100, durationMs: 200, endpoints: () => [] });
    expect(none.failures['no-endpoints']).toBe(none.sent);
    expect(none.sent).toBeGreaterThan(10);
  });

  it('charges a server stall to every request it delayed (coordinated omission corrected)', async () => {
    // A server that holds every answer during a 500 ms stall window.
    let stallUntil = 0;
    const srv = http.createServer((_req, res) => {
      const wait = Math.max(0, stallUntil - Date.now());
      setTimeout(() => res.end('ok\n'), wait);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const sport = (srv.address() as net.AddressInfo).port;
    const run = startLoad({ rate: 100, endpoints: () => [{ host: '127.0.0.1', port: sport }], connectionsPerEndpoint: 2 });
    await new Promise((r) => setTimeout(r, 300));
    stallUntil = Date.now() + 500;
    await new Promise((r) => setTimeout(r, 900));
    const rep = await run.stop();
    srv.close();
    expect(rep.failed).toBe(0);
    const h = decodeHistogram(rep.latency);
    // ~50 requests were due during the stall: all of them (not one per connection) must show the delay.
    expect(histogramPercentile(h, 100)).toBeGreaterThanOrEqual(450e6);
    const over100ms = rep.timeline.reduce((n, b) => n + (b.maxLatencyNs > 100e6 ? 1 : 0), 0);
    expect(over100ms).toBeGreaterThanOrEqual(1);
    expect(histogramPercentile(h, 100 - (40 / rep.ok) * 100)).toBeGreaterThan(100e6);
  });
});
