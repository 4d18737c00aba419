/** The kube layer's hooks for the CLI: the cluster report (`doctor --kube`) and the cluster cleanup (`cleanup --kube`). */
import { connect, accessFromOptions } from '../../kube/access.js';
import { cleanupRun, leftoverNames, leftovers } from '../../kube/resources.js';
import type { CleanupReport, ClusterCleanupRequest, LayerHooks } from '../layers.js';
import { formatKubeDoctor, kubeDoctor } from './doctor.js';

/** Deletes APIServices, namespaces and simulated nodes labelled edgebench.io/run (=ID), waiting until they are gone (or only lists them). */
async function kubeCleanup(req: ClusterCleanupRequest): Promise<CleanupReport> {
  const { client } = await connect(accessFromOptions(req.options));
  try {
    if (req.dryRun || req.check) {
      const names = leftoverNames(await leftovers(client, req.run));
      return { lines: [`${req.check ? 'leftovers' : 'would remove'}: ${names.join(', ') || 'nothing'}`], failed: req.check && names.length > 0 };
    }
    const r = await cleanupRun(client, req.run);
    const lines = [`removed: ${leftoverNames(r).join(', ') || 'nothing'}`];
    if (r.remaining.length) lines.push(`still present: ${r.remaining.join(', ')}`);
    return { lines, failed: r.remaining.length > 0 };
  } finally {
    client.close();
  }
}

/** The kube layer's hooks. */
export const KUBE_LAYER: LayerHooks = {
  async doctorReport(options, target) {
    const r = await kubeDoctor(options, target);
    return { data: r, text: formatKubeDoctor(r) };
  },
  clusterCleanup: kubeCleanup,
};
