/** `wasmer`: the Wasmer CLI (`wasmer run`). */
import { binOption } from '../options.js';
import { registerTarget } from '../registry.js';
import { commandRuntime } from './command-runtime.js';

registerTarget('process', 'wasmer', (o) =>
  commandRuntime(
    {
      runtime: 'wasmer',
      description: 'wasmer CLI (wasmer run)',
      accepts: ['wasm'],
      binary: 'wasmer',
      howToGet: 'install Wasmer (https://docs.wasmer.io/install) and put `wasmer` on PATH',
      argv: (bin, w) => [bin, 'run', w.path, '--', ...w.args],
      notes: ['wasmer caches compiled modules in ~/.wasmer/cache; warm-up runs fill it'],
    },
    o,
  ),
  { options: [binOption('wasmer', 'PATH')] },
);
