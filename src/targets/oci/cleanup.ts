/** Finding and removing what oci-layer runs leave: containers, tasks, runtime state, bundles, cgroups, mounts — by run label. */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { which } from '../../env/tools.js';
import { CONTAINERD_NAMESPACE, CONTAINERD_SOCK, dockerEnv } from '../../image/load.js';
import { CGROUP_PARENT, LABEL_KEY, STATE_ROOT, claimLabel, knownLabels, labelDir, newLabel, ownerAlive } from './label.js';

/** One leftover. */
export interface Leftover {
  kind: 'crun' | 'runc' | 'containerd' | 'docker' | 'cgroup' | 'mount' | 'state' | 'process';
  label: string;
  name: string;
}

const CG = '/sys/fs/cgroup';
const DIRECT = ['crun', 'runc'] as const;

/** Runs a command, returning stdout lines ('' on any failure: an absent daemon has nothing of ours). */
async function lines(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string[]> {
  if (!which(cmd)) return [];
  const r = await execa(cmd, args, { reject: false, timeout: 30_000, stdin: 'ignore', ...(env ? { env } : {}) });
  return r.exitCode === 0
    ? r.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
}

/** Containers of a direct runtime in a label's state root. */
async function directContainers(rt: string, label: string): Promise<string[]> {
  const root = join(labelDir(label), `state-${rt}`);
  if (!existsSync(root)) return [];
  return lines(rt, ['--root', root, 'list', '-q']);
}

/** containerd containers carrying our label (any value when label is null), as [id, label]. */
async function containerdContainers(label: string | null): Promise<[string, string][]> {
  const filter = label ? `labels."${LABEL_KEY}"==${label}` : `labels."${LABEL_KEY}"`;
  const ids = await lines('ctr', ['-a', CONTAINERD_SOCK, '-n', CONTAINERD_NAMESPACE, 'containers', 'ls', '-q', filter]);
  if (label) return ids.map((id) => [id, label]);
  const out: [string, string][] = [];
  for (const id of ids) out.push([id, /^(eb[a-z0-9]+)-/.exec(id)?.[1] ?? 'unknown']);
  return out;
}

/** docker containers carrying our label, as [id, label]. */
async function dockerContainers(label: string | null): Promise<[string, string][]> {
  const ls = await lines(
    'docker',
    ['ps', '-a', '--filter', label ? `label=${LABEL_KEY}=${label}` : `label=${LABEL_KEY}`, '--format', `{{.ID}} {{.Label "${LABEL_KEY}"}}`],
    dockerEnv(),
  );
  return ls.map((l) => l.split(' ') as [string, string]);
}

/** cgroup folders edgebench made under each controller, as [path, label]. */
function cgroupDirs(label: string | null): [string, string][] {
  const out: [string, string][] = [];
  if (!existsSync(CG)) return out;
  const roots = [CG, ...readdirSync(CG).map((c) => join(CG, c))];
  for (const r of roots) {
    const parent = join(r, CGROUP_PARENT);
    if (!existsSync(parent)) continue;
    let entries: string[];
    try {
      entries = readdirSync(parent, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      continue;
    }
    for (const l of entries) if (!label || l === label) out.push([join(parent, l), l]);
  }
  return out;
}

/** Mounts under the oci state root (there should be none: runtimes mount inside their own namespaces). */
function mountsUnder(prefix: string): string[] {
  const s = readFileSync('/proc/self/mountinfo', 'utf8');
  return s
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(prefix));
}

/** Everything of a label (or of every label) still on this host. */
export async function scanLeftovers(label: string | null = null): Promise<Leftover[]> {
  const labels = label ? [label] : knownLabels();
  const out: Leftover[] = [];
  for (const l of labels) {
    for (const rt of DIRECT) for (const id of await directContainers(rt, l)) out.push({ kind: rt, label: l, name: id });
    if (existsSync(labelDir(l))) out.push({ kind: 'state', label: l, name: labelDir(l) });
  }
  for (const [id, l] of await containerdContainers(label)) out.push({ kind: 'containerd', label: l, name: id });
  for (const [id, l] of await dockerContainers(label)) out.push({ kind: 'docker', label: l, name: id });
  for (const [p, l] of cgroupDirs(label)) out.push({ kind: 'cgroup', label: l, name: p });
  for (const m of mountsUnder(label ? labelDir(label) : STATE_ROOT)) out.push({ kind: 'mount', label: label ?? 'unknown', name: m });
  return out;
}

/** Removes a cgroup folder tree bottom-up (cgroup folders are removed with rmdir, never rm -r). */
function rmCgroupTree(dir: string): void {
  let children: string[] = [];
  try {
    children = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return;
  }
  for (const c of children) rmCgroupTree(join(dir, c));
  try {
    rmdirSync(dir);
  } catch {
    /* still has processes: reported by the next scan */
  }
}

/** Runs `fn` under a new run label and its folder; everything of the label is removed afterwards, whatever happened. */
export async function withNewLabel<T>(fn: (label: string, dir: string) => Promise<T>): Promise<T> {
  const label = newLabel();
  const dir = claimLabel(label);
  try {
    return await fn(label, dir);
  } finally {
    await cleanup(label, true);
  }
}

/** Removes what scanLeftovers finds; labels owned by a live process are kept unless `force`. Returns what was removed. */
export async function cleanup(label: string | null, force = false): Promise<Leftover[]> {
  const found = await scanLeftovers(label);
  const keep = (l: string): boolean => !force && !label && l !== 'unknown' && ownerAlive(l);
  const removed: Leftover[] = [];
  for (const f of found.filter((x) => !keep(x.label))) {
    if (f.kind === 'crun' || f.kind === 'runc') {
      await execa(f.kind, ['--root', join(labelDir(f.label), `state-${f.kind}`), 'delete', '-f', f.name], { reject: false, timeout: 30_000, stdin: 'ignore' });
    } else if (f.kind === 'containerd') {
      const ctr = ['-a', CONTAINERD_SOCK, '-n', CONTAINERD_NAMESPACE];
      await execa('ctr', [...ctr, 'tasks', 'rm', '-f', f.name], { reject: false, timeout: 30_000, stdin: 'ignore' });
      await execa('ctr', [...ctr, 'containers', 'rm', f.name], { reject: false, timeout: 30_000, stdin: 'ignore' });
    } else if (f.kind === 'docker') {
      await execa('docker', ['rm', '-f', f.name], { env: dockerEnv(), reject: false, timeout: 60_000, stdin: 'ignore' });
    } else if (f.kind === 'mount') {
      await execa('umount', ['-l', f.name], { reject: false, timeout: 30_000, stdin: 'ignore' });
    } else continue;
    removed.push(f);
  }
  // cgroups and state last: containers must be gone first.
  for (const f of found.filter((x) => !keep(x.label))) {
    if (f.kind === 'cgroup') rmCgroupTree(f.name);
    else if (f.kind === 'state') rmSync(f.name, { recursive: true, force: true });
    else continue;
    removed.push(f);
  }
  // The shared parent goes too once no run uses it (rmdir fails while one does).
  if (existsSync(CG))
    for (const c of readdirSync(CG)) {
      try {
        rmdirSync(join(CG, c, CGROUP_PARENT));
      } catch {
        /* absent or in use */
      }
    }
  return removed;
}
