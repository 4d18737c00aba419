/** The kube part of `edgebench cleanup`: removes what earlier kube runs left in the cluster (APIServices, namespaces, simulated nodes). */
import { connect, accessFromOptions } from '../../kube/access.js';
import { cleanupRun, leftoverNames, leftovers } from '../../kube/resources.js';
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
    const { client } = await connect(accessFromOptions(opts));
    try {
      if (values['dry-run'] || values.check) {
        const names = leftoverNames(await leftovers(client, values.run));
        process.stdout.write(`${values.check ? 'leftovers' : 'would remove'}: ${names.join(', ') || 'nothing'}\n`);
        return values.check && names.length ? EXIT.failed : EXIT.ok;
      }
      const r = await cleanupRun(client, values.run);
      const removed = leftoverNames(r);
      process.stdout.write(`removed: ${removed.join(', ') || 'nothing'}\n`);
      if (r.remaining.length) {
        process.stdout.write(`still present: ${r.remaining.join(', ')}\n`);
        return EXIT.failed;
      }
      return EXIT.ok;
    } finally {
      client.close();
    }
  }
}
