/** Pooled cluster connections: one live client and what the cluster offers per access, shared by a process's kube code. */
import { connect, type AccessOptions } from './access.js';
import type { KubeClient } from './http.js';
import { clusterFacts, type ClusterFacts } from './preflight.js';

/** A live connection and what the cluster offers, shared by the targets of one process. */
export interface Conn {
  client: KubeClient;
  source: string;
  version: string;
  facts: ClusterFacts;
}
const connections = new Map<string, Promise<Conn>>();

/** The pooled connection for these access options, opened (and the cluster's facts read) on first use. */
export async function openConn(a: AccessOptions): Promise<Conn> {
  const key = JSON.stringify(a);
  let c = connections.get(key);
  if (!c) {
    c = (async () => {
      const { client, source, version } = await connect(a);
      return { client, source, version: version.gitVersion, facts: await clusterFacts(client) };
    })();
    connections.set(key, c);
    c.catch(() => connections.delete(key));
  }
  return c;
}

/** Closes every pooled cluster connection (end of a CLI command). */
export async function closeKubeConnections(): Promise<void> {
  for (const c of connections.values()) (await c.catch(() => null))?.client.close();
  connections.clear();
}
