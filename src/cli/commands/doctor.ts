/** `edgebench doctor`: which layers, runtimes and tools are present here, with versions; how to get what is missing. */
import { listBuilds, runtimeCacheDir, type RuntimeBuild } from '../../env/runtime-builds.js';
import { fingerprintTool, which } from '../../env/tools.js';
import { hostFingerprint } from '../../env/host.js';
import { LAYERS } from '../../result/types.js';
import { layersWith, type DoctorRow } from '../../targets/layers.js';
import { targetOptionsText } from '../../targets/options-help.js';
import { createTarget, runtimesOf } from '../../targets/registry.js';
import { textTable, type TableLayout } from '../../output/format.js';
import { wrapText } from '../../output/wrap.js';
import { terminalWidth } from '../../output/terminal.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { runKubeDoctor } from './doctor-kube.js';

/** One line of the doctor's report. */
export interface DoctorEntry extends DoctorRow {
  /** For kind "build": the build's record (runtime, version, variant, binary sha256, linked libraries, AOT, …). */
  build?: RuntimeBuild & { select: string[] };
}

/** How a build is chosen on the command line. */
export function selectorsOf(b: RuntimeBuild): string[] {
  if (b.runtime === 'wasmedge') return b.variant === 'llvm' ? [`wasmedge@${b.version}/llvm`, `wasmedge-aot@${b.version}`] : [`wasmedge@${b.version}`];
  if (b.runtime === 'iwasm') return [`iwasm@${b.version}`];
  if (b.runtime === 'crun') return ['crun-wasm (oci)', `crun-wasm@WASMEDGE_VERSION (oci; default ${b.wasmedgeBuild ?? '?'})`];
  return [];
}

/** One doctor entry per build of scripts/build-runtimes.sh in the cache. */
export function buildEntries(builds = listBuilds()): DoctorEntry[] {
  return builds.map((b) => ({
    kind: 'build',
    layer: b.runtime === 'crun' ? 'oci' : 'process',
    name: b.name,
    present: true,
    version: b.reportedVersion,
    path: b.binary,
    detail: `${b.runtime} ${b.version} ${b.variant}${b.aot ? ', AOT' : ''}; sha256 ${b.binarySha256.slice(0, 12)}; links ${b.linkedLibraries.join(' ') || '-'}; select: ${selectorsOf(b).join(', ')}`,
    build: { ...b, select: selectorsOf(b) },
  }));
}

/** Helper tools the harness uses besides runtimes. */
const TOOLS: { name: string; layer: string; purpose: string; howToGet: string; versionArgs?: string[] }[] = [
  { name: 'hyperfine', layer: 'bench', purpose: 'reference timer for bench/harness-overhead', howToGet: 'apt-get install hyperfine' },
  { name: 'clang-14', layer: 'fixtures', purpose: 'rebuilds wasm fixtures', howToGet: 'apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32' },
  { name: 'cc', layer: 'process', purpose: 'builds the eb-launch timer at install', howToGet: 'apt-get install gcc' },
];

/** Probes every registered target of every layer and the helper tools. */
export async function doctorEntries(): Promise<DoctorEntry[]> {
  const entries: DoctorEntry[] = [];
  for (const layer of LAYERS) {
    for (const runtime of runtimesOf(layer)) {
      const t = createTarget(layer, runtime);
      const a = await t.probe();
      const tool = a.available ? a.tools[0] : undefined;
      entries.push({
        kind: 'runtime',
        layer,
        name: runtime,
        present: a.available,
        version: tool?.version ?? null,
        path: tool?.path ?? null,
        detail: a.available
          ? [tool?.build?.notes, ...(a.notes ?? [])].filter(Boolean).join('; ') || t.description
          : `${a.reason}${a.howToGet ? ` — ${a.howToGet}` : ''}`,
      });
    }
  }
  for (const t of TOOLS) {
    const bin = which(t.name);
    const fp = bin ? await fingerprintTool(t.name, bin, t.versionArgs ? { versionArgs: t.versionArgs } : {}) : null;
    entries.push({ kind: 'tool', layer: t.layer, name: t.name, present: !!bin, version: fp?.version ?? null, path: bin, detail: bin ? t.purpose : `missing — ${t.howToGet}` });
  }
  const builds = buildEntries();
  entries.push(...builds);
  if (builds.length === 0) entries.push({ kind: 'build', layer: 'process', name: 'runtime builds', present: false, version: null, path: runtimeCacheDir(), detail: `none in ${runtimeCacheDir()} — bash scripts/build-runtimes.sh build (WasmEdge, iwasm, crun+WasmEdge from shared/vendor, offline)` });
  for (const { hook } of layersWith('doctorRows')) entries.push(...(await hook()));
  return entries;
}

/** How the doctor's table fits a narrow terminal: versions cut at the start, long details as footnotes. */
const DOCTOR_LAYOUT: TableLayout = { version: { cut: { min: 10, at: 'start' } }, 'detail / how to get': { footnote: { minLength: 24, when: 'narrow' } }, kind: { drop: 1 } };

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'show which layers, runtimes and tools are present',
  usage: 'edgebench doctor [--json] [--options] [--kube [--kubeconfig F] [--context C] [--target 3000]]\n  --options  each target\'s --opt keys (type, default, variable, help) instead of probing',
  examples: ['edgebench doctor --kube --target 3000'],
  async run(argv) {
    const { values } = parse('doctor', argv, { json: { type: 'boolean' }, options: { type: 'boolean' }, kube: { type: 'boolean' }, kubeconfig: { type: 'string' }, context: { type: 'string' }, target: { type: 'string' } });
    if (values.kube) return runKubeDoctor(values);
    if (values.options) {
      process.stdout.write(`target options (--opt KEY=VALUE; a plan's runtime options):\n${targetOptionsText('  ', terminalWidth(), wrapText)}\n`);
      return 0;
    }
    const entries = await doctorEntries();
    if (values.json) {
      process.stdout.write(JSON.stringify({ host: hostFingerprint(), entries }, null, 2) + '\n');
      return 0;
    }
    const h = hostFingerprint();
    const host = `host: ${h.cpuModel}, ${h.cores} cores, ${(h.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${h.os}, ${h.kernel}, cgroup ${h.cgroup}, node ${h.nodeVersion}`;
    process.stdout.write(wrapText(host, terminalWidth(), 2).join('\n') + '\n\n');
    const rows = entries.map((e) => [e.layer, e.kind, e.name, e.present ? 'yes' : 'no', e.version ?? '-', e.detail]);
    process.stdout.write(textTable(['layer', 'kind', 'name', 'present', 'version', 'detail / how to get'], rows, { layout: DOCTOR_LAYOUT }) + '\n');
    return 0;
  },
};
