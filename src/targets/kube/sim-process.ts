/** Starts and stops a simulated node in a child process. */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AccessOptions } from '../../kube/access.js';
import type { SimNodeOptions } from './sim-node.js';

/** A running simulated node process. */
export interface SimProcess {
  name: string;
  pid: number;
  /** Stops the simulator; resolves when the process has exited. */
  stop(): Promise<void>;
}

/** Forks the simulator and resolves once its Node is registered and its watch runs. */
export function startSimNode(access: AccessOptions, node: SimNodeOptions, timeoutMs = 30_000): Promise<SimProcess> {
  const js = fileURLToPath(new URL('./sim-node-main.js', import.meta.url));
  // Under vitest the module is .ts (run through Node's strip-types is not available on 20): use the built file.
  const entry = existsSync(js) ? js : js.replace(/\/src\/targets\/kube\//, '/dist/src/targets/kube/');
  const child: ChildProcess = fork(entry, [JSON.stringify({ access, node })], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulated node ${node.name} not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulated node ${node.name} exited (${code}) before it was ready`));
    });
    child.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`simulated node ${node.name}: ${m.message}`));
      } else if (m.type === 'ready') {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({
          name: node.name,
          pid: child.pid ?? -1,
          stop: () =>
            new Promise<void>((res) => {
              if (child.exitCode !== null || child.signalCode !== null) return res();
              child.once('exit', () => res());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 5000).unref();
            }),
        });
      }
    });
  });
}
