// Wasserstein-1 (earth mover's) distance between two one-dimensional
// distributions: the integral of |F_u - F_v| over the real line, in the
// units of the values. Same definition and arguments as
// scipy.stats.wasserstein_distance(u, v, u_weights, v_weights).
import type { Kernels } from '../kernels.js';
import { statsKernels } from './stats-kernels.js';
import { sortedWeighted } from './weighted-values.js';
import { finiteSample, type Sample } from './validate.js';

export interface WassersteinOptions {
  kernels: Kernels;
  /** Non-negative weights for u (default 1 each). */
  uWeights?: Sample;
  /** Non-negative weights for v (default 1 each). */
  vWeights?: Sample;
}

export function wasserstein1(u: Sample, v: Sample, options: WassersteinOptions): number {
  const stats = statsKernels(options?.kernels);
  if (options.uWeights === undefined && options.vWeights === undefined) {
    return stats.wassersteinSamples(finiteSample('u', u), finiteSample('v', v));
  }
  const left = sortedWeighted('u', u, options.uWeights);
  const right = sortedWeighted('v', v, options.vWeights);
  return stats.wassersteinWeighted(left.values, left.weights, right.values, right.weights);
}
