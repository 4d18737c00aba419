/** Run identifiers: UTC time plus random suffix, safe as a folder name and a Kubernetes label value. */
import { randomBytes } from 'node:crypto';

/** A new run id like 20261128t221500z-a1b2c3. */
export function newRunId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase();
  return `${t}-${randomBytes(3).toString('hex')}`;
}
