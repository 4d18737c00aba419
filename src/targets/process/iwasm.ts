/** `iwasm`: WAMR's command-line runtime. */
import { binOption } from '../options.js';
import { registerTarget } from '../registry.js';
import { commandRuntime } from './command-runtime.js';

registerTarget('process', 'iwasm', (o) =>
  commandRuntime(
    {
      runtime: 'iwasm',
      description: 'WAMR iwasm (interpreter or the mode it was built with)',
      accepts: ['wasm'],
      binary: 'iwasm',
      versionArgs: ['--version'],
      howToGet: 'build WAMR (https://github.com/bytecodealliance/wasm-micro-runtime, product-mini/platforms/linux) and put `iwasm` on PATH',
      cached: { runtime: 'iwasm', variants: ['fast-interp'] },
      argv: (bin, w) => [bin, w.path, ...w.args],
    },
    o,
  ),
  { builds: 'a WAMR iwasm build', options: [binOption('iwasm', 'PATH, else the newest build')] },
);
