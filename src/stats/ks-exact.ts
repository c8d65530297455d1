// Exact null distribution of the two-sample KS statistic, as scipy computes
// it: lattice paths from (0, 0) to (n1, n2) where a step right is a value
// from the first sample and a step up one from the second. D >= h/lcm(n1, n2)
// exactly when the path touches the line(s) |x/n1 - y/n2| = h/lcm.
// Methods follow Hodges (1958); the two-sided unequal case propagates the
// proportion of paths already outside (Viehmann 2021), which stays accurate
// for tiny p-values.
import { logBinomial } from './log-factorial.js';

export type Alternative = 'two-sided' | 'less' | 'greater';

/** Pr(D_{n,n} >= h/n) for two samples of equal size n (two-sided). */
function equalSizesTwoSided(n: number, h: number): number {
  // 2 * (A0 - A0*A1 + A0*A1*A2 - ...), each A_k a ratio of binomials written
  // as a product of h factors, evaluated from the innermost term outwards.
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/** Pr(D+_{n,n} >= h/n) = C(2n, n-h) / C(2n, n), as a product of ratios. */
function equalSizesOneSided(n: number, h: number): number {
  let p = 1;
  for (let j = 0; j < h; j++) p *= (n - j) / (n + j + 1);
  return p;
}

/**
 * Proportion of paths that leave the band |x*ng - y*mg| < h (in units of
 * 1/lcm), for unequal sizes. One column of the lattice is kept; a cell holds
 * the proportion of paths reaching it that have already left the band.
 */
function unequalSizesTwoSided(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2), n = Math.min(n1, n2);
  const mg = m / g, ng = n / g;
  const column = new Float64Array(n + 1).fill(1);
  let hi = Math.min(Math.ceil(h / mg), n + 1);
  column.fill(0, 0, hi); // the first column: inside the band until y reaches h/mg
  let lo = 0;
  for (let i = 1; i <= m; i++) {
    const lastLo = lo;
    lo = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    hi = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (hi <= lo) return 1;
    column.fill(1, lastLo, lo); // cells that fell below the band: every path is out
    let below = lo === 0 ? 0 : 1;
    for (let j = lo; j < hi; j++) {
      below = (column[j] * i + below * j) / (i + j);
      column[j] = below;
    }
  }
  return column[n];
}

/**
 * Number of paths that reach the line m*y = n*x - h*g (one-sided, unequal
 * sizes), counted by first passage: B_j paths reach the line first at its
 * j-th lattice crossing, each extended to (m, n) in C(...) ways. Returns
 * Infinity when the counts do not fit a double, as scipy gives up there.
 */
function pathsOutsideOneSided(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2), n = Math.min(n1, n2);
  const mg = m / g, ng = n / g;
  const binom = (a: number, b: number): number => Math.exp(logBinomial(a, b));
  const crossings = n + Math.floor((mg - h) / mg);
  if (crossings <= 0) return binom(m + n, n);
  const x = new Float64Array(crossings);
  for (let j = 0; j < crossings; j++) x[j] = Math.floor((h + mg * j + ng - 1) / ng);
  const first = new Float64Array(crossings);
  first[0] = 1;
  for (let j = 1; j < crossings; j++) {
    let paths = binom(x[j] + j, j);
    for (let i = 0; i < j; i++) paths -= binom(x[j] - x[i] + j - i, j - i) * first[i];
    first[j] = paths;
  }
  let total = 0;
  for (let j = 0; j < crossings; j++) total += first[j] * binom(m - x[j] + n - j, n - j);
  return total;
}

/**
 * The exact p-value Pr(D >= h/lcm) under the null hypothesis, or undefined
 * where scipy's exact computation gives up (counts beyond double range) and
 * falls back to the asymptotic distribution.
 */
export function exactPValue(n1: number, n2: number, h: number, alternative: Alternative): number | undefined {
  if (h === 0) return 1;
  const g = gcd(n1, n2);
  let p: number;
  if (alternative === 'two-sided') {
    p = n1 === n2 ? equalSizesTwoSided(n1, h) : unequalSizesTwoSided(n1, n2, g, h);
  } else if (n1 === n2) {
    p = equalSizesOneSided(n1, h);
  } else {
    const all = logBinomial(n1 + n2, n1);
    if (all > Math.log(Number.MAX_VALUE)) return undefined;
    const paths = pathsOutsideOneSided(n1, n2, g, h);
    const binom = Math.exp(all);
    if (!Number.isFinite(paths) || !Number.isFinite(binom) || paths > binom) return undefined;
    p = paths / binom;
  }
  return p >= 0 && p <= 1 ? p : undefined;
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
