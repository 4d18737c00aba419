/** `edgebench provision k3s|matrix`: install pinned, verified K3s + WasmEdge (+ GPU plugin) on a host, idempotently. */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { execa } from 'execa';
import { defaultCataloguePath, loadCatalogue } from '../../provision/catalogue.js';
import { matrixOf, readConfigFile } from '../../provision/config.js';
import { interruptible, provision, teardown, type ProvisionRequest } from '../../provision/session.js';
import { COMPONENTS, pin, type Component } from '../../provision/pin.js';
import { ARCHES, PROFILES, type Arch } from '../../provision/types.js';
import { UserError } from '../../util/errors.js';
import { choiceFlag, intFlag, listFlag, parse } from '../args.js';
import { EXIT, type Command } from '../command.js';

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  identity: { type: 'string' },
  'ssh-option': { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  profile: { type: 'string' },
  config: { type: 'string' },
  catalogue: { type: 'string' },
  root: { type: 'string' },
  cache: { type: 'string' },
  k3s: { type: 'string' },
  wasmedge: { type: 'string' },
  shim: { type: 'string' },
  each: { type: 'string' },
} as const;

const PIN_FLAGS = {
  component: { type: 'string' },
  version: { type: 'string' },
  arch: { type: 'string' },
  part: { type: 'string' },
  catalogue: { type: 'string' },
  mirror: { type: 'string' },
  checksums: { type: 'string' },
  'no-download': { type: 'boolean' },
  yes: { type: 'boolean' },
} as const;

const USAGE = `edgebench provision k3s [--host user@h] [--dry-run] [--profile plain|density-3000|gpu] [--config FILE]
                         [--k3s V] [--wasmedge V] [--shim V] [--catalogue FILE] [--root DIR] [--cache DIR]
                         [--port N] [--identity KEY] [--ssh-option K=V]...
edgebench provision matrix --config FILE [--each "COMMAND"] [--dry-run] [same target flags]
edgebench provision pin --component k3s|wasmedge|shim --version V [--arch amd64,arm64] [--part P,...]
                        [--catalogue FILE] [--mirror URL] [--checksums URL] [--no-download] [--yes]

  k3s     install the pinned K3s, WasmEdge, containerd-shim-wasmedge-v1 (+ WASI-NN plugin on --profile gpu),
          write /etc/rancher/k3s/config.yaml, preload images; every step is checked first and skipped when done
  matrix  for each entry of the config file's "matrix" list: tear down, provision that version set, run
          --each (env EDGEBENCH_K3S, EDGEBENCH_WASMEDGE, EDGEBENCH_SHIM, EDGEBENCH_MATRIX_INDEX); tear down at the end
          (an entry whose --each fails: the others still run; then exit 1 with a line naming the failed entries)
  pin     fill the sha256s of one catalogue version from the checksum files the project publishes with
          the release (K3s sha256sum-<arch>.txt, WasmEdge SHA256SUM, runwasi SHA256SUMS), after downloading each
          artifact and checking its bytes match; where none is published (K3s install.sh, older runwasi releases)
          the sha256 of your own download is shown and written only with --yes (or a "y" on a terminal).
          Each entry gets a source: note; the catalogue is rewritten atomically, comments kept; a mismatch or an
          asset missing from the checksum file writes nothing (exit 1)
  --part        k3s: installer, binary, airgapImages; wasmedge: runtime, wasiNnGgml, wasiNnGgmlCuda (default: all)
  --mirror URL  fetch https://github.com/… and https://raw.githubusercontent.com/… paths from URL instead
  --checksums URL  use this sha256sum-format file for every selected artifact instead of the project's
  --no-download pin from the checksum file alone (e.g. airgap images; the bytes are checked at provisioning)
  --dry-run     print the exact plan (probes the host read-only; changes nothing)
  --root DIR    install under DIR instead of / (tests, image building)
  --catalogue   a catalogue with your pinned sha256s (default: provision/catalogue.yaml)`;

function request(v: Record<string, unknown>): ProvisionRequest {
  const s = (k: string): string | undefined => v[k] as string | undefined;
  const profile = s('profile') === undefined ? undefined : choiceFlag('profile', s('profile'), PROFILES, 'plain');
  return {
    host: s('host'),
    port: s('port') === undefined ? undefined : intFlag('port', s('port'), 22, 1, 65535),
    identity: s('identity'),
    sshOptions: v['ssh-option'] as string[] | undefined,
    profile,
    configFile: s('config'),
    catalogueFile: s('catalogue'),
    root: s('root'),
    cacheDir: s('cache') ? resolve(s('cache')!) : undefined,
    versions: { ...(s('k3s') ? { k3s: s('k3s')! } : {}), ...(s('wasmedge') ? { wasmedge: s('wasmedge')! } : {}), ...(s('shim') ? { shim: s('shim')! } : {}) },
  };
}

const log = (l: string): void => void process.stderr.write(`provision: ${l}\n`);
const out = (s: string): void => void process.stdout.write(s);

function summary(what: string, outcomes: { status: string }[]): string {
  const changed = outcomes.filter((o) => o.status === 'changed').length;
  const already = outcomes.filter((o) => o.status === 'done-already').length;
  const verified = outcomes.filter((o) => o.status === 'verified').length;
  return `${what}: ${outcomes.length} steps — ${changed} changed, ${already} already done, ${verified} verified\n`;
}

async function runMatrix(v: Record<string, unknown>, req: ProvisionRequest, dryRun: boolean): Promise<number> {
  if (!req.configFile) throw new UserError('provision matrix: --config FILE with a "matrix" list is required');
  const cat = loadCatalogue(req.catalogueFile ? resolve(req.catalogueFile) : undefined);
  const entries = matrixOf(cat, readConfigFile(resolve(req.configFile)));
  const each = v['each'] as string | undefined;
  const failed: string[] = [];
  for (const [i, versions] of entries.entries()) {
    process.stdout.write(`# matrix entry ${i + 1}/${entries.length}: K3s ${versions.k3s}, WasmEdge ${versions.wasmedge}, shim ${versions.shim}\n`);
    if (dryRun) {
      await teardown(req, { dryRun: true, out });
      await provision({ ...req, versions }, { dryRun: true, out });
      if (each) out(`# then run: ${each}\n`);
      continue;
    }
    process.stdout.write(summary('teardown', (await teardown(req, { dryRun: false, log })).outcomes ?? []));
    process.stdout.write(summary('provision', (await provision({ ...req, versions }, { dryRun: false, log })).outcomes ?? []));
    if (each) {
      const env = { EDGEBENCH_K3S: versions.k3s, EDGEBENCH_WASMEDGE: versions.wasmedge, EDGEBENCH_SHIM: versions.shim, EDGEBENCH_MATRIX_INDEX: String(i + 1) };
      const r = await execa('sh', ['-c', each], { env, stdio: 'inherit', reject: false });
      if (r.exitCode !== 0) {
        // Keep going: the other entries still run, and the box is torn down at the end.
        const how = r.exitCode !== undefined ? `exited ${r.exitCode}` : r.signal ? `was killed by ${r.signal}` : `could not run (${r.shortMessage})`;
        process.stderr.write(`provision matrix: entry ${i + 1}: --each ${how}\n`);
        failed.push(`${i + 1} (K3s ${versions.k3s}, WasmEdge ${versions.wasmedge}, shim ${versions.shim}: ${how})`);
      }
    }
  }
  if (!dryRun) process.stdout.write(summary('teardown', (await teardown(req, { dryRun: false, log })).outcomes ?? []));
  if (failed.length) {
    process.stderr.write(`provision matrix: --each failed for ${failed.length} of ${entries.length} entries: ${failed.join('; ')}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

async function askYes(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

async function runPin(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse('provision pin', argv, PIN_FLAGS, true);
  if (positionals.length) throw new UserError(`provision pin: unexpected argument "${positionals.join(' ')}"`);
  if (v.component === undefined) throw new UserError(`provision pin: --component is required (one of ${COMPONENTS.join(', ')})`);
  const component = choiceFlag('component', v.component, COMPONENTS, 'k3s') as Component;
  if (!v.version) throw new UserError('provision pin: --version is required');
  const arches = v.arch === undefined ? undefined : listFlag(v.arch, []).map((a) => choiceFlag('arch', a, ARCHES, 'amd64') as Arch);
  const parts = v.part === undefined ? undefined : listFlag(v.part, []);
  for (const [flag, url] of [['mirror', v.mirror], ['checksums', v.checksums]] as const) {
    if (url !== undefined && !/^(https?|file):\/\/./.test(url)) throw new UserError(`--${flag}: "${url}" is not an http(s):// or file:// URL`);
  }
  const catalogueFile = v.catalogue ? resolve(v.catalogue) : defaultCataloguePath();
  const results = await pin({
    catalogueFile,
    component,
    version: v.version,
    arches,
    parts,
    mirror: v.mirror,
    checksums: v.checksums,
    noDownload: v['no-download'] === true,
    yes: v.yes === true,
    confirm: askYes,
    log: (l) => void process.stderr.write(`provision pin: ${l}\n`),
  });
  for (const r of results) out(`${r.pinPath}  ${r.sha256}  ${r.changed ? 'pinned' : 'already pinned'} — ${r.source}\n`);
  const changed = results.filter((r) => r.changed).length;
  out(changed ? `wrote ${changed} sha256(s) to ${catalogueFile}\n` : `nothing to change in ${catalogueFile}\n`);
  return EXIT.ok;
}

export const provisionCommand: Command = {
  name: 'provision',
  summary: 'install pinned, checksum-verified K3s + WasmEdge (+ GPU plugin) on this host or over ssh',
  usage: USAGE,
  examples: ['edgebench provision k3s --host ubuntu@edge-1 --profile density-3000 --dry-run'],
  async run(argv) {
    if (argv[0] === 'pin') return runPin(argv.slice(1));
    const { values, positionals } = parse('provision', argv, FLAGS, true);
    const sub = positionals[0];
    if (positionals.length !== 1 || (sub !== 'k3s' && sub !== 'matrix')) throw new UserError(`provision: expected one of "k3s", "matrix", "pin" (got ${positionals.length ? `"${positionals.join(' ')}"` : 'nothing'})`);
    const req = request(values);
    const dryRun = values['dry-run'] === true;
    if (sub === 'matrix') return interruptible('provision matrix', () => runMatrix(values, req, dryRun));
    if (values.each) throw new UserError('provision k3s: --each belongs to `provision matrix`');
    const r = await interruptible('provision', () => provision(req, { dryRun, log, out }));
    if (r.outcomes) process.stdout.write(summary('provision', r.outcomes));
    return 0;
  },
};
