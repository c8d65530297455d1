// One feature's comparison with the baseline in one check.

export type FeatureTestKind = 'continuous' | 'histogram' | 'categorical';

export interface FeatureTest {
  feature: string;
  kind: FeatureTestKind;
  /** KS D (continuous), Jensen–Shannon distance (histogram), chi-square (categorical). */
  statistic: number;
  /** The test's p-value; null for histograms, which are judged by distance alone. */
  pvalue: number | null;
  /** Benjamini–Hochberg adjusted p-value over the check's family; null for histograms. */
  adjustedPvalue: number | null;
  /** Effective sample size the p-value used (continuous), else the count compared. */
  effectiveSize: number;
  /**
   * Continuous: (window median − baseline median) / baseline spread, where the
   * spread is the baseline's interquartile range (its std when the IQR is 0).
   * Histogram and categorical: the Jensen–Shannon distance (>= 0).
   */
  effect: number;
  /** (window median − baseline median) / |baseline median|; null when the baseline median is 0. */
  relativeChange: number | null;
  direction: 'up' | 'down' | null;
  windowMedian: number | null;
  baselineMedian: number | null;
  /** Passed every gate of the check (significance, minimum effect, minimum effective size). */
  significant: boolean;
}
