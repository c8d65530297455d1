// QuantileSketch: a mergeable KLL quantile sketch over finite numbers, stored
// as float32. A thin class over the compactor stack: it validates input,
// tracks n, min and max, answers queries from a cached sorted view, and
// reads and writes the serialized form. See docs/sketches.md.
import { checkK } from './capacity.js';
import { Compactors } from './compactors.js';
import { normalizedRankError } from './error-bound.js';
import { seedState } from './prng.js';
import { decode, encode } from './serial-format.js';
import { SortedView } from './sorted-view.js';

export interface QuantileSketchOptions {
  /** Accuracy/size parameter: items kept at the top level; default 200, range [8, 65535]. */
  k?: number;
  /** Seed of the compaction coin flips (uint32); default fixed, so runs are reproducible. */
  seed?: number;
}

/** Thrown by rank, quantile and cdf on a sketch that has seen no values. */
export class EmptySketchError extends Error {
  override name = 'EmptySketchError';
}

export class QuantileSketch {
  private compactors: Compactors;
  private count = 0;
  private lo = NaN;
  private hi = NaN;
  private view: SortedView | undefined;

  constructor(options: QuantileSketchOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object { k?, seed? }');
    this.compactors = new Compactors(checkK(options.k), seedState(options.seed));
  }

  get k(): number { return this.compactors.k; }
  /** Number of values summarized (exact). */
  get n(): number { return this.count; }
  /** Smallest value seen, as float32; NaN when empty. */
  get min(): number { return this.lo; }
  /** Largest value seen, as float32; NaN when empty. */
  get max(): number { return this.hi; }
  get isEmpty(): boolean { return this.count === 0; }
  /** Items currently retained (what the serialized size grows with). */
  get retained(): number { return this.compactors.retained; }
  /** eps: every rank this sketch returns is within eps of the true rank, with 99% confidence. */
  get normalizedRankError(): number { return normalizedRankError(this.k); }

  update(x: number): this {
    if (typeof x !== 'number' || x - x !== 0) {
      throw new RangeError(`update(${String(x)}): the sketch takes finite numbers only`);
    }
    const f = Math.fround(x);
    if (f - f !== 0) throw new RangeError(`update(${x}): the value is beyond the float32 range (|x| < 3.4e38)`);
    if (this.count === 0) this.lo = this.hi = f;
    else if (f < this.lo) this.lo = f;
    else if (f > this.hi) this.hi = f;
    this.count++;
    this.view = undefined;
    this.compactors.add(f);
    return this;
  }

  /** Adds another sketch's values to this one (`other` is unchanged). Both must have the same k. */
  merge(other: QuantileSketch): this {
    if (!(other instanceof QuantileSketch)) throw new TypeError('merge needs a QuantileSketch');
    if (other.k !== this.k) {
      throw new RangeError(`cannot merge a sketch with k = ${other.k} into one with k = ${this.k}; build both with the same k`);
    }
    if (other.count === 0) return this;
    const levels: Float32Array[] = [];
    for (let h = 0; h < other.compactors.numLevels; h++) levels.push(other.compactors.level(h).slice());
    if (this.count === 0) { this.lo = other.lo; this.hi = other.hi; }
    else { this.lo = Math.min(this.lo, other.lo); this.hi = Math.max(this.hi, other.hi); }
    this.count += other.count;
    this.view = undefined;
    this.compactors.absorb(levels);
    return this;
  }

  /** Normalized rank of x (rounded to float32): estimated fraction of values <= x, in [0, 1]. */
  rank(x: number): number {
    const view = this.sortedView('rank');
    if (typeof x !== 'number' || Number.isNaN(x)) throw new RangeError(`rank(${String(x)}): x must be a number`);
    return view.weightAtOrBelow(Math.fround(x)) / this.count;
  }

  /** The smallest retained value whose estimated rank is >= q; quantile(0) is min, quantile(1) is max. */
  quantile(q: number): number {
    const view = this.sortedView('quantile');
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new RangeError(`quantile(${String(q)}): q must lie in [0, 1]`);
    if (q === 0) return this.lo;
    if (q === 1) return this.hi;
    return view.itemReaching(q * this.count);
  }

  /** rank() at each split point; the points must be finite and strictly increasing. */
  cdf(points: ArrayLike<number>): Float64Array {
    const view = this.sortedView('cdf');
    if (points === null || typeof points !== 'object' || typeof points.length !== 'number') {
      throw new TypeError('cdf needs an array of split points');
    }
    const ranks = new Float64Array(points.length);
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      if (typeof p !== 'number' || !Number.isFinite(p)) throw new RangeError(`cdf: points[${i}] is ${String(p)}; split points must be finite`);
      if (i > 0 && !(p > points[i - 1])) throw new RangeError(`cdf: points[${i}] = ${p} does not exceed points[${i - 1}]; split points must increase strictly`);
      ranks[i] = view.weightAtOrBelow(Math.fround(p)) / this.count;
    }
    return ranks;
  }

  /** The retained items, ascending, with their weights: a weighted sample summing to n. */
  weightedItems(): { values: Float64Array; weights: Float64Array } {
    const view = this.sortedView('weightedItems');
    return { values: Float64Array.from(view.values), weights: view.weights() };
  }

  serialize(): Uint8Array {
    const levels: Float32Array[] = [];
    for (let h = 0; h < this.compactors.numLevels; h++) levels.push(this.compactors.level(h));
    return encode({ k: this.k, n: this.count, min: this.lo, max: this.hi, rngState: this.compactors.rngState, levels });
  }

  /** Reads serialize()'s bytes; corrupt, truncated or unknown-version bytes throw "possible corruption: …". */
  static deserialize(bytes: Uint8Array): QuantileSketch {
    const state = decode(bytes);
    const sketch = new QuantileSketch({ k: state.k });
    sketch.compactors = Compactors.fromLevels(state.k, state.rngState, state.levels);
    sketch.count = state.n;
    sketch.lo = state.min;
    sketch.hi = state.max;
    return sketch;
  }

  /**
   * Typed-array payload held: item buffers and, after a query, the cached sorted view.
   * The JS objects around them add about as much again (docs/sketches.md has measured heap figures).
   */
  memoryBytes(): number {
    const view = this.view ? this.view.values.byteLength + this.view.cumulative.byteLength : 0;
    return this.compactors.bufferBytes() + view;
  }

  private sortedView(query: string): SortedView {
    if (this.count === 0) throw new EmptySketchError(`${query}: the sketch is empty (n = 0); update it with values first`);
    return this.view ??= new SortedView(this.compactors);
  }
}
