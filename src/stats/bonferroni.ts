// Bonferroni correction: controls the family-wise error rate at level alpha
// under any dependence. Adjusted p-value min(1, m * p); rejected when <= alpha.
import { probabilities, type Sample } from './validate.js';
import { checkLevel, type MultipleTestingResult } from './benjamini-hochberg.js';

export function bonferroni(pvalues: Sample, options: { alpha?: number } = {}): MultipleTestingResult {
  const alpha = checkLevel('options.alpha', options.alpha ?? 0.05);
  const p = probabilities('pvalues', pvalues);
  const adjusted = p.map((x) => Math.min(1, x * p.length));
  return { adjusted, rejected: Array.from(adjusted, (a) => a <= alpha) };
}
