// eps(k), the rank-error bound documented in docs/sketches.md. Measured, not
// derived: the 99th percentile of a sketch's maximum rank error over all x,
// across seeds and streams (random order is the worst case), fitted as
// a / k^b over k = 50..800 and rounded up; the method and the numbers are in
// docs/sketches.md.
const SCALE = 2.0;
const EXPONENT = 0.935;

export function normalizedRankError(k: number): number {
  return SCALE / k ** EXPONENT;
}
