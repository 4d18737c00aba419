/** The provision/teardown commands as a user runs them: exit codes, one-line refusals, the matrix. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPath } from '../../src/util/paths.js';
import { fakeArtifacts, prepareRoot, serve, writeCatalogue } from './fakes.js';

const MAIN = repoPath('dist', 'src', 'cli', 'main.js');
let work: string;
let srv: Awaited<ReturnType<typeof serve>>;

async function cli(...args: string[]) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: run npm run build first`);
  return execa('node', [MAIN, ...args], { reject: false, env: { XDG_CACHE_HOME: join(work, 'xdg') } });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'eb-prov-cli-'));
  // two K3s versions × one WasmEdge for the matrix
  const a = fakeArtifacts('v1.31.2+k3s1');
  srv = await serve(a);
  writeCatalogue(join(work, 'catalogue.yaml'), srv.base, a);
  const text = readFileSync(join(work, 'catalogue.yaml'), 'utf8');
  // a second K3s version entry pointing at the same fake files
  writeFileSync(join(work, 'catalogue.yaml'), text.replace(/^k3s:\n/m, (m) => m + text.match(/^k3s:\n((?: {2}.*\n)+)/m)![1]!.replace('v1.31.2+k3s1', 'v1.30.6+k3s1')));
});
afterAll(async () => {
  await srv.close();
  rmSync(work, { recursive: true, force: true });
});

/** The error line: exactly one, the last on stderr (progress lines "provision: …" may precede it). */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  const errors = lines.filter((l) => !l.startsWith('provision: '));
  expect(errors).toHaveLength(1);
  expect(lines.at(-1)).toBe(errors[0]);
  return errors[0]!;
}

describe('edgebench provision / teardown (CLI)', () => {
  it('unknown version: exit 2, one line, nothing probed', async () => {
    const r = await cli('provision', 'k3s', '--k3s', 'v9.9.9+k3s1', '--dry-run');
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^edgebench: requested: unknown K3s version "v9\.9\.9\+k3s1" \(catalogue .*provision\/catalogue\.yaml lists: v1\.31\.2\+k3s1, v1\.30\.6\+k3s1\)$/);
  });

  it('bad profile and bad subcommand: exit 2, one line', async () => {
    const r = await cli('provision', 'k3s', '--profile', 'huge');
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)).toBe('edgebench: --profile: "huge" is not one of plain, density-3000, gpu');
    const s = await cli('provision', 'k8s');
    expect(s.exitCode).toBe(2);
    expect(oneLine(s.stderr)).toBe('edgebench: provision: expected one of "k3s", "matrix", "pin" (got "k8s")');
  });

  it('the shipped catalogue: dry-run prints the plan, a real run refuses (no pinned checksums), exit 2', async () => {
    const root = join(work, 'shipped');
    mkdirSync(root);
    prepareRoot(root);
    const d = await cli('provision', 'k3s', '--dry-run', '--root', root, '--profile', 'density-3000');
    expect(d.exitCode).toBe(0);
    expect(d.stdout).toContain('- max-pods=3000');
    expect(d.stdout).toMatch(/note: a real run refuses: 4 artifact\(s\) without a pinned sha256/);
    const r = await cli('provision', 'k3s', '--root', root);
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^edgebench: refusing to provision: K3s v1\.31\.2\+k3s1 install\.sh has no pinned sha256 \(k3s\.v1\.31\.2\+k3s1\.installer in .*\) \(and 3 more: .*\) — download https:\/\/raw\.githubusercontent\.com\/k3s-io\/k3s\/v1\.31\.2%2Bk3s1\/install\.sh on a trusted machine/);
    expect(existsSync(join(root, 'usr/local'))).toBe(false);
  });

  it('checksum mismatch through the CLI: exit 2, one line, nothing on the target', async () => {
    const root = join(work, 'mismatch');
    mkdirSync(root);
    prepareRoot(root);
    const cat = join(work, 'bad-catalogue.yaml');
    writeFileSync(cat, readFileSync(join(work, 'catalogue.yaml'), 'utf8').replace(/(wasmedge\/WasmEdge-0\.14\.1\.tar\.gz\n\s+sha256: )[0-9a-f]{64}/, `$1${'a'.repeat(64)}`));
    const r = await cli('provision', 'k3s', '--root', root, '--catalogue', cat);
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^edgebench: sha256 mismatch for WasmEdge 0\.14\.1 \(linux\/amd64\) from http:\/\/127\.0\.0\.1:\d+\/wasmedge\/WasmEdge-0\.14\.1\.tar\.gz: expected a{64}, got [0-9a-f]{64} — nothing was changed on the target$/);
    expect(existsSync(join(root, 'usr/local'))).toBe(false);
    expect(existsSync(join(root, 'etc'))).toBe(false);
  });

  it('SIGINT during a download: exit 130, no partial file left in the cache, nothing on the target', async () => {
    const root = join(work, 'sigint');
    mkdirSync(root);
    prepareRoot(root);
    // a server that sends half of the K3s binary and then stalls
    const stall = createServer((req, res) => {
      if (req.url === '/k3s/k3s') {
        res.writeHead(200, { 'content-length': 1_000_000 });
        res.write(Buffer.alloc(500_000));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
    const cat = join(work, 'stall-catalogue.yaml');
    writeFileSync(cat, readFileSync(join(work, 'catalogue.yaml'), 'utf8').replace(/http:\/\/127\.0\.0\.1:\d+\/k3s\/k3s\n/g, `http://127.0.0.1:${(stall.address() as AddressInfo).port}/k3s/k3s\n`));
    const cache = join(work, 'sigint-xdg');
    const p = execa('node', [MAIN, 'provision', 'k3s', '--root', root, '--catalogue', cat], { reject: false, env: { XDG_CACHE_HOME: cache } });
    const artifacts = join(cache, 'edgebench', 'artifacts');
    for (let i = 0; i < 2000 && !(existsSync(artifacts) && readdirSync(artifacts).some((f) => f.startsWith('.part-'))); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(artifacts).some((f) => f.startsWith('.part-'))).toBe(true); // the download is under way
    p.kill('SIGINT');
    const r = await p;
    stall.closeAllConnections();
    stall.close();
    expect(r.exitCode).toBe(130);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('provision: interrupted; completed steps stay done — rerun to continue');
    expect(readdirSync(artifacts).filter((f) => f.startsWith('.part-'))).toEqual([]);
    expect(existsSync(join(root, 'usr/local'))).toBe(false);
  }, 150_000);

  it('matrix: installs each version set in turn, runs --each with its versions, tears down at the end', async () => {
    const root = join(work, 'matrix');
    mkdirSync(root);
    prepareRoot(root);
    const cfg = join(work, 'matrix.yaml');
    writeFileSync(cfg, 'matrix:\n  - { k3s: v1.31.2+k3s1 }\n  - { k3s: v1.30.6+k3s1, wasmedge: 0.14.1 }\n');
    const seen = join(work, 'seen.txt');
    const r = await cli('provision', 'matrix', '--config', cfg, '--root', root, '--catalogue', join(work, 'catalogue.yaml'), '--each', `echo "$EDGEBENCH_MATRIX_INDEX $EDGEBENCH_K3S $(grep -c "\\"k3s\\": \\"$EDGEBENCH_K3S\\"" ${root}/var/lib/edgebench/provision/state.json)" >> ${seen}`);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(seen, 'utf8')).toBe('1 v1.31.2+k3s1 1\n2 v1.30.6+k3s1 1\n');
    expect(existsSync(join(root, 'usr/local/bin/k3s'))).toBe(false);
    expect(r.stdout).toMatch(/# matrix entry 2\/2: K3s v1\.30\.6\+k3s1, WasmEdge 0\.14\.1, shim 0\.4\.0/);
  });

  it('matrix: a failing --each does not stop the others or the final teardown, and the command exits 1 naming the failed entries', async () => {
    const root = join(work, 'matrix-fail');
    mkdirSync(root);
    prepareRoot(root);
    const cfg = join(work, 'matrix-fail.yaml');
    writeFileSync(cfg, 'matrix:\n  - { k3s: v1.31.2+k3s1 }\n  - { k3s: v1.30.6+k3s1 }\n  - { k3s: v1.31.2+k3s1 }\n');
    const seen = join(work, 'seen-fail.txt');
    const r = await cli('provision', 'matrix', '--config', cfg, '--root', root, '--catalogue', join(work, 'catalogue.yaml'), '--each', `echo "$EDGEBENCH_MATRIX_INDEX" >> ${seen}; [ "$EDGEBENCH_MATRIX_INDEX" = 2 ] || exit 7`);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(readFileSync(seen, 'utf8')).toBe('1\n2\n3\n'); // every entry ran
    expect(existsSync(join(root, 'usr/local/bin/k3s'))).toBe(false); // and the box was torn down at the end
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('provision matrix: entry '))).toEqual(['provision matrix: entry 1: --each exited 7', 'provision matrix: entry 3: --each exited 7']);
    expect(lines.at(-1)).toBe('provision matrix: --each failed for 2 of 3 entries: 1 (K3s v1.31.2+k3s1, WasmEdge 0.14.1, shim 0.4.0: exited 7); 3 (K3s v1.31.2+k3s1, WasmEdge 0.14.1, shim 0.4.0: exited 7)');
  });

  it('a --host starting with "-" (an ssh option) is refused: exit 2, one line, ssh never runs', async () => {
    const r = await cli('provision', 'k3s', '--host=-oProxyCommand=touch /tmp/eb-pwned', '--dry-run');
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)).toBe('edgebench: --host "-oProxyCommand=touch /tmp/eb-pwned": the host may not start with "-" (ssh would read it as an option)');
  });
});
