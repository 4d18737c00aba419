/** `node-wasi`: a fresh `node` process running the module with Node's built-in WASI. */
import { fingerprintTool } from '../../env/tools.js';
import { repoPath } from '../../util/paths.js';
import { binOption } from '../options.js';
import { registerTarget } from '../registry.js';
import type { Target } from '../target.js';
import { commandRuntime } from './command-runtime.js';

/** Path of the compiled runner (dist/…); vitest runs from src so the built copy is used either way. */
export function nodeWasiRunnerPath(): string {
  return repoPath('dist', 'src', 'targets', 'process', 'node-wasi-runner.js');
}

registerTarget('process', 'node-wasi', (options): Target => {
  const t = commandRuntime(
    {
      runtime: 'node-wasi',
      description: `fresh node process with node:wasi (${process.version})`,
      accepts: ['wasm'],
      binary: process.execPath,
      howToGet: 'Node.js ≥ 20 (always present: edgebench runs on it)',
      argv: (bin, w) => [bin, '--no-warnings', nodeWasiRunnerPath(), w.path, ...w.args],
    },
    options,
  );
  // Node's version comes from the running process; fingerprint the same binary.
  return { ...t, probe: async () => ({ available: true, tools: [await fingerprintTool('node', process.execPath)] }) };
}, { options: [binOption('node-wasi', 'this node')] });
