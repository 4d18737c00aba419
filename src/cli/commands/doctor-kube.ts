/** The `--kube` part of `edgebench doctor`. */
import { formatKubeDoctor, kubeDoctor } from '../../targets/kube/doctor.js';
import { intFlag } from '../args.js';

/** Prints the cluster report; bad access is a UserError (exit 2). */
export async function runKubeDoctor(values: { json?: boolean; kubeconfig?: string; context?: string; target?: string }): Promise<number> {
  const opts: Record<string, string> = {};
  if (values.kubeconfig) opts['kubeconfig'] = values.kubeconfig;
  if (values.context) opts['context'] = values.context;
  const r = await kubeDoctor(opts, intFlag('target', values.target, 3000, 1, 1_000_000));
  process.stdout.write((values.json ? JSON.stringify(r, null, 2) : formatKubeDoctor(r)) + '\n');
  return 0;
}
