// Relative-entropy divergences between two discrete distributions given as
// counts or probabilities over the same bins (each is normalised to sum 1).
// Logarithms are base 2, so divergences are in bits.
//   KL(p || q) = sum p_i log2(p_i / q_i)          (0 log 0 = 0; Infinity where q_i = 0 < p_i)
//   JS(p, q)   = (KL(p || m) + KL(q || m)) / 2,   m = (p + q) / 2, in [0, 1]
//   JS distance = sqrt(JS)                        (a metric; scipy's jensenshannon)
import { nonNegativeWeights, type Sample } from './validate.js';

function normalisedPair(p: Sample, q: Sample): [Float64Array, Float64Array] {
  const a = nonNegativeWeights('p', p);
  const b = nonNegativeWeights('q', q, a.length);
  let sa = 0, sb = 0;
  for (let i = 0; i < a.length; i++) { sa += a[i]; sb += b[i]; }
  for (let i = 0; i < a.length; i++) { a[i] /= sa; b[i] /= sb; }
  return [a, b];
}

/** x log(x / y) in nats, with 0 log(0 / y) = 0 and Infinity for x > 0 = y. */
function relativeEntropyTerm(x: number, y: number): number {
  if (x === 0) return 0;
  if (y === 0) return Infinity;
  return x * Math.log(x / y);
}

/** Kullback–Leibler divergence KL(p || q) in bits; Infinity when q misses a bin p uses. */
export function klDivergence(p: Sample, q: Sample): number {
  const [a, b] = normalisedPair(p, q);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += relativeEntropyTerm(a[i], b[i]);
  return sum / Math.LN2;
}

export interface JensenShannon {
  /** JS divergence in bits, in [0, 1]. */
  divergence: number;
  /** sqrt(divergence): the Jensen–Shannon distance, a metric in [0, 1]. */
  distance: number;
}

export function jensenShannon(p: Sample, q: Sample): JensenShannon {
  const [a, b] = normalisedPair(p, q);
  let left = 0, right = 0;
  for (let i = 0; i < a.length; i++) {
    const m = (a[i] + b[i]) / 2;
    left += relativeEntropyTerm(a[i], m);
    right += relativeEntropyTerm(b[i], m);
  }
  // Rounding can leave a tiny negative sum for identical inputs: that is 0.
  const divergence = Math.min(1, Math.max(0, (left + right) / Math.LN2 / 2));
  return { divergence, distance: Math.sqrt(divergence) };
}
