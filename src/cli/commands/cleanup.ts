/** `edgebench cleanup [--run ID]`: removes what earlier runs left in the cluster (namespaces, simulated nodes). */
import { connect, accessFromOptions } from '../../targets/kube/access.js';
import { cleanupRun, leftovers } from '../../targets/kube/resources.js';
import { UserError } from '../../util/errors.js';
import { parse } from '../args.js';
import { EXIT, type Command } from '../command.js';

export const cleanupCommand: Command = {
  name: 'cleanup',
  summary: 'remove leftovers of earlier kube runs (all, or one run id)',
  usage: `edgebench cleanup [--run ID] [--kubeconfig F] [--context C] [--dry-run]
  Deletes the namespaces and simulated nodes labelled edgebench.io/run (=ID), waiting until they are gone.
Exit codes: 0 nothing left; 1 something could not be removed; 2 bad input.`,
  async run(argv) {
    const { values } = parse('cleanup', argv, { run: { type: 'string' }, kubeconfig: { type: 'string' }, context: { type: 'string' }, 'dry-run': { type: 'boolean' } });
    if (values.run !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(values.run)) throw new UserError(`--run: "${values.run}" is not a run id`);
    const opts: Record<string, string> = {};
    if (values.kubeconfig) opts['kubeconfig'] = values.kubeconfig;
    if (values.context) opts['context'] = values.context;
    const { client } = await connect(accessFromOptions(opts));
    try {
      if (values['dry-run']) {
        const l = await leftovers(client, values.run);
        process.stdout.write(`would remove: ${[...l.namespaces.map((n) => `namespace/${n}`), ...l.nodes.map((n) => `node/${n}`)].join(', ') || 'nothing'}\n`);
        return EXIT.ok;
      }
      const r = await cleanupRun(client, values.run);
      const removed = [...r.namespaces.map((n) => `namespace/${n}`), ...r.nodes.map((n) => `node/${n}`)];
      process.stdout.write(`removed: ${removed.join(', ') || 'nothing'}\n`);
      if (r.remaining.length) {
        process.stdout.write(`still present: ${r.remaining.join(', ')}\n`);
        return EXIT.failed;
      }
      return EXIT.ok;
    } finally {
      client.close();
    }
  },
};
