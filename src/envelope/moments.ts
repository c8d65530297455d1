// Count, mean, sum of squared deviations (m2), min and max of one feature:
// Welford's update per value and Chan et al.'s parallel merge of two parts,
// so summaries made apart combine as if their values had been pooled.

export interface Moments {
  n: number;
  mean: number;
  /** Sum of squared deviations from the mean; variance = m2 / n (population) or m2 / (n − 1). */
  m2: number;
  /** NaN while n = 0. */
  min: number;
  max: number;
}

export const emptyMoments = (): Moments => ({ n: 0, mean: 0, m2: 0, min: NaN, max: NaN });

export function addValue(m: Moments, x: number): void {
  m.n += 1;
  const delta = x - m.mean;
  m.mean += delta / m.n;
  m.m2 += delta * (x - m.mean);
  if (m.n === 1) { m.min = x; m.max = x; }
  else { if (x < m.min) m.min = x; if (x > m.max) m.max = x; }
}

/** Adds `b` into `a` (Chan, Golub & LeVeque's pairwise combination). */
export function mergeMoments(a: Moments, b: Readonly<Moments>): void {
  if (b.n === 0) return;
  if (a.n === 0) { Object.assign(a, b); return; }
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  a.mean += delta * (b.n / n);
  a.m2 += b.m2 + delta * delta * (a.n * b.n / n);
  a.n = n;
  a.min = Math.min(a.min, b.min);
  a.max = Math.max(a.max, b.max);
}
