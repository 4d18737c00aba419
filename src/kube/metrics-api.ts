/**
 * A minimal external metrics API (external.metrics.k8s.io/v1beta1) of the harness's own, so the real HPA
 * controller can decide on the load the test generates (no metrics-server here). It serves one metric over HTTPS
 * on loopback; the API server's aggregator reaches it through an ExternalName Service naming 127.0.0.1 (the
 * aggregator dials an ExternalName's host directly, so no kube-proxy is needed), registered with an APIService
 * (insecureSkipTLSVerify: the certificate is a throwaway one made with openssl). Test-only: it does not check the
 * aggregator's client identity.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXTERNAL_GROUP = 'external.metrics.k8s.io';
export const EXTERNAL_VERSION = 'v1beta1';
export const APISERVICE_NAME = `${EXTERNAL_VERSION}.${EXTERNAL_GROUP}`;

/** A running metrics server. */
export interface MetricsServer {
  port: number;
  /** Requests the aggregator/HPA made for the metric, with the value served (for the report). */
  readonly reads: { atMs: number; value: number }[];
  close(): Promise<void>;
}

/** Makes a throwaway self-signed certificate for 127.0.0.1 with openssl. */
async function selfSigned(): Promise<{ key: string; cert: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'eb-metrics-tls-'));
  try {
    const { execa } = await import('execa'); // lazy: execa and its dependencies cost idle RSS on every kube path
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')]);
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Serves `metric` (value from `read()`, a quantity in milli-units) to every namespace. */
export async function startMetricsServer(metric: string, read: () => number): Promise<MetricsServer> {
  const tls = await selfSigned();
  const t0 = Date.now();
  const reads: { atMs: number; value: number }[] = [];
  const base = `/apis/${EXTERNAL_GROUP}/${EXTERNAL_VERSION}`;
  const server = https.createServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    const send = (code: number, body: unknown): void => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === base || url.pathname === `${base}/`) {
      return send(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${EXTERNAL_GROUP}/${EXTERNAL_VERSION}`, resources: [{ name: metric, singularName: '', namespaced: true, kind: 'ExternalMetricValueList', verbs: ['get'] }] });
    }
    const m = url.pathname.match(new RegExp(`^${base}/namespaces/[^/]+/([^/]+)$`));
    if (m && m[1] === metric) {
      const v = Math.max(0, Math.round(read()));
      reads.push({ atMs: Date.now() - t0, value: v });
      return send(200, { kind: 'ExternalMetricValueList', apiVersion: `${EXTERNAL_GROUP}/${EXTERNAL_VERSION}`, metadata: {}, items: [{ metricName: metric, metricLabels: {}, timestamp: new Date().toISOString(), value: `${v}m` }] });
    }
    if (url.pathname === '/healthz' || url.pathname === '/readyz') return send(200, 'ok');
    send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `no metric at ${url.pathname}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    reads,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** The ExternalName Service and APIService that register the server with the API server. */
export function registration(ns: string, port: number, labels: Record<string, string>): { service: Record<string, unknown>; apiService: Record<string, unknown> } {
  return {
    service: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'eb-metrics', namespace: ns, labels }, spec: { type: 'ExternalName', externalName: '127.0.0.1' } },
    apiService: {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: APISERVICE_NAME, labels },
      spec: { group: EXTERNAL_GROUP, version: EXTERNAL_VERSION, groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true, service: { namespace: ns, name: 'eb-metrics', port } },
    },
  };
}
