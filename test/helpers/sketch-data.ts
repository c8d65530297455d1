// Seeded value streams (already float32, the sketch's domain, so exact ranks
// need no rounding) and the exact maximum rank error of a sketch.
import type { QuantileSketch } from '../../edge/library.js';

export const STREAMS = ['uniform', 'normal', 'lognormal', 'discrete', 'sorted', 'reversed'] as const;
export type StreamName = (typeof STREAMS)[number];

/** xorshift32 uniforms in [0, 1). */
export function uniforms(seed: number): () => number {
  let s = (Math.imul(seed + 1, 0x9e3779b1) >>> 0) || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

export function stream(name: StreamName, n: number, seed: number): Float32Array {
  const next = uniforms(seed);
  const out = new Float32Array(n);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  for (let i = 0; i < n; i++) {
    switch (name) {
      case 'uniform': out[i] = next(); break;
      case 'normal': out[i] = gaussian(); break;
      case 'lognormal': out[i] = Math.exp(2 * gaussian()); break; // heavy right tail
      case 'discrete': out[i] = Math.floor(next() * next() * 10); break; // 10 values, skewed: heavy duplicates
      case 'sorted': out[i] = i + next() * 0.5; break;
      case 'reversed': out[i] = n - i + next() * 0.5; break;
    }
  }
  return out;
}

export function sketchOf(make: () => QuantileSketch, values: ArrayLike<number>): QuantileSketch {
  const sketch = make();
  for (let i = 0; i < values.length; i++) sketch.update(values[i]);
  return sketch;
}

/** max over every x of |sketch.rank(x) − exact rank of x| (checked at every distinct value, where both step). */
export function maxRankError(sketch: QuantileSketch, values: Float32Array, sorted = values.slice().sort()): number {
  const n = sorted.length;
  const { values: items, weights } = sketch.weightedItems();
  let j = 0, weight = 0, worst = 0;
  for (let i = 0; i < n;) {
    const v = sorted[i];
    let end = i;
    while (end < n && sorted[end] === v) end++;
    while (j < items.length && items[j] <= v) weight += weights[j++];
    worst = Math.max(worst, Math.abs(end - weight) / n);
    i = end;
  }
  return worst;
}
