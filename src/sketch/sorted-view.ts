// The sketch as a sorted weighted sample: retained items in ascending order
// with their weights (2^level) and cumulative weights, built once per state
// and used by every rank, quantile and KS query.
import type { Compactors } from './compactors.js';

export class SortedView {
  /** Retained items, ascending. */
  readonly values: Float32Array;
  /** cumulative[i] = total weight of values[0..i]; the last entry is n. */
  readonly cumulative: Float64Array;

  constructor(compactors: Compactors) {
    let values: Float32Array = compactors.level(0).slice().sort();
    let weights: Float64Array = new Float64Array(values.length).fill(1);
    for (let h = 1; h < compactors.numLevels; h++) {
      const level = compactors.level(h);
      if (level.length === 0) continue;
      [values, weights] = mergeRuns(values, weights, level, 2 ** h);
    }
    this.values = values;
    this.cumulative = new Float64Array(values.length);
    let sum = 0;
    for (let i = 0; i < values.length; i++) this.cumulative[i] = sum += weights[i];
  }

  /** Weight of each item (2^level), as a new array. */
  weights(): Float64Array {
    const w = new Float64Array(this.cumulative.length);
    for (let i = 0; i < w.length; i++) w[i] = this.cumulative[i] - (i ? this.cumulative[i - 1] : 0);
    return w;
  }

  get total(): number { return this.cumulative.length ? this.cumulative[this.cumulative.length - 1] : 0; }

  /** Total weight of items <= x. */
  weightAtOrBelow(x: number): number {
    let lo = 0, hi = this.values.length; // first index with value > x
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.values[mid] <= x) lo = mid + 1; else hi = mid;
    }
    return lo === 0 ? 0 : this.cumulative[lo - 1];
  }

  /** The smallest retained item whose cumulative weight reaches `weight`. */
  itemReaching(weight: number): number {
    let lo = 0, hi = this.values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] >= weight) hi = mid; else lo = mid + 1;
    }
    return this.values[lo];
  }
}

function mergeRuns(av: Float32Array, aw: Float64Array, b: Float32Array, bWeight: number): [Float32Array, Float64Array] {
  const values = new Float32Array(av.length + b.length);
  const weights = new Float64Array(values.length);
  let i = 0, j = 0, w = 0;
  while (i < av.length || j < b.length) {
    if (j >= b.length || (i < av.length && av[i] <= b[j])) {
      values[w] = av[i]; weights[w++] = aw[i++];
    } else {
      values[w] = b[j++]; weights[w++] = bWeight;
    }
  }
  return [values, weights];
}
