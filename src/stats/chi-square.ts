// Chi-square test of homogeneity for categorical counts: are the reference
// and current counts draws from the same categorical distribution? The same
// test as scipy.stats.chi2_contingency on the 2 x k table [reference; current]:
//   expected E_ij = row_i * column_j / total,  X^2 = sum (O_ij - E_ij)^2 / E_ij,
//   dof = k - 1, p = Q((k - 1)/2, X^2/2),
// with Yates' continuity correction when dof = 1 (scipy's default).
// Categories empty in both rows carry no information and are dropped first
// (scipy would reject the table instead).
import { nonNegativeWeights, type Sample } from './validate.js';
import { chiSquareSf } from './gamma.js';

export interface ChiSquareOptions {
  /** Yates' correction when there is one degree of freedom; default true, as scipy. */
  correction?: boolean;
}

export interface ChiSquareResult {
  statistic: number;
  pvalue: number;
  /** Degrees of freedom: categories used - 1. */
  dof: number;
  /** Number of categories with a count in either row. */
  categories: number;
}

export function chiSquareHomogeneity(reference: Sample, current: Sample, options: ChiSquareOptions = {}): ChiSquareResult {
  const ref = nonNegativeWeights('reference', reference);
  const cur = nonNegativeWeights('current', current, ref.length);
  if (options.correction !== undefined && typeof options.correction !== 'boolean') {
    throw new TypeError('options.correction must be a boolean');
  }
  const rows: number[][] = [[], []];
  for (let j = 0; j < ref.length; j++) {
    if (ref[j] + cur[j] > 0) { rows[0].push(ref[j]); rows[1].push(cur[j]); }
  }
  const k = rows[0].length;
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pvalue: 1, dof, categories: k };
  const rowTotals = rows.map((r) => r.reduce((s, x) => s + x, 0));
  const total = rowTotals[0] + rowTotals[1];
  const yates = dof === 1 && (options.correction ?? true);
  let statistic = 0;
  for (let j = 0; j < k; j++) {
    const column = rows[0][j] + rows[1][j];
    for (let i = 0; i < 2; i++) {
      const expected = (rowTotals[i] * column) / total;
      let observed = rows[i][j];
      if (yates) {
        const diff = expected - observed;
        observed += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += ((observed - expected) ** 2) / expected;
    }
  }
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof, categories: k };
}
