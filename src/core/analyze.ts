/** Turns raw samples into per-metric summaries, CIs and histograms, or an invalid verdict. No I/O. */
import { quantileCi, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.js';
import { encodeHistogram, histogramOf, type EncodedHistogram } from './histogram.js';
import { assertMetricSpecs, type MetricSpec, type Sample } from './metric.js';
import { summarize, type Summary } from './summary.js';
import { countSamples, judgeValidity, type SampleCounts } from './validity.js';

/** A metric's analysed distribution. */
export interface MetricResult extends MetricSpec {
  summary: Summary;
  ci: { p50: ConfidenceInterval; p99: ConfidenceInterval };
  histogram: EncodedHistogram;
}

/** Outcome of analysing one run's samples. */
export interface Analysis {
  status: 'ok' | 'invalid';
  reason?: string;
  counts: SampleCounts;
  metrics: MetricResult[];
}

/** Options for analyse(). */
export interface AnalyzeOptions {
  maxFailureRatio?: number;
  bootstrap?: BootstrapOptions;
}

/** The successful measured samples that carry metric `name`. */
function measuredWith(samples: readonly Sample[], name: string): Sample[] {
  return samples.filter((s) => !s.warmup && s.ok && s.values[name] !== undefined);
}

/** Values of one metric over the successful measured samples. */
export function metricValues(samples: readonly Sample[], name: string): number[] {
  return measuredWith(samples, name).map((s) => s.values[name] as number);
}

/** The round of each of metricValues' values (0 for a sample without one). */
export function metricRounds(samples: readonly Sample[], name: string): number[] {
  return measuredWith(samples, name).map((s) => s.round ?? 0);
}

/** Summarises every declared metric, unless the run is invalid. */
export function analyze(specs: readonly MetricSpec[], samples: readonly Sample[], opts: AnalyzeOptions = {}): Analysis {
  assertMetricSpecs(specs);
  const counts = countSamples(samples);
  const validity = judgeValidity(counts, opts.maxFailureRatio);
  if (!validity.valid) return { status: 'invalid', reason: validity.reason, counts, metrics: [] };
  const metrics: MetricResult[] = [];
  for (const spec of specs) {
    const values = metricValues(samples, spec.name);
    if (values.length === 0) continue;
    metrics.push({
      ...spec,
      summary: summarize(values),
      ci: { p50: quantileCi(values, 0.5, opts.bootstrap), p99: quantileCi(values, 0.99, opts.bootstrap) },
      histogram: encodeHistogram(histogramOf(values, spec.unit)),
    });
  }
  return { status: 'ok', counts, metrics };
}
