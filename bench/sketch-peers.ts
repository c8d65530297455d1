// The three quantile sketches of the sketch benchmark behind one shape:
// build from values with a size parameter, report serialized bytes, answer
// quantile queries. Each adapter states how its sketch is serialized.
import { DDSketch } from '@datadog/sketches-js';
import tdigest from 'tdigest';
import { QuantileSketch } from '../src/index.js';

export interface BuiltSketch {
  bytes: number;
  quantile(q: number): number;
}

export interface Peer {
  name: string;
  parameter: string;
  serialization: string;
  /** Larger parameter, more bytes? (for tuning to a byte budget) */
  growsWithParameter: boolean;
  range: [number, number];
  integer: boolean;
  /** `build` is deterministic in its seed (KLL), has no randomness (DDSketch) or ignores it (tdigest: Math.random in compress). */
  build(values: ArrayLike<number>, parameter: number, seed?: number): BuiltSketch;
}

export const kll: Peer = {
  name: 'driftwatch QuantileSketch (KLL)', parameter: 'k', growsWithParameter: true, range: [8, 2000], integer: true,
  serialization: 'serialize(): header, level sizes, float32 items, CRC-32',
  build(values, k, seed) {
    const sketch = new QuantileSketch({ k, seed });
    for (let i = 0; i < values.length; i++) sketch.update(values[i]);
    return { bytes: sketch.serialize().length, quantile: (q) => sketch.quantile(q) };
  },
};

export const ddsketch: Peer = {
  name: '@datadog/sketches-js DDSketch', parameter: 'relativeAccuracy', growsWithParameter: false, range: [1e-4, 0.5], integer: false,
  serialization: 'toProto() (protobuf, the DDSketch wire format)',
  build(values, relativeAccuracy) {
    const sketch = new DDSketch({ relativeAccuracy });
    for (let i = 0; i < values.length; i++) sketch.accept(values[i]);
    return { bytes: sketch.toProto().length, quantile: (q) => sketch.getValueAtQuantile(q) };
  },
};

export const tDigest: Peer = {
  name: 'tdigest (npm) TDigest', parameter: 'delta', growsWithParameter: false, range: [1e-4, 0.5], integer: false,
  serialization: 'its centroids as (mean, count) float64 pairs: 16 B each (the package has no byte format)',
  build(values, delta) {
    const digest = new tdigest.TDigest(delta);
    for (let i = 0; i < values.length; i++) digest.push(values[i]);
    digest.compress();
    return { bytes: 16 * digest.size(), quantile: (q) => digest.percentile(q) };
  },
};

/**
 * The parameter giving the largest serialized size that does not exceed
 * `bytes` (bisection on a log scale; sizes are monotone up to small jitter).
 */
export function tuneToBytes(peer: Peer, values: ArrayLike<number>, bytes: number): number {
  let [lo, hi] = peer.range;
  let best = peer.growsWithParameter ? lo : hi, bestSize = -1;
  for (let step = 0; step < 18; step++) {
    let mid = Math.sqrt(lo * hi);
    if (peer.integer) mid = Math.round(mid);
    const size = peer.build(values, mid).bytes;
    if (size <= bytes && size > bestSize) { best = mid; bestSize = size; }
    if ((size > bytes) === peer.growsWithParameter) hi = mid; else lo = mid;
    if (peer.integer && hi - lo <= 1) break;
  }
  return best;
}

/**
 * Max over q = 0.001 .. 0.999 of the distance from q to the true rank
 * interval [#(< v), #(<= v)] / n of the sketch's answer v.
 */
export function maxQuantileRankError(sketch: BuiltSketch, sorted: Float64Array): number {
  const n = sorted.length;
  let worst = 0;
  for (let i = 1; i < 1000; i++) {
    const q = i / 1000, v = sketch.quantile(q);
    const below = lowerBound(sorted, v, false) / n, atOrBelow = lowerBound(sorted, v, true) / n;
    worst = Math.max(worst, below - q, q - atOrBelow);
  }
  return worst;
}

function lowerBound(sorted: Float64Array, v: number, inclusive: boolean): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v || (inclusive && sorted[mid] === v)) lo = mid + 1; else hi = mid;
  }
  return lo;
}
