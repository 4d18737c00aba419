/**
 * Runs every benchmark in bench/ one after another (or the scripts named as arguments, relative to bench/).
 * Each one's exit status says pass (0), not measured (EXIT_NOT_MEASURED: a tool it needs is missing) or failed
 * (anything else: target not met, error, signal). Exit 0 only when all passed; 1 when one failed; else
 * EXIT_NOT_MEASURED.
 */
import { execa } from 'execa';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_NOT_MEASURED } from './verdicts.js';

const here = dirname(fileURLToPath(import.meta.url));
const benches = process.argv.length > 2 ? process.argv.slice(2) : ['harness-overhead.js', 'in-process.js', 'ab-noise.js'];
const outcomes: { bench: string; status: 'pass' | 'not measured' | 'failed'; detail: string }[] = [];
for (const b of benches) {
  const r = await execa(process.execPath, ['--no-warnings', resolve(here, b)], { stdio: 'inherit', reject: false });
  const status = r.exitCode === 0 ? 'pass' : r.exitCode === EXIT_NOT_MEASURED ? 'not measured' : 'failed';
  outcomes.push({ bench: b, status, detail: r.exitCode !== undefined ? `exit ${r.exitCode}` : `signal ${r.signal ?? '?'}` });
}
console.log('\nbench summary:');
for (const o of outcomes) console.log(`  ${o.bench}: ${o.status}${o.status === 'pass' ? '' : ` (${o.detail})`}`);
const failed = outcomes.filter((o) => o.status === 'failed').length;
const notMeasured = outcomes.filter((o) => o.status === 'not measured').length;
console.log(`${outcomes.length - failed - notMeasured} passed, ${failed} failed, ${notMeasured} not measured`);
process.exitCode = failed ? 1 : notMeasured ? EXIT_NOT_MEASURED : 0;
