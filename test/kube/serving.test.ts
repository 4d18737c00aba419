/**
 * The serving probe of scale-out/autoscale (src/kube/serving.ts): only a 200 with the http fixture's exact body
 * counts as serving; the fixture's port comes from its first argument.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getOnce, httpFixturePort } from '../../src/kube/serving.js';

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(status: number, body: string): Promise<number> {
  server = createServer((_q, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(body);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('serving probe', () => {
  it('the http fixture\'s port is its first argument, else 8080', () => {
    expect(httpFixturePort([])).toBe(8080);
    expect(httpFixturePort(['9090', '0', '2000'])).toBe(9090);
    expect(httpFixturePort(['x'])).toBe(8080);
    expect(httpFixturePort(['70000'])).toBe(8080);
  });

  it('a 200 with body "ok\\n" is serving; another body, another status or a refused connection is not', async () => {
    const port = await serve(200, 'ok\n');
    expect(typeof (await getOnce('127.0.0.1', port, 1000))).toBe('bigint');
    await new Promise<void>((r) => server!.close(() => r()));
    server = null;
    expect(await getOnce('127.0.0.1', port, 1000)).toBeNull(); // refused
    const p2 = await serve(200, 'hello\n');
    expect(await getOnce('127.0.0.1', p2, 1000)).toBeNull();
    await new Promise<void>((r) => server!.close(() => r()));
    const p3 = await serve(503, 'ok\n');
    expect(await getOnce('127.0.0.1', p3, 1000)).toBeNull();
  });
});
