/** The planner: a pure function from configuration + host facts + catalogue to an ordered list of idempotent steps. */
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify as toYaml } from 'yaml';
import { UserError } from '../util/errors.js';
import { sha256FileSync } from '../util/hash.js';
import { archOf, artifactsFor, type Catalogue } from './catalogue.js';
import { checkTargetPath, contentSha, fileHasSha, q, stampIs, under, writeFile, writeStamp } from './sh.js';
import type { Arch, Artifact, HostFacts, Plan, ProvisionConfig, Step } from './types.js';

/**
 * Where things live on the target, all under the config's root. Every path here reaches target
 * scripts only through q(); a root or directory no script can carry safely is refused.
 */
export function layout(root: string, c?: Pick<ProvisionConfig, 'shimDir' | 'wasmedgePrefix'>) {
  checkTargetPath('--root', root, { inPath: true });
  if (c) for (const k of ['shimDir', 'wasmedgePrefix'] as const) checkTargetPath(k, c[k]);
  const u = (p: string): string => under(root, p);
  const state = u('/var/lib/edgebench/provision');
  return {
    bin: u('/usr/local/bin'),
    systemdDir: u('/etc/systemd/system'),
    k3sConfig: u('/etc/rancher/k3s/config.yaml'),
    containerdConfig: u('/var/lib/rancher/k3s/agent/etc/containerd/config.toml'),
    agentImages: u('/var/lib/rancher/k3s/agent/images'),
    shimDir: u(c?.shimDir ?? '/usr/local/bin'),
    wasmedge: u(c?.wasmedgePrefix ?? '/usr/local'),
    state,
    staging: `${state}/artifacts`,
    stamps: `${state}/stamps`,
    lists: `${state}/files`,
    stateFile: `${state}/state.json`,
  };
}

/** The PATH every target script runs with: the root's own bin dirs first (so a root prefix is self-contained). */
export function preamble(root: string): string {
  const dirs = ['/usr/local/bin', '/usr/local/sbin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  const path = root === '/' ? dirs.join(':') : [...dirs.map((d) => under(root, d)), ...dirs].join(':');
  return `set -eu\nexport PATH=${q(path)}`;
}

/** Refuses, with one line, a host the configuration cannot be provisioned on (nothing has changed yet). */
export function preflight(c: ProvisionConfig, f: HostFacts): Arch {
  if (f.os !== 'Linux') throw new UserError(`host runs ${f.os || 'an unknown OS'}, not Linux: K3s runs only on Linux`);
  const arch = archOf(f.arch);
  if (!arch) throw new UserError(`host architecture ${f.arch} is not in the catalogue (amd64, arm64)`);
  if (f.cgroup === 'none') throw new UserError('host has no cgroup hierarchy mounted at /sys/fs/cgroup: K3s needs cgroups (v2, or v1 with the memory controller)');
  if (!f.isRoot && !f.sudo && c.root === '/') throw new UserError('provisioning needs root on the host: connect as root or give the user passwordless sudo (sudo -n)');
  if (f.initSystem === 'none') throw new UserError('host has neither systemd nor openrc: the K3s installer needs one to run K3s as a service');
  if (c.profile === 'gpu' && !f.nvidiaRuntime)
    throw new UserError('gpu profile: NVIDIA container toolkit not found on the host (no nvidia-container-runtime in /usr/local/nvidia/toolkit or /usr/bin): install nvidia-container-toolkit first');
  if (f.k3sVersion !== null) {
    const wantCidr = c.k3s.clusterCidr ?? '10.42.0.0/16';
    const haveCidr = f.existingClusterCidr ?? '10.42.0.0/16';
    const wantMask = c.k3s.nodeCidrMaskSize ?? 24;
    const haveMask = f.existingNodeCidrMaskSize ?? 24;
    if (wantCidr !== haveCidr || wantMask !== haveMask)
      throw new UserError(
        `K3s is already installed with cluster-cidr ${haveCidr} and node-cidr-mask-size ${haveMask}; ${wantCidr} /${wantMask} only applies to a node that registers fresh: run \`edgebench teardown\` first`,
      );
  }
  return arch;
}

/** The K3s config.yaml content for a configuration (deterministic). */
export function k3sConfigYaml(c: ProvisionConfig): string {
  const body: Record<string, unknown> = {};
  if (c.k3s.maxPods !== null) body['kubelet-arg'] = [`max-pods=${c.k3s.maxPods}`];
  if (c.k3s.nodeCidrMaskSize !== null) body['kube-controller-manager-arg'] = [`node-cidr-mask-size=${c.k3s.nodeCidrMaskSize}`];
  if (c.k3s.clusterCidr !== null) body['cluster-cidr'] = c.k3s.clusterCidr;
  if (c.k3s.nodeLabels.length) body['node-label'] = [...c.k3s.nodeLabels];
  for (const [k, v] of Object.entries(c.k3s.extra)) body[k] = v;
  const head = [
    `# Written by edgebench provision (profile ${c.profile}); edgebench teardown removes it.`,
    '# Datastore: SQLite, K3s\'s default (no datastore-endpoint, no cluster-init).',
  ].join('\n');
  return Object.keys(body).length ? `${head}\n${toYaml(body)}` : `${head}\n`;
}

function fetchStep(id: string, a: Artifact): Step {
  return { id: `fetch.${id}`, title: `fetch ${a.name}`, kind: 'fetch', check: `(controller) cache holds sha256 ${a.sha256 ?? 'NOT-PINNED'}`, run: `(controller) GET ${a.url}; verify sha256`, artifact: a };
}

function uploadStep(id: string, a: Artifact, dest: string, mode: string, list?: string): Step {
  return {
    id: `upload.${id}`,
    title: `place ${a.name} at ${dest}`,
    kind: 'upload',
    check: fileHasSha(dest, a.sha256),
    run: `(controller) copy the verified file to ${dest}.part; chmod ${mode}; mv to ${dest}${list ? `; record in ${list}` : ''}`,
    artifact: a,
    dest,
    mode,
    ...(list ? { list } : {}),
  };
}

/** Plans `provision k3s`. Pure: the same inputs give the same plan (golden-file tested). */
export function planProvision(c: ProvisionConfig, facts: HostFacts, cat: Catalogue): Plan {
  const arch = preflight(c, facts);
  const L = layout(c.root, c);
  const A = artifactsFor(cat, c.versions, arch);
  const k3s = `${L.bin}/k3s`;
  const kubectl = `${q(k3s)} kubectl`;
  const steps: Step[] = [];
  const notes: string[] = [];
  const stg = (a: Artifact): string => `${L.staging}/${basename(new URL(a.url).pathname)}`;

  // 1. Fetch every artifact on the controller and verify it before anything touches the target.
  const arts: [string, Artifact][] = [
    ['k3s-installer', A.k3sInstaller],
    ['k3s-binary', A.k3sBinary],
    ['shim', A.shim],
    ['wasmedge', A.wasmedge],
  ];
  const ggml = c.wasiNn ? A.ggml(c.profile === 'gpu') : null;
  if (ggml) arts.push(['wasi-nn-ggml', ggml]);
  const airgap = c.airgapImages ? A.k3sAirgap() : null;
  if (airgap) arts.push(['k3s-airgap-images', airgap]);
  // A missing sha256 counts as null (not pinned): the same refusal, never an undefined checksum.
  const crun: Artifact | null = c.crunWasmedge
    ? { name: 'crun built with WasmEdge', pinPath: 'crunWasmedge.sha256', pinFile: c.crunWasmedge.pinnedIn ?? 'the --config file', url: c.crunWasmedge.url, sha256: c.crunWasmedge.sha256 ?? null }
    : null;
  if (crun) arts.push(['crun-wasmedge', crun]);
  for (const [id, a] of arts) steps.push(fetchStep(id, a));

  // 2. WasmEdge shim on K3s's PATH (K3s registers a runtime for each containerd-shim-*-v1 it finds).
  const shimBin = `${L.shimDir}/containerd-shim-wasmedge-v1`;
  steps.push(uploadStep('shim', A.shim, stg(A.shim), '0644'));
  const shimStamp = `${L.stamps}/shim`;
  steps.push({
    id: 'shim.install',
    title: `install containerd-shim-wasmedge-v1 ${c.versions.shim} into ${L.shimDir}`,
    kind: 'shell',
    check: `${stampIs(shimStamp, A.shim.sha256 ?? 'NOT-PINNED')} && [ -x ${q(shimBin)} ]`,
    run: [
      `t=$(mktemp -d)`,
      `tar -xzf ${q(stg(A.shim))} -C "$t"`,
      `f=$(find "$t" -type f -name containerd-shim-wasmedge-v1 | head -n 1)`,
      `[ -n "$f" ] || { echo ${q(`containerd-shim-wasmedge-v1 not in ${basename(stg(A.shim))}`)} >&2; rm -rf "$t"; exit 1; }`,
      `mkdir -p ${q(L.shimDir)} ${q(L.lists)} && cp "$f" ${q(shimBin)}.part && chmod 0755 ${q(shimBin)}.part && mv -f ${q(shimBin)}.part ${q(shimBin)}`,
      `rm -rf "$t"`,
      `printf '%s\\n' ${q(shimBin)} > ${q(`${L.lists}/shim.list`)}`,
      writeStamp(shimStamp, A.shim.sha256 ?? 'NOT-PINNED'),
    ].join('\n'),
  });

  // 3. WasmEdge itself (CLI + library), for the process layer and for crun's WasmEdge handler.
  steps.push(uploadStep('wasmedge', A.wasmedge, stg(A.wasmedge), '0644'));
  const weStamp = `${L.stamps}/wasmedge`;
  const weList = `${L.lists}/wasmedge.list`;
  steps.push({
    id: 'wasmedge.install',
    title: `install WasmEdge ${c.versions.wasmedge} under ${L.wasmedge}`,
    kind: 'shell',
    check: `${stampIs(weStamp, A.wasmedge.sha256 ?? 'NOT-PINNED')} && [ -x ${q(`${L.wasmedge}/bin/wasmedge`)} ]`,
    run: [
      `t=$(mktemp -d)`,
      `tar -xzf ${q(stg(A.wasmedge))} -C "$t"`,
      `d=$(find "$t" -mindepth 1 -maxdepth 1 -type d | head -n 1)`,
      `[ -d "$d/bin" ] || { echo ${q(`no bin/ in ${basename(stg(A.wasmedge))}`)} >&2; rm -rf "$t"; exit 1; }`,
      `mkdir -p ${q(L.lists)} && : > ${q(weList)}.part`,
      `for sub in bin include lib lib64 plugin; do`,
      `  [ -d "$d/$sub" ] || continue`,
      `  case $sub in lib64) dst=lib ;; plugin) dst=lib/wasmedge ;; *) dst=$sub ;; esac`,
      `  (cd "$d/$sub" && find . -type f -o -type l) | while read -r f; do`,
      `    f=\${f#./}; to=${q(L.wasmedge)}/$dst/$f`,
      `    mkdir -p "$(dirname "$to")" && rm -f "$to" && cp -P "$d/$sub/$f" "$to" && printf '%s\\n' "$to" >> ${q(weList)}.part`,
      `  done`,
      `done`,
      `mv -f ${q(weList)}.part ${q(weList)}`,
      `rm -rf "$t"`,
      ...(c.root === '/' ? ['ldconfig'] : []),
      writeStamp(weStamp, A.wasmedge.sha256 ?? 'NOT-PINNED'),
    ].join('\n'),
  });

  // 4. WASI-NN ggml plugin (CUDA build on the gpu profile).
  if (ggml) {
    steps.push(uploadStep('wasi-nn-ggml', ggml, stg(ggml), '0644'));
    const pStamp = `${L.stamps}/wasi-nn-ggml`;
    const pList = `${L.lists}/wasi-nn-ggml.list`;
    const pluginDir = `${L.wasmedge}/lib/wasmedge`;
    steps.push({
      id: 'wasi-nn-ggml.install',
      title: `install ${ggml.name} into ${pluginDir}`,
      kind: 'shell',
      check: `${stampIs(pStamp, ggml.sha256 ?? 'NOT-PINNED')} && ls ${q(pluginDir)}/libwasmedgePluginWasiNN* >/dev/null 2>&1`,
      run: [
        `t=$(mktemp -d)`,
        `tar -xzf ${q(stg(ggml))} -C "$t"`,
        `mkdir -p ${q(pluginDir)} ${q(L.lists)} && : > ${q(pList)}.part`,
        `find "$t" -name '*.so*' \\( -type f -o -type l \\) | while read -r f; do to=${q(pluginDir)}/$(basename "$f"); rm -f "$to" && cp -P "$f" "$to" && printf '%s\\n' "$to" >> ${q(pList)}.part; done`,
        `[ -s ${q(pList)}.part ] || { echo ${q(`no plugin library in ${basename(stg(ggml))}`)} >&2; rm -rf "$t"; exit 1; }`,
        `mv -f ${q(pList)}.part ${q(pList)} && rm -rf "$t"`,
        writeStamp(pStamp, ggml.sha256 ?? 'NOT-PINNED'),
      ].join('\n'),
    });
  }

  // 5. Optional crun built with WasmEdge (K3s registers a "crun" runtime when it finds crun).
  if (crun) {
    const dest = `${L.bin}/crun`;
    steps.push(uploadStep('crun-wasmedge', crun, dest, '0755', `${L.lists}/crun.list`));
    steps.push({ id: 'crun.verify', title: 'crun reports +WASM:wasmedge', kind: 'verify', check: `${q(dest)} --version | grep -q '+WASM:wasmedge'`, run: '' });
  }

  // 6. K3s's own images, so K3s never pulls them (it imports agent/images/* at start).
  if (airgap) steps.push(uploadStep('k3s-airgap-images', airgap, `${L.agentImages}/${basename(new URL(airgap.url).pathname)}`, '0644'));

  // 7. K3s config file: what the density suite needs; SQLite datastore by default.
  const cfg = k3sConfigYaml(c);
  const cfgSha = contentSha(cfg);
  steps.push({ id: 'k3s.config', title: `write ${L.k3sConfig}`, kind: 'shell', check: fileHasSha(L.k3sConfig, cfgSha), run: writeFile(L.k3sConfig, cfg, '0600') });

  // 8. K3s binary and the pinned installer (no download by the installer: INSTALL_K3S_SKIP_DOWNLOAD).
  steps.push(uploadStep('k3s-binary', A.k3sBinary, k3s, '0755'));
  steps.push(uploadStep('k3s-installer', A.k3sInstaller, `${L.staging}/k3s-install-${c.versions.k3s}.sh`, '0755'));
  const startKey = [cfgSha, A.shim.sha256 ?? 'NOT-PINNED', crun?.sha256 ?? '-'].join(':');
  const installKey = `${A.k3sInstaller.sha256 ?? 'NOT-PINNED'}:${A.k3sBinary.sha256 ?? 'NOT-PINNED'}`;
  const service = facts.initSystem === 'openrc' ? under(c.root, '/etc/init.d/k3s') : `${L.systemdDir}/k3s.service`;
  steps.push({
    id: 'k3s.install',
    title: `run the K3s ${c.versions.k3s} installer (service k3s, server)`,
    kind: 'shell',
    check: `${stampIs(`${L.stamps}/k3s-install`, installKey)} && [ -x ${q(`${L.bin}/k3s-uninstall.sh`)} ] && [ -f ${q(service)} ]`,
    run: [
      `INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_VERSION=${q(c.versions.k3s)} INSTALL_K3S_BIN_DIR=${q(L.bin)} INSTALL_K3S_SYSTEMD_DIR=${q(L.systemdDir)} INSTALL_K3S_EXEC=server \\`,
      `  sh ${q(`${L.staging}/k3s-install-${c.versions.k3s}.sh`)}`,
      writeStamp(`${L.stamps}/k3s-install`, installKey),
      writeStamp(`${L.stamps}/k3s-started-with`, startKey),
    ].join('\n'),
  });
  const restart = facts.initSystem === 'openrc' ? 'rc-service k3s restart' : 'systemctl restart k3s';
  steps.push({
    id: 'k3s.restart',
    title: 'restart K3s if its config, shim or crun changed since it last started',
    kind: 'shell',
    check: stampIs(`${L.stamps}/k3s-started-with`, startKey),
    run: `${restart}\n${writeStamp(`${L.stamps}/k3s-started-with`, startKey)}`,
  });
  const nodeReady = `${kubectl} get nodes --no-headers 2>/dev/null | grep -q ' Ready '`;
  steps.push({
    id: 'k3s.ready',
    title: `wait for the node to be Ready (up to ${c.readyTimeoutS} s)`,
    kind: 'shell',
    check: nodeReady,
    run: `i=0\nuntil ${nodeReady}; do i=$((i+1)); [ $i -lt ${q(String(c.readyTimeoutS))} ] || { echo ${q(`node not Ready after ${c.readyTimeoutS} s`)} >&2; exit 1; }; sleep 1; done`,
  });
  steps.push({
    id: 'verify.wasmedge-runtime',
    title: 'K3s registered the wasmedge runtime (containerd config + RuntimeClass)',
    kind: 'verify',
    check: `grep -q containerd-shim-wasmedge-v1 ${q(L.containerdConfig)} && ${kubectl} get runtimeclass wasmedge -o name >/dev/null 2>&1`,
    run: '',
    retryS: 60,
  });
  steps.push({
    id: 'verify.wasmedge-cli',
    title: `wasmedge --version reports ${c.versions.wasmedge}`,
    kind: 'verify',
    check: `LD_LIBRARY_PATH=${q(`${L.wasmedge}/lib`)} ${q(`${L.wasmedge}/bin/wasmedge`)} --version | grep -qF ${q(c.versions.wasmedge)}`,
    run: '',
  });
  if (c.profile === 'gpu') {
    steps.push({ id: 'verify.nvidia-runtime', title: 'K3s registered the nvidia runtime', kind: 'verify', check: `grep -q nvidia-container-runtime ${q(L.containerdConfig)}`, run: '', retryS: 60 });
  }
  for (const label of c.k3s.nodeLabels) {
    steps.push({
      id: `k3s.label.${label.split('=')[0]}`,
      title: `label the node ${label}`,
      kind: 'shell',
      check: `${kubectl} get nodes -l ${q(label)} -o name | grep -q .`,
      run: `${kubectl} label nodes --all ${q(label)} --overwrite`,
    });
  }

  // 9. Preload the scratch images into K3s's containerd so no measurement includes a pull.
  for (const img of c.images) {
    const sha = sha256FileSync(img.file);
    const a: Artifact = { name: `image ${basename(img.file)}`, pinPath: 'local file', url: pathToFileURL(img.file).href, sha256: sha };
    // the file's name on the target: its digest plus a tame form of its name (no quoting surprises, no backslashes for sha256sum to escape)
    const dest = `${L.state}/images/${sha.slice(0, 12)}-${basename(img.file).replace(/[^A-Za-z0-9._+-]/g, '_')}`;
    const id = `image.${sha.slice(0, 12)}`;
    steps.push(fetchStep(id, a));
    steps.push(uploadStep(id, a, dest, '0644'));
    const stamp = `${L.stamps}/${id}`;
    const listed = img.ref ? ` && ${q(k3s)} ctr -n k8s.io images ls -q | grep -qxF -e ${q(img.ref)}` : '';
    steps.push({ id: `${id}.import`, title: `import ${basename(img.file)} into K3s's containerd (k8s.io)`, kind: 'shell', check: `${stampIs(stamp, sha)}${listed}`, run: `${q(k3s)} ctr -n k8s.io images import ${q(dest)}\n${writeStamp(stamp, sha)}` });
  }

  // 10. What was installed, for results and doctor.
  const state = JSON.stringify({ schema: 'edgebench/provision-state', profile: c.profile, versions: c.versions, arch, k3sConfigSha256: cfgSha, wasiNn: ggml?.name ?? null, images: c.images.map((i) => basename(i.file)) }, null, 2);
  steps.push({ id: 'state', title: `record what is installed in ${L.stateFile}`, kind: 'shell', check: fileHasSha(L.stateFile, contentSha(state)), run: writeFile(L.stateFile, state) });

  const unpinned = arts.map(([, a]) => a).filter((a) => a.sha256 == null);
  if (unpinned.length) notes.push(`a real run refuses: ${unpinned.length} artifact(s) without a pinned sha256 in ${cat.file}: ${unpinned.map((a) => (a.pinFile ? `${a.pinPath} (in ${a.pinFile})` : a.pinPath)).join(', ')}`);
  if (c.k3s.nodeCidrMaskSize !== null) notes.push(`node-cidr-mask-size /${c.k3s.nodeCidrMaskSize} and cluster-cidr apply only to a node that registers fresh (k3s issue #10442)`);
  const title = `provision k3s — profile ${c.profile}; K3s ${c.versions.k3s}, WasmEdge ${c.versions.wasmedge}, shim ${c.versions.shim}; linux/${arch}; root ${c.root}`;
  // All fetches first: the controller verifies every artifact before the target sees a change.
  const ordered = [...steps.filter((s) => s.kind === 'fetch'), ...steps.filter((s) => s.kind !== 'fetch')];
  return { title, preamble: preamble(c.root), steps: ordered, notes, unpinned };
}

/** Plans `teardown`: undoes provisioning; every step is a no-op when its part is already gone. */
export function planTeardown(root: string): Plan {
  const L = layout(root);
  const steps: Step[] = [
    {
      id: 'k3s.uninstall',
      title: 'stop and uninstall K3s (its own k3s-uninstall.sh)',
      kind: 'shell',
      check: `[ ! -e ${q(`${L.bin}/k3s`)} ] && [ ! -e ${q(`${L.bin}/k3s-uninstall.sh`)} ]`,
      run: `if [ -x ${q(`${L.bin}/k3s-uninstall.sh`)} ]; then ${q(`${L.bin}/k3s-uninstall.sh`)}; fi\nrm -f ${q(`${L.bin}/k3s`)}`,
    },
    {
      id: 'files.remove',
      title: `remove the files edgebench installed (lists in ${L.lists})`,
      kind: 'shell',
      check: `! ls ${q(L.lists)}/*.list >/dev/null 2>&1`,
      run: [
        `for l in ${q(L.lists)}/*.list; do`,
        `  [ -f "$l" ] || continue`,
        `  while read -r f; do`,
        `    rm -f "$f"; d=$(dirname "$f")`,
        `    while case "$d" in */wasmedge|*/wasmedge/*) true ;; *) false ;; esac && rmdir "$d" 2>/dev/null; do d=$(dirname "$d"); done`,
        `  done < "$l"`,
        `  rm -f "$l"`,
        `done`,
      ].join('\n'),
    },
    { id: 'k3s.config.remove', title: `remove ${L.k3sConfig}`, kind: 'shell', check: `[ ! -e ${q(L.k3sConfig)} ]`, run: `rm -f ${q(L.k3sConfig)}` },
    { id: 'state.remove', title: `remove ${L.state}`, kind: 'shell', check: `[ ! -e ${q(L.state)} ]`, run: `rm -rf ${q(L.state)}` },
  ];
  return { title: `teardown — root ${root}`, preamble: preamble(root), steps, notes: [], unpinned: [] };
}
