// Two-sample Kolmogorov–Smirnov test with scipy.stats.ks_2samp's semantics.
// The sort and the ECDF sweep run in WASM; p-values are computed here.
import type { Kernels } from '../kernels.js';
import { statsKernels } from './stats-kernels.js';
import { exactPValue, gcd, type Alternative } from './ks-exact.js';
import { kolmogorovSf } from './kolmogorov-n.js';
import { finiteSample, oneOf, type Sample } from './validate.js';

export type { Alternative } from './ks-exact.js';
export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface Ks2sampOptions {
  /** Kernels from `await loadKernels()`: the sort and sweep run there. */
  kernels: Kernels;
  /** 'two-sided' (default): F_a != F_b; 'less': F_a < F_b somewhere; 'greater': F_a > F_b somewhere. */
  alternative?: Alternative;
  /** 'auto' (default): exact when both sizes are at most 10,000, else asymptotic. */
  method?: KsMethod;
}

export interface Ks2sampResult {
  /** D (two-sided), D+ = max(F_a - F_b) ('greater') or D- = max(F_b - F_a) ('less'). */
  statistic: number;
  pvalue: number;
  /** The method that produced the p-value ('exact' falls back to 'asymp' where scipy's does). */
  method: 'exact' | 'asymp';
  n: number;
  m: number;
}

const ALTERNATIVES = ['two-sided', 'less', 'greater'] as const;
const METHODS = ['auto', 'exact', 'asymp'] as const;
const MAX_AUTO_EXACT = 10000;
const INT32_MAX = 2147483647;

/** numpy's round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function asymptoticPValue(n1: number, n2: number, d: number, alternative: Alternative): number {
  const m = Math.max(n1, n2), n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  if (alternative === 'two-sided') {
    const effective = roundHalfEven(en);
    if (effective < 1) {
      throw new RangeError(`method 'asymp' needs n*m/(n+m) >= 1 (here ${n1} and ${n2}); use method 'exact'`);
    }
    return kolmogorovSf(effective, d);
  }
  // Hodges (1958), eq. 5.3, with m the larger size.
  const z = Math.sqrt(en) * d;
  return Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
}

export function ks2samp(a: Sample, b: Sample, options: Ks2sampOptions): Ks2sampResult {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('ks2samp needs options { kernels } (from await loadKernels())');
  }
  const alternative = oneOf('options.alternative', options.alternative, ALTERNATIVES, 'two-sided');
  let method: KsMethod = oneOf('options.method', options.method, METHODS, 'auto');
  const stats = statsKernels(options.kernels);
  const x = finiteSample('a', a);
  const y = finiteSample('b', b);
  const n1 = x.length, n2 = y.length;

  const { plus, minus } = stats.ksPair(x, y);
  let d = alternative === 'greater' ? plus : alternative === 'less' ? minus : minus > plus ? minus : plus;

  const g = gcd(n1, n2);
  if (method === 'auto') method = Math.max(n1, n2) <= MAX_AUTO_EXACT ? 'exact' : 'asymp';
  else if (method === 'exact' && n1 / g >= INT32_MAX / (n2 / g)) method = 'asymp';

  let pvalue: number | undefined;
  if (method === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm; // scipy reports the statistic on the lattice 1/lcm
    pvalue = exactPValue(n1, n2, h, alternative);
    if (pvalue === undefined) method = 'asymp';
  }
  if (pvalue === undefined) pvalue = asymptoticPValue(n1, n2, d, alternative);
  return { statistic: d, pvalue: Math.min(1, Math.max(0, pvalue)), method, n: n1, m: n2 };
}
