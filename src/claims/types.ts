/** Claims as data: what is claimed, about which metric, against which threshold, judged at which layers. */
import type { Layer } from '../result/types.js';

export const CLAIMS_SCHEMA = 'edgebench/claims';
export const CLAIMS_SCHEMA_VERSION = 1;

/** The statistic of a metric's distribution a claim is about. */
export type Statistic = 'min' | 'p50' | 'p90' | 'p99' | 'p999' | 'max';

/** How the measured statistic must relate to the threshold for the claim to hold. */
export type Comparator = '<' | '<=' | '>' | '>=';

/** Units a threshold may be written in; each converts to a metric unit. */
export type ThresholdUnit = 'ns' | 'us' | 'ms' | 's' | 'B' | 'kB' | 'MB' | 'GB' | 'KiB' | 'MiB' | 'GiB' | 'count' | 'percent' | 'millicores' | 'cores' | 'requests' | 'x';

/** A metric of a suite's results. */
export interface MetricRef {
  /** Suite whose results carry the metric; absent: any suite. */
  suite?: string;
  /** Metric name as stored in results (e.g. "wall", "peak_rss"), or a name for the series value below. */
  name: string;
  statistic: Statistic;
  /** Read the values from the result's series instead of its metrics: "steps.instances" = every step's `instances`. */
  series?: { path: string; unit: 'ns' | 'bytes' | 'count' | 'percent' | 'millicores' | 'requests' };
}

/** Which results feed a claim: runtime names (glob `*` allowed), fixture names, workload kinds; absent = all. */
export interface Selector {
  runtimes?: string[];
  fixtures?: string[];
  kinds?: Array<'wasm' | 'native' | 'image' | 'other'>;
}

/** One claim. */
export interface Claim {
  id: string;
  text: string;
  source?: string;
  metric: MetricRef;
  /** Per-layer replacements of the metric (e.g. per-instance memory is a different metric at each layer). */
  atLayer?: Partial<Record<Layer, Partial<MetricRef>>>;
  comparator: Comparator;
  threshold: { value: number; unit: ThresholdUnit };
  /** Layers where the claim can be judged. */
  layers: Layer[];
  feeds?: Selector;
  /** A ratio claim: the statistic of numerator results divided by that of denominator results (same layer and fixture). */
  ratio?: { numerator: Selector; denominator: Selector };
  note?: string;
}

/** A claims file. */
export interface ClaimsFile {
  schema: typeof CLAIMS_SCHEMA;
  schemaVersion: typeof CLAIMS_SCHEMA_VERSION;
  claims: Claim[];
}

/** The four verdicts. */
export type VerdictKind = 'confirmed' | 'refuted' | 'inconclusive' | 'not-measured';

/** A claim's verdict at one layer for one subject (a runtime and fixture, or a ratio pair). */
export interface ClaimVerdict {
  claimId: string;
  text: string;
  layer: Layer;
  /** What was judged, e.g. "node-wasi/noop", or "-" when nothing was measured. */
  subject: string;
  verdict: VerdictKind;
  /** The measured statistic in threshold units. */
  estimate?: number;
  /** Its 95% CI in threshold units (absent for max/min, which are observed extremes). */
  ci?: { low: number; high: number; level: number };
  /** Threshold as written, e.g. "<= 6 ms". */
  requirement: string;
  /** Why this verdict: the comparison made, or why nothing could be judged. */
  why: string;
  /** Run ids of the results that fed it. */
  runIds: string[];
}
