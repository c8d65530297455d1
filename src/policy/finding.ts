// What an alert says about one feature: the check's test result in the
// feature's own unit, the shape the lifecycle and the cause rules read.
import { PREDICTION_FEATURES, SCALAR_FEATURES } from '../catalogue.js';
import type { FeatureTest } from './feature-test.js';

export type FindingDirection = 'up' | 'down';

export interface Finding {
  /** Catalogue name (`luma_mean`), histogram name (`hue`), class mix (`predicted_class`) or prediction statistic (`pred_*`). */
  feature: string;
  /** The test statistic: KS D (continuous), chi-square (class mix), Jensen–Shannon distance (histogram). */
  statistic: number;
  /** The test's p-value (BH-adjusted when the check adjusts); null for histograms, judged by distance alone. */
  pvalue: number | null;
  /**
   * Continuous: signed shift of the window median from the baseline median,
   * divided by the baseline's interquartile range (its std when the IQR is 0):
   * (window median − baseline median) / baseline IQR. Comparable across
   * features: 1 means the median moved by one baseline IQR.
   * Histograms and class mixes: the Jensen–Shannon distance, in [0, 1].
   */
  effect: number;
  /** Continuous: window median − baseline median, in `unit`. Null for histograms and class mixes. */
  shift: number | null;
  /** (window median − baseline median) / |baseline median|; null when the baseline median is 0 or for distributions. */
  relativeChange: number | null;
  /** Sign of the shift; null for histograms and class mixes, which have no direction. */
  direction: FindingDirection | null;
  /** The feature's unit from the catalogue (`level (0-255)`); `JS distance` for distributions. */
  unit: string;
  /**
   * false when the check did not find this feature changed and it is listed
   * only as context, because its latest frames moved (the monitor's
   * alsoMovedEffect). Absent: treated as found changed.
   */
  implicated?: boolean;
}

const UNITS: ReadonlyMap<string, string> = new Map([...SCALAR_FEATURES, ...PREDICTION_FEATURES].map((f) => [f.name, f.unit]));

/** The catalogue unit of a feature; 'JS distance' for histograms and class mixes, '' when unknown. */
export function unitOf(feature: string, kind: FeatureTest['kind']): string {
  if (kind !== 'continuous') return 'JS distance';
  return UNITS.get(feature) ?? '';
}

/** A check's feature test as a Finding (pvalue: the BH-adjusted one when present). */
export function findingFromTest(test: FeatureTest): Finding {
  const shift = test.windowMedian !== null && test.baselineMedian !== null ? test.windowMedian - test.baselineMedian : null;
  return {
    feature: test.feature,
    statistic: test.statistic,
    pvalue: test.adjustedPvalue ?? test.pvalue,
    effect: test.effect,
    shift,
    relativeChange: test.relativeChange,
    direction: test.direction,
    unit: unitOf(test.feature, test.kind),
  };
}
