// Benjamini–Hochberg step-up procedure: controls the false discovery rate at
// level q for independent (or positively dependent) tests. Adjusted p-values
// are scipy.stats.false_discovery_control(p, method='bh'):
//   p~_(i) = min over j >= i of min(1, m / j * p_(j))   (p sorted ascending),
// and hypothesis i is rejected exactly when its adjusted p-value is <= q.
import { probabilities, type Sample } from './validate.js';

export interface MultipleTestingResult {
  /** Adjusted p-values, in the input order. */
  adjusted: Float64Array;
  /** rejected[i] is true when adjusted[i] <= the level. */
  rejected: boolean[];
}

export function checkLevel(name: string, level: number): number {
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    throw new RangeError(`${name} must lie in (0, 1), got ${String(level)}`);
  }
  return level;
}

export function benjaminiHochberg(pvalues: Sample, options: { q?: number } = {}): MultipleTestingResult {
  const q = checkLevel('options.q', options.q ?? 0.05);
  const p = probabilities('pvalues', pvalues);
  const m = p.length;
  const order = Array.from(p.keys()).sort((i, j) => p[i] - p[j]);
  const adjusted = new Float64Array(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1];
    running = Math.min(running, p[i] * (m / rank));
    adjusted[i] = running;
  }
  return { adjusted, rejected: Array.from(adjusted, (a) => a <= q) };
}
