/** Cluster access: kubeconfig (KUBECONFIG, --kubeconfig, --context) or in-cluster; every failure is one UserError line. */
import { env, readVar } from '../env/environment.js';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { LiteKubeConfig, type AuthSource } from './kubeconfig-lite.js';
import { UserError, errorMessage } from '../util/errors.js';
import { ApiError, KubeClient } from './http.js';

/** How to reach the cluster. */
export interface AccessOptions {
  /** Path to a kubeconfig; else $KUBECONFIG (first entry), else ~/.kube/config, else in-cluster. */
  kubeconfig?: string;
  context?: string;
  /** Use the pod's service account even when a kubeconfig exists. */
  inCluster?: boolean;
  /** Replace the server URL (e.g. a fault-injecting proxy in front of the API server). */
  server?: string;
}

/** Access options from a target's options map (CLI flags) and the environment. */
export function accessFromOptions(o: Record<string, string>): AccessOptions {
  const a: AccessOptions = {};
  const kc = o['kubeconfig'] ?? readVar('EDGEBENCH_KUBECONFIG');
  if (kc) a.kubeconfig = kc;
  const ctx = o['context'] ?? readVar('EDGEBENCH_KUBE_CONTEXT');
  if (ctx) a.context = ctx;
  if (o['in-cluster'] === 'true') a.inCluster = true;
  const server = o['server'] ?? readVar('EDGEBENCH_KUBE_SERVER');
  if (server) a.server = server;
  return a;
}

/** Which kubeconfig file would be used, or null for in-cluster. */
export function kubeconfigPath(a: AccessOptions): string | null {
  if (a.inCluster) return null;
  if (a.kubeconfig) return a.kubeconfig;
  const listed = env.kubeconfigList()?.split(':').find(Boolean);
  if (listed) return listed;
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return home;
  return null;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Credentials through @kubernetes/client-node (exec plugins, auth providers), imported only when needed. */
function libraryAuth(text: string, context: string, lite: LiteKubeConfig): AuthSource {
  let kc: Promise<AuthSource> | null = null;
  return {
    getCurrentCluster: () => lite.getCurrentCluster(),
    async applyToHTTPSOptions(o) {
      kc ??= import('@kubernetes/client-node').then((m) => {
        const k = new m.KubeConfig();
        k.loadFromString(text);
        k.setCurrentContext(context);
        return k;
      });
      await (await kc).applyToHTTPSOptions(o);
    },
  };
}

/** Loads the kubeconfig (or in-cluster credentials) without contacting the cluster. */
export function loadKubeConfig(a: AccessOptions): { kc: AuthSource; source: string } {
  const path = kubeconfigPath(a);
  if (path === null) {
    if (!env.inClusterHost() || !existsSync(IN_CLUSTER_TOKEN)) {
      throw new UserError('no cluster access: no --kubeconfig, no KUBECONFIG, no ~/.kube/config and not running in a pod (start one with `bash scripts/dev-cluster.sh up`, see docs/kube.md)');
    }
    return { kc: LiteKubeConfig.inCluster(), source: 'in-cluster service account' };
  }
  if (!existsSync(path)) throw new UserError(`kubeconfig ${path}: no such file`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`kubeconfig ${path}: cannot read (${errorMessage(e)})`);
  }
  let kc: LiteKubeConfig;
  try {
    kc = LiteKubeConfig.fromString(text, dirname(path));
  } catch (e) {
    throw new UserError(`kubeconfig ${path}: malformed (${errorMessage(e).split('\n')[0]})`);
  }
  if (a.context) {
    if (!kc.contexts.includes(a.context)) {
      throw new UserError(`kubeconfig ${path}: no context "${a.context}" (contexts: ${kc.contexts.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(a.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new UserError(`kubeconfig ${path}: current context "${kc.getCurrentContext() || '(none)'}" names no cluster with a server`);
  const source = `${path} context ${kc.getCurrentContext()}`;
  return { kc: kc.needsLibrary ? libraryAuth(text, kc.getCurrentContext(), kc) : kc, source };
}

/** A client for the cluster, after one request proving it is reachable and the credentials are accepted. */
export async function connect(a: AccessOptions): Promise<{ client: KubeClient; source: string; version: { gitVersion: string; major: string; minor: string } }> {
  const { kc, source } = loadKubeConfig(a);
  const client = new KubeClient(kc, a.server);
  try {
    const v = await client.request<{ gitVersion: string; major: string; minor: string }>('GET', '/version', { timeoutMs: 5000, retry: { maxRetries: 2, baseDelayMs: 200, maxDelayMs: 1000 } });
    // /version is readable anonymously on many clusters: prove the credentials on an authorised endpoint too.
    await client.request('GET', '/api/v1/namespaces?limit=1', { timeoutMs: 5000, retry: { maxRetries: 2, baseDelayMs: 200, maxDelayMs: 1000 } });
    return { client, source, version: v.body };
  } catch (e) {
    client.close();
    const where = `${client.server.origin} (${source})`;
    if (e instanceof ApiError && e.status === 401) throw new UserError(`cluster ${where}: unauthorised (HTTP 401): the kubeconfig's credentials are not accepted`);
    if (e instanceof ApiError && e.status === 403) throw new UserError(`cluster ${where}: forbidden (HTTP 403): the credentials may not list namespaces; edgebench needs to create namespaces, pods and read nodes/events`);
    if (e instanceof ApiError && e.status > 0) throw new UserError(`cluster ${where}: ${e.message}`);
    throw new UserError(`cluster ${where}: unreachable (${errorMessage(e)})`);
  }
}
