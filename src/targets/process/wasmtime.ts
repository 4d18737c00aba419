/** `wasmtime`: the Wasmtime CLI (`wasmtime run`). Its compilation cache state is whatever the user's config says. */
import { binOption } from '../options.js';
import { registerTarget } from '../registry.js';
import { commandRuntime } from './command-runtime.js';

registerTarget('process', 'wasmtime', (o) =>
  commandRuntime(
    {
      runtime: 'wasmtime',
      description: 'wasmtime CLI (wasmtime run)',
      accepts: ['wasm'],
      binary: 'wasmtime',
      howToGet: 'install Wasmtime (https://docs.wasmtime.dev/cli-install.html) and put `wasmtime` on PATH',
      argv: (bin, w) => [bin, 'run', w.path, ...w.args],
      notes: ['wasmtime may cache compiled modules between runs (see `wasmtime config`); warm-up runs fill that cache'],
    },
    o,
  ),
  { options: [binOption('wasmtime', 'PATH')] },
);
