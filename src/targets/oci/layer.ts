/** The oci layer's hooks for the CLI: cleanup of what its runs left (crun/runc state, containers, cgroups, mounts) by run label. */
import type { CleanupReport, CleanupRequest, LabelCleanup } from '../layers.js';
import { cleanup, scanLeftovers, type Leftover } from './cleanup.js';
import { ownerAlive } from './label.js';

/** One line per leftover. */
function describe(l: Leftover): string {
  return `${l.kind.padEnd(10)} ${l.label.padEnd(14)} ${l.name}`;
}

/** Lists (check) or removes the leftovers of one label or of every dead run (`all`: active ones too). */
async function ociCleanup(req: CleanupRequest): Promise<CleanupReport> {
  const { label } = req;
  if (req.check) {
    const found = await scanLeftovers(label);
    const lines = found.map((f) => `${describe(f)}${ownerAlive(f.label) ? '  (run still active)' : ''}`);
    lines.push(`${found.length} leftover(s)${label ? ` of ${label}` : ''}`);
    return { lines, failed: found.length > 0 };
  }
  const removed = await cleanup(label, req.all);
  const lines = removed.map((r) => `removed ${describe(r)}`);
  const still = await scanLeftovers(label);
  const kept = still.filter((s) => !req.all && !label && ownerAlive(s.label));
  lines.push(`removed ${removed.length}; ${still.length - kept.length} left${kept.length ? `; ${kept.length} kept (their run is still active: --all to remove)` : ''}`);
  return { lines, failed: still.length - kept.length > 0 };
}

/** oci run labels: "eb" and lowercase letters and digits (a result's notes name it). */
export const OCI_CLEANUP: LabelCleanup = {
  label: { pattern: /^eb[a-z0-9]+$/, describe: 'eb followed by lowercase letters and digits' },
  order: 20,
  run: ociCleanup,
};
