/** Runs every benchmark in bench/ one after another. */
import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let failed = 0;
for (const b of ['harness-overhead.js', 'in-process.js']) {
  const r = await execa(process.execPath, ['--no-warnings', join(here, b)], { stdio: 'inherit', reject: false });
  if (r.exitCode !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
