/** Child-process entry of the simulated node, so its work never counts as the harness's own cost. */
import { loadKubeConfig, type AccessOptions } from '../../kube/access.js';
import { KubeClient } from '../../kube/http.js';
import { SimNode, type SimNodeOptions } from './sim-node.js';

const arg = process.argv[2];
if (!arg) {
  process.stderr.write('usage: sim-node-main.js JSON({access, node})\n');
  process.exit(2);
}
const { access, node } = JSON.parse(arg) as { access: AccessOptions; node: SimNodeOptions };
const { kc } = loadKubeConfig(access);
const sim = new SimNode(new KubeClient(kc, access.server), node);
const stop = (): void => {
  sim.stop();
  process.send?.({ type: 'stopped', counts: sim.counts });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', () => {}); // the parent decides when the simulator stops (after cleanup)
process.on('disconnect', stop);
sim.start().then(
  () => process.send?.({ type: 'ready' }),
  (e: unknown) => {
    process.send?.({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  },
);
