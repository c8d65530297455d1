// The KS statistic between two weighted distributions: sup |F_a - F_b| where
// F(x) = (weight at values <= x) / (total weight). With unit weights it is
// ks2samp's statistic; with sketch weights it compares two quantile sketches
// or a sketch against raw values. No p-value: the weights are not counts of
// independent draws, so no null distribution applies.
import type { Kernels } from '../kernels.js';
import { statsKernels } from './stats-kernels.js';
import { sortedWeighted } from './weighted-values.js';
import type { Sample } from './validate.js';

export interface WeightedSample {
  values: Sample;
  /** Non-negative weights, one per value; default 1 each. */
  weights?: Sample;
}

export interface WeightedKsResult {
  /** max |F_a - F_b| = max(plus, minus). */
  statistic: number;
  /** max(F_a - F_b), at least 0. */
  plus: number;
  /** max(F_b - F_a), at least 0. */
  minus: number;
}

function asWeightedSample(name: string, value: unknown): WeightedSample {
  if (value === null || typeof value !== 'object' || !('values' in value)) {
    throw new TypeError(`${name} must be { values, weights? }`);
  }
  return value as WeightedSample;
}

export function ksWeighted(a: WeightedSample, b: WeightedSample, options: { kernels: Kernels }): WeightedKsResult {
  const stats = statsKernels(options?.kernels);
  const x = asWeightedSample('a', a), y = asWeightedSample('b', b);
  const left = sortedWeighted('a', x.values, x.weights);
  const right = sortedWeighted('b', y.values, y.weights);
  const { plus, minus } = stats.ksWeightedPair(left.values, left.weights, right.values, right.weights);
  return { statistic: Math.max(plus, minus), plus, minus };
}
