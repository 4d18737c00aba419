/**
 * A small kubeconfig reader for static credentials (token, token file, client certificate, CA, in-cluster).
 * Why not always @kubernetes/client-node: importing it costs ~80 MB of RSS (its generated API models load with
 * KubeConfig), more than half the harness's 150 MB budget at 3000 pods. Kubeconfigs whose users need exec
 * plugins, auth providers or OIDC are handed to client-node (loaded only then).
 */
import { env } from '../env/environment.js';
import { readFileSync } from 'node:fs';
import type https from 'node:https';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

/** What KubeClient needs from a kubeconfig (KubeConfig from client-node has the same shape). */
export interface AuthSource {
  getCurrentCluster(): { server: string } | null;
  applyToHTTPSOptions(o: https.RequestOptions): Promise<void>;
}

interface NamedCluster {
  name: string;
  cluster?: Record<string, unknown>;
}
interface NamedUser {
  name: string;
  user?: Record<string, unknown>;
}
interface NamedContext {
  name: string;
  context?: { cluster?: string; user?: string };
}

/** A parsed kubeconfig; `needsLibrary` is set when a user's credentials need client-node (exec, auth-provider). */
export class LiteKubeConfig implements AuthSource {
  private constructor(
    readonly contexts: string[],
    private current: string,
    private readonly clusters: NamedCluster[],
    private readonly users: NamedUser[],
    private readonly ctxs: NamedContext[],
    private readonly baseDir: string,
  ) {}

  /** Parses kubeconfig text (throws on malformed YAML or shape). */
  static fromString(text: string, baseDir: string): LiteKubeConfig {
    const doc = parse(text) as Record<string, unknown> | null;
    if (!doc || typeof doc !== 'object') throw new Error('not a YAML mapping');
    const list = <T>(k: string): T[] => {
      const v = doc[k];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) throw new Error(`${k} is not a list`);
      return v as T[];
    };
    const ctxs = list<NamedContext>('contexts');
    return new LiteKubeConfig(
      ctxs.map((c) => c.name),
      String(doc['current-context'] ?? ''),
      list('clusters'),
      list('users'),
      ctxs,
      baseDir,
    );
  }

  /** In-cluster credentials: the pod's service account token and CA. */
  static inCluster(): LiteKubeConfig {
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
    const host = env.inClusterHost();
    const port = env.inClusterPort() ?? '443';
    const server = `https://${host?.includes(':') ? `[${host}]` : host}:${port}`;
    return new LiteKubeConfig(
      ['in-cluster'],
      'in-cluster',
      [{ name: 'c', cluster: { server, 'certificate-authority': `${sa}/ca.crt` } }],
      [{ name: 'u', user: { tokenFile: `${sa}/token` } }],
      [{ name: 'in-cluster', context: { cluster: 'c', user: 'u' } }],
      '/',
    );
  }

  getCurrentContext(): string {
    return this.current;
  }

  setCurrentContext(name: string): void {
    this.current = name;
  }

  private ctx(): NamedContext['context'] | undefined {
    return this.ctxs.find((c) => c.name === this.current)?.context;
  }

  getCurrentCluster(): { server: string } | null {
    const c = this.clusters.find((x) => x.name === this.ctx()?.cluster)?.cluster;
    return c && typeof c['server'] === 'string' ? { server: c['server'] } : null;
  }

  private user(): Record<string, unknown> {
    return this.users.find((x) => x.name === this.ctx()?.user)?.user ?? {};
  }

  /** True when the current user's credentials need client-node (exec plugin, auth provider). */
  get needsLibrary(): boolean {
    const u = this.user();
    return 'exec' in u || 'auth-provider' in u;
  }

  private file(p: unknown): Buffer {
    const s = String(p);
    return readFileSync(isAbsolute(s) ? s : join(this.baseDir, s));
  }

  async applyToHTTPSOptions(o: https.RequestOptions): Promise<void> {
    const c = this.clusters.find((x) => x.name === this.ctx()?.cluster)?.cluster ?? {};
    const u = this.user();
    if (c['certificate-authority-data']) o.ca = Buffer.from(String(c['certificate-authority-data']), 'base64');
    else if (c['certificate-authority']) o.ca = this.file(c['certificate-authority']);
    if (c['insecure-skip-tls-verify'] === true) o.rejectUnauthorized = false;
    if (c['tls-server-name']) o.servername = String(c['tls-server-name']);
    if (u['client-certificate-data']) o.cert = Buffer.from(String(u['client-certificate-data']), 'base64');
    else if (u['client-certificate']) o.cert = this.file(u['client-certificate']);
    if (u['client-key-data']) o.key = Buffer.from(String(u['client-key-data']), 'base64');
    else if (u['client-key']) o.key = this.file(u['client-key']);
    const headers: Record<string, string> = {};
    const token = u['token'] !== undefined ? String(u['token']) : u['tokenFile'] ? this.file(u['tokenFile']).toString('utf8').trim() : undefined;
    if (token) headers['Authorization'] = `Bearer ${token}`;
    else if (u['username'] !== undefined)
      headers['Authorization'] = `Basic ${Buffer.from(`${String(u['username'])}:${String(u['password'] ?? '')}`).toString('base64')}`;
    o.headers = { ...(o.headers as Record<string, string> | undefined), ...headers };
  }
}
