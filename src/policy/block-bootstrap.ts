// Circular block bootstrap of a time-ordered series: blocks of consecutive
// values from random starts (wrapping at the end), so the resampled stream
// keeps the series' correlation up to the block length.

/** xorshift32 uniform in (0, 1): seeded, so a calibration is reproducible. */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
}

/** A resampled stream of `length` values built from blocks of `block` consecutive values of `series`. */
export function blockBootstrap(series: ArrayLike<number>, length: number, block: number, uniform: () => number): Float64Array {
  const n = series.length;
  if (n < 2) throw new RangeError(`block bootstrap needs at least 2 values; got ${n}`);
  if (!Number.isSafeInteger(block) || block < 1) throw new RangeError(`block must be an integer >= 1; got ${block}`);
  if (!Number.isSafeInteger(length) || length < 1) throw new RangeError(`length must be an integer >= 1; got ${length}`);
  const out = new Float64Array(length);
  for (let i = 0; i < length;) {
    const start = Math.floor(uniform() * n);
    for (let j = 0; j < block && i < length; j++, i++) out[i] = series[(start + j) % n];
  }
  return out;
}
