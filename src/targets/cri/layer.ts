/** The cri layer's hooks for the CLI: cleanup of the CRI pods (and their cgroups) its runs left, by run id. */
import type { LabelCleanup } from '../layers.js';
import { cleanupCri, describeCriCleanup } from './cleanup.js';

/** cri run labels are run ids (see src/util/run-id.ts); its lines come before the oci layer's. */
export const CRI_CLEANUP: LabelCleanup = {
  label: { pattern: /^\d{8}t\d{6}z-[0-9a-f]+$/, describe: 'a run id' },
  order: 10,
  async run(req) {
    const r = await cleanupCri(req.label, { all: req.all, check: req.check });
    return { lines: describeCriCleanup(r, req.check), failed: req.check ? r.pods.length > 0 : r.errors.length > 0 };
  },
};
