// Two-sample KS decision between quantile sketches, or a sketch and a raw
// window: D from the weighted KS kernel on the sketches' retained items, and
// a threshold widened by the sketches' rank-error bounds, so that sketching
// alone cannot turn "no drift" into "drift" (with the bounds' confidence).
import type { Kernels } from '../kernels.js';
import { ksWeighted } from '../stats/weighted-ks.js';
import { finiteSample, type Sample } from '../stats/validate.js';
import { QuantileSketch } from './quantile-sketch.js';

export interface SketchKsOptions {
  /** Kernels from `await loadKernels()`: the weighted KS sweep runs there. */
  kernels: Kernels;
  /** Significance level of the asymptotic critical value; default 0.05, in (0, 1). */
  alpha?: number;
  /** Sample sizes for the critical value in place of n and m (e.g. effective sample sizes of correlated windows). */
  effectiveSizes?: { a?: number; b?: number };
}

export interface SketchKsResult {
  /** D = sup |F_a − F_b| between the two sides as summarized. */
  statistic: number;
  /** eps_a + eps_b: the most sketching can move D (a raw side contributes 0). */
  errorBound: number;
  /** c(alpha) · sqrt((n + m) / (n · m)), c(alpha) = sqrt(−ln(alpha / 2) / 2). */
  criticalValue: number;
  /** criticalValue + errorBound. */
  threshold: number;
  /** statistic > threshold. */
  drift: boolean;
  /** Sizes used in the critical value. */
  n: number;
  m: number;
  alpha: number;
}

interface Side { values: Float64Array; weights?: Float64Array; epsilon: number; size: number }

function side(name: string, value: QuantileSketch | Sample): Side {
  if (value instanceof QuantileSketch) {
    const { values, weights } = value.weightedItems();
    return { values, weights, epsilon: value.normalizedRankError, size: value.n };
  }
  // Raw values are rounded to float32 like a sketch's items, so both sides live on the same grid.
  const raw = finiteSample(name, value);
  const values = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    values[i] = Math.fround(raw[i]);
    if (!Number.isFinite(values[i])) throw new RangeError(`${name}[${i}] is ${raw[i]}; beyond the float32 range`);
  }
  return { values, epsilon: 0, size: raw.length };
}

function size(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name} is ${String(value)}; it must be a positive finite number`);
  }
  return value;
}

export function ksSketches(a: QuantileSketch | Sample, b: QuantileSketch | Sample, options: SketchKsOptions): SketchKsResult {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('ksSketches needs options { kernels } (from await loadKernels())');
  }
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) throw new RangeError(`options.alpha is ${String(alpha)}; it must lie in (0, 1)`);
  const left = side('a', a), right = side('b', b);
  const n = size('options.effectiveSizes.a', options.effectiveSizes?.a, left.size);
  const m = size('options.effectiveSizes.b', options.effectiveSizes?.b, right.size);
  const { statistic } = ksWeighted(left, right, { kernels: options.kernels });
  const criticalValue = Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
  const errorBound = left.epsilon + right.epsilon;
  const threshold = criticalValue + errorBound;
  return { statistic, errorBound, criticalValue, threshold, drift: statistic > threshold, n, m, alpha };
}
