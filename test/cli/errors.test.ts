import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'eb-err-'));
const notExec = join(tmp, 'data.txt');
writeFileSync(notExec, 'just text\n');
const corrupt = join(tmp, 'corrupt.json');
writeFileSync(corrupt, '{"schema": "edgebench/result", "schemaVer');

const cases: [string, string[], RegExp][] = [
  ['unknown flag', ['run', 'cold-start', '--sampels', '5'], /^edgebench: run: Unknown option '--sampels'/],
  ['bad number', ['run', 'cold-start', '--samples', 'ten'], /^edgebench: --samples: "ten" is not a whole number$/],
  ['zero samples', ['run', 'cold-start', '--samples', '0'], /^edgebench: --samples: 0 is outside 1\.\./],
  ['bad ratio', ['run', 'cold-start', '--max-failure-ratio', '2'], /^edgebench: --max-failure-ratio: 2 is outside 0\.\.1$/],
  ['unknown suite', ['run', 'warp-speed'], /^edgebench: run: unknown suite "warp-speed" \(known: cold-start/],
  ['unknown runtime', ['run', 'cold-start', '--runtime', 'wasmfoo'], /^edgebench: unknown runtime "wasmfoo" for layer process \(known: native, node-wasi/],
  ['unknown layer', ['run', 'cold-start', '--layer', 'moon'], /^edgebench: --layer: "moon" is not one of embedded, process, oci, cri, kube$/],
  ['unknown fixture', ['run', 'cold-start', '--runtime', 'native', '--fixture', 'nope'], /^edgebench: unknown fixture "nope" \(fixtures: noop, hello/],
  ['missing workload file', ['run', 'cold-start', '--runtime', 'native', '--fixture', '/no/such.wasm'], /^edgebench: workload \/no\/such\.wasm: no such file$/],
  ['neither wasm nor executable', ['run', 'cold-start', '--runtime', 'native', '--fixture', notExec], /neither a Wasm module \(\\0asm\) nor an ELF executable$/],
  ['missing result file', ['report', join(tmp, 'absent.json')], /no such file or folder$/],
  ['corrupt result file', ['report', corrupt], /corrupt\.json: not a result file: invalid JSON .*truncated\?$/],
  ['bad report format', ['report', corrupt, '--format', 'pdf'], /^edgebench: --format: "pdf" is not one of md, json, text$/],
  ['unknown command', ['frobnicate'], /^edgebench: unknown command "frobnicate"/],
];

describe('bad input', () => {
  it.each(cases)('%s: one line naming the problem, exit 2, no stack trace', async (_name, args, pattern) => {
    const r = await runCli(args[0] === 'run' ? [...args, '--out', tmp] : args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
