// The recipe of the golden serialized sketch (test/fixtures/sketch-golden.bin):
// integer-exact arithmetic only, so any implementation can rebuild the input.
// Values: x_i = float32(100 * u_i), u_i = s_i / 2^32 for the xorshift32 stream
// s_{i+1} = xorshift32(s_i) (shifts 13, 17, 5) from s_0 = 2463534242, i = 1..100000.
import { QuantileSketch } from '../../edge/library.js';

export const GOLDEN = { k: 200, seed: 42, n: 100000, start: 2463534242 } as const;

export function goldenValues(): Float32Array {
  const out = new Float32Array(GOLDEN.n);
  let s = GOLDEN.start;
  for (let i = 0; i < GOLDEN.n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = 100 * (s / 4294967296);
  }
  return out;
}

export function goldenSketch(): QuantileSketch {
  const sketch = new QuantileSketch({ k: GOLDEN.k, seed: GOLDEN.seed });
  for (const x of goldenValues()) sketch.update(x);
  return sketch;
}

export const GOLDEN_QUANTILES = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];
export const GOLDEN_POINTS = [-1, 0.5, 10, 25, 50, 75, 90, 99.5, 101];
