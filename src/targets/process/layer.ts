/** The process layer's hooks for the CLI: its doctor row for the eb-launch timer. */
import type { LayerHooks } from '../layers.js';
import { launcherPath } from './launcher.js';

/** The process layer's hooks. */
export const PROCESS_LAYER: LayerHooks = {
  async doctorRows() {
    const l = launcherPath();
    return [{ kind: 'tool', layer: 'process', name: 'eb-launch', present: !!l, version: null, path: l, detail: l ? 'fork/exec/wait4 timer (CLOCK_MONOTONIC)' : 'not built — run `npm run build` (needs cc); process timing falls back to Node spawn' }];
  },
};
