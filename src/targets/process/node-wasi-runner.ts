/** Runs one WASI module in a fresh Node process: `node node-wasi-runner.js MODULE [ARGS...]`. Exit code = the module's. */
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [path, ...args] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: node-wasi-runner MODULE [ARGS...]\n');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [path, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject() as WebAssembly.Imports);
process.exitCode = wasi.start(instance);
