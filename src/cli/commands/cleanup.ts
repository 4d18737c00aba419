/** `edgebench cleanup`: removes containers, tasks, runtime state, bundles and cgroups that oci-layer runs left behind, by run label. */
import { layersWith } from '../../targets/layers.js';
import { UserError } from '../../util/errors.js';
import { parse } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { kubeCleanup } from './cleanup-kube.js';

const USAGE = `edgebench cleanup [--label LABEL] [--all] [--check]
edgebench cleanup --kube [--run ID] [--kubeconfig F] [--context C] [--dry-run | --check]
  --label   only this run label (oci: "run label ebXXXX" in a result's notes; cri: the run id, e.g. 20261128t223050z-8950ee)
  --all     also labels whose edgebench process is still running (default: only those of dead runs)
  --check   list leftovers, remove nothing; exit 1 when there are any (with --kube too)
Looks at crun/runc state under /run/edgebench/oci, containerd (namespace edgebench) and docker containers
labelled io.edgebench.run, cgroups under <controller>/edgebench, and mounts under /run/edgebench/oci;
and CRI pods labelled edgebench.run on the CRI socket ($EDGEBENCH_CRI_SOCKET, default /run/edgebench/cri/containerd.sock)
with their cgroups under <controller>/edgebench-cri.
With --kube (implied by --run, --kubeconfig, --context): deletes the cluster APIServices, namespaces and simulated nodes labelled
edgebench.io/run (=ID) instead, waiting until they are gone.`;

export const cleanupCommand: Command = {
  name: 'cleanup',
  summary: 'remove what earlier oci-layer runs left behind (by run label)',
  usage: USAGE,
  examples: ['edgebench cleanup --check'],
  async run(argv) {
    const { values } = parse('cleanup', argv, {
      label: { type: 'string' }, all: { type: 'boolean' }, check: { type: 'boolean' },
      kube: { type: 'boolean' }, run: { type: 'string' }, kubeconfig: { type: 'string' }, context: { type: 'string' }, 'dry-run': { type: 'boolean' },
    });
    if (values.kube || values.run !== undefined || values.kubeconfig !== undefined || values.context !== undefined) return kubeCleanup(values);
    const label = values.label ?? null;
    // Every layer that cleans by label: all of them without --label, else the one(s) whose labels look like it.
    const cleaners = layersWith('cleanup').map((l) => l.hook);
    const chosen = cleaners.filter((c) => label === null || c.label.pattern.test(label)).sort((a, b) => a.order - b.order);
    if (label !== null && !chosen.length) throw new UserError(`--label "${label}": not an edgebench run label (${cleaners.map((c) => c.label.describe).join(', or ')})`);
    let failed = false;
    for (const c of chosen) {
      const r = await c.run({ label, all: values.all ?? false, check: values.check ?? false });
      for (const l of r.lines) process.stdout.write(`${l}\n`);
      failed ||= r.failed;
    }
    return failed ? EXIT.failed : EXIT.ok;
  },
};
