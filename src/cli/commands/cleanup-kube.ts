/** The kube part of `edgebench cleanup`: removes what earlier kube runs left in the cluster (APIServices, namespaces, simulated nodes). */
import { layerHooks } from '../../targets/layers.js';
import { UserError } from '../../util/errors.js';
import { EXIT } from '../command.js';

/** Flags of the kube part. */
export interface KubeCleanupFlags {
  run?: string;
  kubeconfig?: string;
  context?: string;
  'dry-run'?: boolean;
  /** List leftovers, remove nothing, exit 1 when there are any (as the oci/cri --check). */
  check?: boolean;
}

/** Deletes APIServices, namespaces and simulated nodes labelled edgebench.io/run (=ID), waiting until they are gone; resolves with an exit code. */
export async function kubeCleanup(values: KubeCleanupFlags): Promise<number> {
  {
    if (values.run !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(values.run)) throw new UserError(`--run: "${values.run}" is not a run id`);
    const opts: Record<string, string> = {};
    if (values.kubeconfig) opts['kubeconfig'] = values.kubeconfig;
    if (values.context) opts['context'] = values.context;
    const clean = layerHooks('kube').clusterCleanup;
    if (!clean) throw new Error('the kube layer registered no cluster cleanup');
    const r = await clean({ ...(values.run !== undefined ? { run: values.run } : {}), options: opts, dryRun: !!values['dry-run'], check: !!values.check });
    for (const l of r.lines) process.stdout.write(`${l}\n`);
    return r.failed ? EXIT.failed : EXIT.ok;
  }
}
