/** Host facts: one read-only probe script run on the target, parsed into HostFacts. */
import { UserError } from '../util/errors.js';
import { layout } from './plan.js';
import { q, under } from './sh.js';
import type { Transport } from './transport.js';
import type { HostFacts } from './types.js';

/** The probe script (changes nothing on the host). */
export function factsScript(root: string): string {
  const L = layout(root);
  const nv = [under(root, '/usr/local/nvidia/toolkit'), under(root, '/usr/bin')].map((d) => `${d}/nvidia-container-runtime`);
  return [
    `echo "os=$(uname -s)"`,
    `echo "arch=$(uname -m)"`,
    `echo "uid=$(id -u)"`,
    `if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then echo sudo=1; else echo sudo=0; fi`,
    `if [ -f /sys/fs/cgroup/cgroup.controllers ]; then echo cgroup=v2`,
    `elif [ -f /sys/fs/cgroup/unified/cgroup.controllers ]; then echo cgroup=hybrid`,
    `elif [ -d /sys/fs/cgroup/memory ]; then echo cgroup=v1`,
    `else echo cgroup=none; fi`,
    `if command -v systemctl >/dev/null 2>&1; then echo init=systemd; elif [ -x /sbin/openrc-run ]; then echo init=openrc; else echo init=none; fi`,
    `if command -v nvidia-ctk >/dev/null 2>&1; then echo nvidia_ctk=1; else echo nvidia_ctk=0; fi`,
    `for p in ${nv.map(q).join(' ')}; do if [ -x "$p" ]; then echo "nvidia_runtime=$p"; break; fi; done`,
    `if [ -x ${q(`${L.bin}/k3s`)} ]; then echo "k3s=$(${q(`${L.bin}/k3s`)} --version 2>/dev/null | head -n 1)"; fi`,
    `if [ -f ${q(L.k3sConfig)} ]; then`,
    `  echo "cfg_sha=$(sha256sum ${q(L.k3sConfig)} | cut -d' ' -f1)"`,
    `  echo "cluster_cidr=$(sed -n 's/^cluster-cidr: *//p' ${q(L.k3sConfig)} | tr -d '"' | head -n 1)"`,
    `  echo "mask=$(grep -o 'node-cidr-mask-size=[0-9]*' ${q(L.k3sConfig)} | head -n 1 | cut -d= -f2)"`,
    `fi`,
  ].join('\n');
}

/** Parses the probe's key=value output. */
export function parseFacts(out: string): HostFacts {
  const kv = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  const init = kv.get('init');
  const mask = kv.get('mask');
  return {
    os: kv.get('os') ?? '',
    arch: kv.get('arch') ?? '',
    isRoot: kv.get('uid') === '0',
    sudo: kv.get('sudo') === '1',
    cgroup: kv.get('cgroup') ?? 'none',
    initSystem: init === 'systemd' || init === 'openrc' ? init : 'none',
    nvidiaCtk: kv.get('nvidia_ctk') === '1',
    nvidiaRuntime: kv.get('nvidia_runtime') || null,
    k3sVersion: kv.get('k3s') || null,
    k3sConfigSha256: kv.get('cfg_sha') || null,
    existingClusterCidr: kv.get('cluster_cidr') || null,
    existingNodeCidrMaskSize: mask ? Number(mask) : null,
  };
}

/** Probes the target (read-only); an unreachable host or a failing probe is one UserError line. */
export async function gatherFacts(t: Transport, root: string): Promise<HostFacts> {
  const r = await t.sh(factsScript(root), 60_000);
  if (r.code !== 0) throw new UserError(`probing ${t.describe} failed (exit ${r.code}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
  const f = parseFacts(r.stdout);
  if (!f.os) throw new UserError(`probing ${t.describe} gave no answer (is it a POSIX shell host?)`);
  return f;
}
