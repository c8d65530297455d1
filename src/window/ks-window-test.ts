// Two-sided KS test of a window against a reference, with the p-value taken
// at the window's effective sample size instead of its frame count.
import { kolmogorovSf } from '../stats/kolmogorov-n.js';
import { finiteSample, type Sample } from '../stats/validate.js';
import { effectiveSampleSize, type EffectiveSizeOptions } from './effective-size.js';
import { SortedReference, isReferenceDistribution, type ReferenceDistribution } from './reference.js';

export interface KsWindowTestOptions extends EffectiveSizeOptions {
  /** The window's effective size, if already known; default: effectiveSampleSize(window). */
  effectiveSize?: number;
  /** Effective size of the reference; default its n (the reference's values taken as independent draws). */
  referenceEffectiveSize?: number;
}

export interface KsWindowTestResult {
  /** D = sup_x |F_window(x) − F_reference(x)|. */
  statistic: number;
  /** Pr(D_N >= D) with N = round(n_eff · m_eff / (n_eff + m_eff)), at least 1. */
  pvalue: number;
  /** The same with the raw sizes n and m: what an i.i.d. test would say (too small on video). */
  naivePvalue: number;
  n: number;
  effectiveSize: number;
  referenceSize: number;
  referenceEffectiveSize: number;
}

/** D between the window's ECDF and the reference's rank function, checked at every jump of the window. */
export function ksStatistic(sortedWindow: Float64Array, reference: ReferenceDistribution): number {
  const n = sortedWindow.length;
  let d = 0;
  for (let i = 0; i < n;) {
    const x = sortedWindow[i];
    let j = i;
    while (j < n && sortedWindow[j] === x) j++;
    const below = reference.rankBelow ? reference.rankBelow(x) : reference.rank(x);
    // Just before x the window's ECDF is i/n; at x it is j/n.
    d = Math.max(d, Math.abs(i / n - below), Math.abs(j / n - reference.rank(x)));
    i = j;
  }
  return d;
}

function pairedSize(a: number, b: number): number {
  return Math.max(1, Math.round((a * b) / (a + b)));
}

function sizeOption(name: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 1 && value <= max)) {
    throw new RangeError(`${name} must be a number in [1, ${max}]; got ${String(value)}`);
  }
  return value;
}

export function ksWindowTest(
  window: Sample,
  reference: ReferenceDistribution | Sample,
  options: KsWindowTestOptions = {},
): KsWindowTestResult {
  const values = finiteSample('window', window);
  const ref = isReferenceDistribution(reference) ? reference : new SortedReference(reference);
  if (!(Number.isFinite(ref.n) && ref.n >= 1)) throw new RangeError(`reference.n must be >= 1; got ${ref.n}`);
  const n = values.length, m = ref.n;
  const effectiveSize = options.effectiveSize === undefined
    ? effectiveSampleSize(values, options)
    : sizeOption('options.effectiveSize', options.effectiveSize, n, n);
  const referenceEffectiveSize = sizeOption('options.referenceEffectiveSize', options.referenceEffectiveSize, m, m);
  const statistic = ksStatistic(Float64Array.from(values).sort(), ref);
  return {
    statistic,
    pvalue: kolmogorovSf(pairedSize(effectiveSize, referenceEffectiveSize), statistic),
    naivePvalue: kolmogorovSf(pairedSize(n, m), statistic),
    n,
    effectiveSize,
    referenceSize: m,
    referenceEffectiveSize,
  };
}
