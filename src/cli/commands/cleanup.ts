/** `edgebench cleanup`: removes containers, tasks, runtime state, bundles and cgroups that oci-layer runs left behind, by run label. */
import { cleanup, scanLeftovers, type Leftover } from '../../targets/oci/cleanup.js';
import { ownerAlive } from '../../targets/oci/label.js';
import { UserError } from '../../util/errors.js';
import { parse } from '../args.js';
import { EXIT, type Command } from '../command.js';

const USAGE = `edgebench cleanup [--label LABEL] [--all] [--check]
  --label   only this run label (shown in a result's notes as "run label ebXXXX")
  --all     also labels whose edgebench process is still running (default: only those of dead runs)
  --check   list leftovers, remove nothing; exit 1 when there are any
Looks at crun/runc state under /run/edgebench/oci, containerd (namespace edgebench) and docker containers
labelled io.edgebench.run, cgroups under <controller>/edgebench, and mounts under /run/edgebench/oci.`;

/** One line per leftover. */
function describe(l: Leftover): string {
  return `${l.kind.padEnd(10)} ${l.label.padEnd(14)} ${l.name}`;
}

export const cleanupCommand: Command = {
  name: 'cleanup',
  summary: 'remove what earlier oci-layer runs left behind (by run label)',
  usage: USAGE,
  async run(argv) {
    const { values } = parse('cleanup', argv, { label: { type: 'string' }, all: { type: 'boolean' }, check: { type: 'boolean' } });
    const label = values.label ?? null;
    if (label !== null && !/^eb[a-z0-9]+$/.test(label)) throw new UserError(`--label "${label}": not an edgebench run label (eb followed by lowercase letters and digits)`);
    if (values.check) {
      const found = await scanLeftovers(label);
      for (const f of found) process.stdout.write(`${describe(f)}${ownerAlive(f.label) ? '  (run still active)' : ''}\n`);
      process.stdout.write(`${found.length} leftover(s)${label ? ` of ${label}` : ''}\n`);
      return found.length ? EXIT.failed : EXIT.ok;
    }
    const removed = await cleanup(label, values.all ?? false);
    for (const r of removed) process.stdout.write(`removed ${describe(r)}\n`);
    const still = await scanLeftovers(label);
    const kept = still.filter((s) => !values.all && !label && ownerAlive(s.label));
    process.stdout.write(`removed ${removed.length}; ${still.length - kept.length} left${kept.length ? `; ${kept.length} kept (their run is still active: --all to remove)` : ''}\n`);
    return still.length - kept.length ? EXIT.failed : EXIT.ok;
  },
};
