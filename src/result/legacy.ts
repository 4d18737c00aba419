/**
 * Facts about older result formats, used only to read them. Schema version 1 carried no metric direction
 * and no target block: every metric it could hold was a duration or a memory figure (lower is better)
 * except `requests_sent` (the offered load of hot-update: neither), and target options were not saved.
 */
import type { Better } from '../core/metric.js';

/** The direction of a metric written by a schema-1 result (or a history index line written before directions). */
export function legacyBetter(metric: string): Better {
  return metric === 'requests_sent' ? 'neither' : 'lower';
}
