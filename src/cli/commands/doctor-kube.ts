/** The `--kube` part of `edgebench doctor`. */
import { layerHooks } from '../../targets/layers.js';
import { intFlag } from '../args.js';

/** Prints the cluster report; bad access is a UserError (exit 2). */
export async function runKubeDoctor(values: { json?: boolean; kubeconfig?: string; context?: string; target?: string }): Promise<number> {
  const opts: Record<string, string> = {};
  if (values.kubeconfig) opts['kubeconfig'] = values.kubeconfig;
  if (values.context) opts['context'] = values.context;
  const report = layerHooks('kube').doctorReport;
  if (!report) throw new Error('the kube layer registered no doctor report');
  const r = await report(opts, intFlag('target', values.target, 3000, 1, 1_000_000));
  process.stdout.write((values.json ? JSON.stringify(r.data, null, 2) : r.text) + '\n');
  return 0;
}
