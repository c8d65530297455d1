// Survival function of the one-sided one-sample KS statistic D+_n (Smirnov):
//   Pr(D+_n >= x) = x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
// (Smirnov 1944; Birnbaum & Tingey 1951). Terms are summed in log space, so
// n up to a million does not overflow; the series is cut once the terms have
// peaked and fallen below 1e-17 of the sum. Relative accuracy about 1e-11.
import { logFactorials } from './log-factorial.js';

const MIN_LOG = -708.3964185322641; // log of the smallest normal double
const MAX_EXACT_N = 1_000_000;

export function smirnovSf(n: number, x: number): number {
  if (!(n >= 1) || !(x >= 0 && x <= 1)) throw new RangeError(`smirnovSf(${n}, ${x}) is out of its domain`);
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  if (nx <= 1) return 1 - x * Math.pow(1 + x, n - 1);
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nx >= n - 1) return Math.pow(1 - x, n);
  if (n > MAX_EXACT_N) {
    // Beyond a million terms: the approximation exp(-(6nx+1)^2 / (18n)).
    return Math.exp(-Math.pow(6 * nx + 1, 2) / 18 / n);
  }
  const last = Math.floor(n * (1 - x));
  const lf = logFactorials(n);
  const logN = lf[n];
  let sum = 0, previous = 0;
  for (let v = 0; v <= last; v++) {
    const low = x + v / n;
    const high = (n - v - nx) / n; // 1 - x - v/n without the cancellation of 1 - low
    if (high <= 0) break;
    const term = Math.exp(logN - lf[v] - lf[n - v] + (v - 1) * Math.log(low) + (n - v) * Math.log(high));
    sum += term;
    if (term < previous && term < 1e-17 * sum) break;
    previous = term;
  }
  return Math.min(1, Math.max(0, x * sum));
}
