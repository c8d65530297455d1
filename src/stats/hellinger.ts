// Hellinger distance between two discrete distributions given as counts or
// probabilities over the same bins (each normalised to sum 1):
//   H(p, q) = sqrt( sum (sqrt p_i - sqrt q_i)^2 / 2 ),  in [0, 1].
// Summing squared differences (not 1 - sum sqrt(p q)) keeps small distances accurate.
import { nonNegativeWeights, type Sample } from './validate.js';

export function hellinger(p: Sample, q: Sample): number {
  const a = nonNegativeWeights('p', p);
  const b = nonNegativeWeights('q', q, a.length);
  let sa = 0, sb = 0;
  for (let i = 0; i < a.length; i++) { sa += a[i]; sb += b[i]; }
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.sqrt(a[i] / sa) - Math.sqrt(b[i] / sb);
    sum += d * d;
  }
  return Math.min(1, Math.sqrt(sum / 2));
}
