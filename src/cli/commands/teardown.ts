/** `edgebench teardown`: undo `edgebench provision` on this host or over ssh (idempotent). */
import { interruptible, teardown } from '../../provision/session.js';
import { intFlag, parse } from '../args.js';
import type { Command } from '../command.js';

export const teardownCommand: Command = {
  name: 'teardown',
  summary: 'uninstall what `edgebench provision` installed (K3s, WasmEdge, shim, plugin, config)',
  examples: ['edgebench teardown --host ubuntu@edge-1 --dry-run'],
  usage: 'edgebench teardown [--host user@h] [--dry-run] [--root DIR] [--port N] [--identity KEY] [--ssh-option K=V]...',
  async run(argv) {
    const { values } = parse('teardown', argv, {
      host: { type: 'string' },
      port: { type: 'string' },
      identity: { type: 'string' },
      'ssh-option': { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      root: { type: 'string' },
    });
    const r = await interruptible('teardown', () => teardown(
      { host: values.host, port: values.port === undefined ? undefined : intFlag('port', values.port, 22, 1, 65535), identity: values.identity, sshOptions: values['ssh-option'], root: values.root },
      { dryRun: values['dry-run'] === true, log: (l) => void process.stderr.write(`teardown: ${l}\n`), out: (s) => void process.stdout.write(s) },
    ));
    if (r.outcomes) {
      const changed = r.outcomes.filter((o) => o.status === 'changed').length;
      process.stdout.write(`teardown: ${r.outcomes.length} steps — ${changed} changed, ${r.outcomes.length - changed} already done\n`);
    }
    return 0;
  },
};
