/** `edgebench cleanup`: removes containers, tasks, runtime state, bundles and cgroups that oci-layer runs left behind, by run label. */
import { cleanupCri, describeCriCleanup } from '../../targets/cri/cleanup.js';
import { cleanup, scanLeftovers, type Leftover } from '../../targets/oci/cleanup.js';
import { ownerAlive } from '../../targets/oci/label.js';
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

/** A cri run label is a run id (see src/run/run-id.ts). */
const CRI_RUN_ID = /^\d{8}t\d{6}z-[0-9a-f]+$/;

/** One line per leftover. */
function describe(l: Leftover): string {
  return `${l.kind.padEnd(10)} ${l.label.padEnd(14)} ${l.name}`;
}

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
    const criLabel = label !== null && CRI_RUN_ID.test(label);
    if (label !== null && !criLabel && !/^eb[a-z0-9]+$/.test(label)) throw new UserError(`--label "${label}": not an edgebench run label (eb followed by lowercase letters and digits, or a run id)`);
    if (criLabel) {
      const r = await cleanupCri(label, { all: values.all ?? false, check: values.check ?? false });
      for (const l of describeCriCleanup(r, values.check ?? false)) process.stdout.write(`${l}\n`);
      if (values.check) return r.pods.length ? EXIT.failed : EXIT.ok;
      return r.errors.length ? EXIT.failed : EXIT.ok;
    }
    const cri = label === null ? await cleanupCri(null, { all: values.all ?? false, check: values.check ?? false }) : null;
    if (cri) for (const l of describeCriCleanup(cri, values.check ?? false)) process.stdout.write(`${l}\n`);
    const criLeft = cri ? (values.check ? cri.pods.length : cri.errors.length) : 0;
    if (values.check) {
      const found = await scanLeftovers(label);
      for (const f of found) process.stdout.write(`${describe(f)}${ownerAlive(f.label) ? '  (run still active)' : ''}\n`);
      process.stdout.write(`${found.length} leftover(s)${label ? ` of ${label}` : ''}\n`);
      return found.length || criLeft ? EXIT.failed : EXIT.ok;
    }
    const removed = await cleanup(label, values.all ?? false);
    for (const r of removed) process.stdout.write(`removed ${describe(r)}\n`);
    const still = await scanLeftovers(label);
    const kept = still.filter((s) => !values.all && !label && ownerAlive(s.label));
    process.stdout.write(`removed ${removed.length}; ${still.length - kept.length} left${kept.length ? `; ${kept.length} kept (their run is still active: --all to remove)` : ''}\n`);
    return still.length - kept.length || criLeft ? EXIT.failed : EXIT.ok;
  },
};
