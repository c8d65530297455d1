// What a window is compared with: any distribution that can say which
// fraction of it lies at or below x. A sorted raw sample does this exactly;
// a quantile sketch does it within its rank error.
import { finiteSample, type Sample } from '../stats/validate.js';

export interface ReferenceDistribution {
  /** Number of values the reference summarises (its sample size). */
  readonly n: number;
  /** Fraction of the reference at or below x, in [0, 1]. */
  rank(x: number): number;
  /**
   * Fraction strictly below x. Optional: without it rank(x) is used, which is
   * exact when the reference has no atom at x (continuous features).
   */
  rankBelow?(x: number): number;
}

/** An exact reference from raw values: sorted once (a copy), O(log m) per rank. */
export class SortedReference implements ReferenceDistribution {
  readonly n: number;
  private readonly sorted: Float64Array;

  constructor(values: Sample) {
    this.sorted = Float64Array.from(finiteSample('values', values)).sort();
    this.n = this.sorted.length;
  }

  rank(x: number): number {
    return this.countBelow(x, true) / this.n;
  }

  rankBelow(x: number): number {
    return this.countBelow(x, false) / this.n;
  }

  /** Number of values < x, or <= x when inclusive (binary search). */
  private countBelow(x: number, inclusive: boolean): number {
    let lo = 0, hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.sorted[mid];
      if (v < x || (inclusive && v === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export function isReferenceDistribution(value: unknown): value is ReferenceDistribution {
  return value !== null && typeof value === 'object' && typeof (value as ReferenceDistribution).rank === 'function'
    && typeof (value as ReferenceDistribution).n === 'number';
}
