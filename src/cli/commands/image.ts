/** `edgebench image build FIXTURE... --out DIR`: deterministic scratch OCI images, optionally loaded into docker or containerd. */
import { existsSync } from 'node:fs';
import { isFixtureName, resolveWorkload, workloadFromPath } from '../../fixtures/workload.js';
import { buildImage, type BuiltImage } from '../../image/build.js';
import { containerdUnavailable, dockerUnavailable, loadIntoContainerd, loadIntoDocker } from '../../image/load.js';
import type { Workload } from '../../result/types.js';
import { textTable } from '../../output/format.js';
import { UserError } from '../../util/errors.js';
import { choiceFlag, listFlag, parse } from '../args.js';
import { EXIT, type Command } from '../command.js';

const USAGE = `edgebench image build FIXTURE... --out DIR [--kind wasm|native|wasm,native] [--name REPO] [--tag TAG]
                           [--load docker|containerd] [--json]
  FIXTURE   a fixture name ({FIXTURES}) or a path to a .wasm module / executable
  --kind    which build of a fixture name to image (default wasm); a path's kind is read from its magic bytes
  --name    repository name (one image only; default edgebench/<fixture>-<kind>)
  --tag     tag (default: the first 12 hex digits of the manifest digest)
  --load    after building, load the tar into docker (docker load) or containerd (ctr images import, namespace edgebench)
Writes DIR/<name>_<tag>/ (OCI image layout) and DIR/<name>_<tag>.tar (OCI layout + Docker manifest.json).
The same input always gives the same digest.`;

/** Resolves the workloads named on the command line, every one before anything is built. */
function workloadsFor(specs: string[], kinds: ('wasm' | 'native')[]): Workload[] {
  const out: Workload[] = [];
  for (const spec of specs) {
    if (isFixtureName(spec)) for (const k of kinds) out.push(resolveWorkload(spec, k));
    else if (existsSync(spec)) out.push(workloadFromPath(spec));
    else out.push(resolveWorkload(spec, kinds[0] ?? 'wasm'));
  }
  return out;
}

/** Formats bytes as an exact count with a kB/MB reading. */
function bytes(n: number): string {
  return n >= 1_000_000 ? `${n} (${(n / 1e6).toFixed(2)} MB)` : n >= 1000 ? `${n} (${(n / 1e3).toFixed(1)} kB)` : `${n}`;
}

export const imageCommand: Command = {
  name: 'image',
  summary: 'build deterministic scratch OCI images from fixtures',
  usage: USAGE,
  examples: ['edgebench image build hello --out images --kind wasm,native'],
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'build') throw new UserError(sub ? `image: unknown subcommand "${sub}" (known: build)` : 'image: name a subcommand (build)');
    const { values, positionals } = parse(
      'image build',
      rest,
      { out: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, tag: { type: 'string' }, load: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length === 0) throw new UserError('image build: name a fixture or a file');
    if (!values.out) throw new UserError('image build: --out DIR is required');
    const kinds = listFlag(values.kind, ['wasm']).map((k) => choiceFlag('kind', k, ['wasm', 'native'] as const, 'wasm'));
    const load = values.load === undefined ? null : choiceFlag('load', values.load, ['docker', 'containerd'] as const, 'docker');
    const workloads = workloadsFor(positionals, kinds);
    if (values.name !== undefined && workloads.length !== 1) throw new UserError(`image build: --name names one image, but ${workloads.length} would be built`);
    if (load) {
      const why = load === 'docker' ? await dockerUnavailable() : await containerdUnavailable();
      if (why) throw new UserError(`image build --load ${load}: ${why}`);
    }
    const built: BuiltImage[] = [];
    for (const w of workloads) {
      const opts: Parameters<typeof buildImage>[0] = { workload: w, outDir: values.out };
      if (values.name !== undefined) opts.name = values.name;
      if (values.tag !== undefined) opts.tag = values.tag;
      built.push(buildImage(opts));
    }
    const loaded: string[] = [];
    for (const img of built) {
      if (load === 'docker') loaded.push(await loadIntoDocker(img));
      else if (load === 'containerd') loaded.push(await loadIntoContainerd(img));
    }
    if (values.json) {
      process.stdout.write(JSON.stringify(built, null, 2) + '\n');
      return EXIT.ok;
    }
    const rows = built.map((b) => [b.reference, `${b.platform.os}/${b.platform.architecture}`, b.digest, bytes(b.sizes.layer), String(b.sizes.config), String(b.sizes.manifest), bytes(b.sizes.total)]);
    process.stdout.write(textTable(['image', 'platform', 'manifest digest', 'layer (gz)', 'config', 'manifest', 'total'], rows) + '\n');
    for (const b of built) process.stdout.write(`${b.reference}: ${b.layoutDir}/ and ${b.tarPath}\n`);
    if (loaded.length) process.stdout.write(`loaded into ${load}: ${loaded.join(', ')}\n`);
    return EXIT.ok;
  },
};
