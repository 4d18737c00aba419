/** The processes alive on this machine, for tests that check nothing was left running. */
import { readFileSync, readdirSync } from 'node:fs';

/** Command lines (NUL-separated argv) of the processes alive now; zombies and vanished pids give ''. */
export function livingProcesses(): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map((p) => {
      try {
        return /^\S+ \(.*\) Z/.test(readFileSync(`/proc/${p}/stat`, 'utf8')) ? '' : readFileSync(`/proc/${p}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    });
}
