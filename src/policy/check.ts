// One check: every feature of a camera's current window against the baseline,
// the family of p-values controlled by Benjamini–Hochberg (docs/check.md).
import { featureReference, type Baseline, type FeatureReference } from '../baseline/baseline.js';
import type { HistogramName } from '../catalogue.js';
import { HISTOGRAM_FEATURES, PREDICTION_FEATURE_NAMES, SCALAR_FEATURE_NAMES } from '../catalogue.js';
import type { CategoricalCounts } from '../categorical/categorical-counts.js';
import { benjaminiHochberg } from '../stats/benjamini-hochberg.js';
import { chiSquareHomogeneity } from '../stats/chi-square.js';
import { jensenShannon } from '../stats/divergence.js';
import { kolmogorovSfCached } from '../stats/kolmogorov-cache.js';
import type { CameraWindows } from '../window/camera-windows.js';
import { effectiveSampleSize } from '../window/effective-size.js';
import { ksStatistic } from '../window/ks-window-test.js';
import type { ReferenceDistribution } from '../window/reference.js';
import type { FeatureTest } from './feature-test.js';

export interface CheckOptions {
  /** Benjamini–Hochberg level for the family of p-values. Default 0.01. */
  q?: number;
  /** Smallest |effect| (median shift in baseline IQRs) that counts. Default 0.5. */
  minEffect?: number;
  /** Smallest effective sample size a continuous test needs to count. Default 5. */
  minEffectiveSize?: number;
  /** Jensen–Shannon distance from which a histogram or class mix counts as changed. Default 0.1. */
  minDistance?: number;
  /** Per histogram, a distance gate of its own in [0, 1] instead of minDistance (the monitor's, from the baseline's spread). */
  histogramMinDistance?: Partial<Record<HistogramName, number>>;
  /**
   * Per feature, the integrated autocorrelation time τ (>= 1) measured on a
   * stable stretch. When given, a window of n values is tested at n / τ
   * instead of its own effective sample size, which a change filling part of
   * the window would collapse (it looks like a trend). Features not listed
   * keep the window's own estimate.
   */
  autocorrelationTimes?: Readonly<Record<string, number>>;
}

export interface CheckInput {
  windows: CameraWindows;
  baseline: Baseline;
  /** Histograms summed over the window's frames, when the caller keeps them. */
  histograms?: Partial<Record<HistogramName, ArrayLike<number>>>;
  /** The window's predicted classes, when predictions arrive. */
  classes?: Readonly<Record<string, CategoricalCounts>>;
}

export interface CheckResult {
  tests: FeatureTest[];
  /** The tests that passed every gate. */
  significant: FeatureTest[];
  drift: boolean;
}

/** The distance gate for histograms and class mixes when none is given. */
export const DEFAULT_MIN_DISTANCE = 0.1;

function option(name: string, value: number | undefined, fallback: number, low: number, high: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= low && value <= high)) throw new RangeError(`options.${name} must lie in [${low}, ${high}], got ${String(value)}`);
  return value;
}

function histogramMinDistance(value: CheckOptions['histogramMinDistance'], fallback: number): Record<HistogramName, number> {
  if (value !== undefined && (value === null || typeof value !== 'object')) throw new TypeError('options.histogramMinDistance must be an object of histogram → distance');
  return Object.fromEntries(HISTOGRAM_FEATURES.map(({ name }) => [name, option(`histogramMinDistance.${name}`, value?.[name], fallback, 0, 1)])) as Record<HistogramName, number>;
}

function autocorrelationTimes(value: CheckOptions['autocorrelationTimes']): Readonly<Record<string, number>> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw new TypeError('options.autocorrelationTimes must be an object of feature → τ');
  for (const [name, tau] of Object.entries(value)) {
    if (typeof tau !== 'number' || !(tau >= 1) || !Number.isFinite(tau)) throw new RangeError(`options.autocorrelationTimes.${name} must be a finite number >= 1, got ${String(tau)}`);
  }
  return value;
}

function median(sorted: Float64Array): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// A feature that never varied in the baseline (the frame size, say) is
// compared exactly: any other value is a change, with certainty.
function exactComparison(sorted: Float64Array, constant: number): { d: number; pvalue: number; ess: number } {
  let unequal = 0;
  for (const v of sorted) if (v !== constant) unequal++;
  return { d: unequal / sorted.length, pvalue: unequal > 0 ? 0 : 1, ess: sorted.length };
}

// The sketch keeps float32 values: its rank at the largest float32 below
// fround(x) is the fraction strictly below x.
const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
function nextDown(x: number): number {
  F32[0] = x;
  const f = F32[0];
  if (f === 0) return -1.401298464324817e-45; // the smallest float32 below 0
  I32[0] += f > 0 ? -1 : 1;
  return F32[0];
}

// A sketch reference with R(x⁻) as well as R(x): a discrete feature (luma_p50
// takes integer levels) has atoms, and standing R(x) in for R(x⁻) would add
// an atom's whole mass to D on windows drawn from the baseline itself.
function withRankBelow(sketch: FeatureReference['sketch']): ReferenceDistribution {
  return { n: sketch.n, rank: (x: number) => sketch.rank(x), rankBelow: (x: number) => sketch.rank(nextDown(x)) };
}

function ksWithEffectiveSize(sorted: Float64Array, values: Float64Array, reference: FeatureReference, tau: number | undefined): { d: number; pvalue: number; ess: number } {
  const ess = tau === undefined ? effectiveSampleSize(values) : Math.min(values.length, Math.max(1, values.length / tau));
  const d = ksStatistic(sorted, withRankBelow(reference.sketch));
  // The sketch's ranks are within eps of the truth, so D - eps is a lower
  // bound on the true D: its p-value errs on the quiet side.
  const dLow = Math.max(0, d - reference.sketch.normalizedRankError);
  const paired = Math.max(1, Math.round((ess * reference.count) / (ess + reference.count)));
  return { d, pvalue: kolmogorovSfCached(paired, dLow), ess };
}

function continuousTest(name: string, values: Float64Array, reference: FeatureReference, tau: number | undefined): FeatureTest {
  const sorted = Float64Array.from(values).sort();
  const { d, pvalue, ess } = reference.min === reference.max
    ? exactComparison(sorted, reference.min)
    : ksWithEffectiveSize(sorted, values, reference, tau);
  const windowMedian = median(sorted);
  const baselineMedian = reference.sketch.quantile(0.5);
  const iqr = reference.sketch.quantile(0.75) - reference.sketch.quantile(0.25);
  // A feature that never varied in the baseline (frame size, say): any shift is large.
  const spread = iqr > 0 ? iqr : reference.std > 0 ? reference.std : Math.max(1e-9, 1e-9 * Math.abs(baselineMedian));
  const shift = windowMedian - baselineMedian;
  return {
    feature: name,
    kind: 'continuous',
    statistic: d,
    pvalue,
    adjustedPvalue: null,
    effectiveSize: ess,
    effect: shift / spread,
    relativeChange: baselineMedian !== 0 ? shift / Math.abs(baselineMedian) : null,
    direction: shift > 0 ? 'up' : shift < 0 ? 'down' : null,
    windowMedian,
    baselineMedian,
    significant: false,
  };
}

// Histograms and class mixes: the effect is their Jensen–Shannon distance.
function distributionTest(feature: string, kind: 'histogram' | 'categorical', window: ArrayLike<number>,
                          reference: ArrayLike<number>, chi?: { statistic: number; pvalue: number }): FeatureTest {
  const distance = jensenShannon(window, reference).distance;
  let size = 0;
  for (let i = 0; i < window.length; i++) size += window[i];
  return {
    feature, kind, statistic: chi ? chi.statistic : distance, pvalue: chi ? chi.pvalue : null, adjustedPvalue: null,
    effectiveSize: size, effect: distance, relativeChange: null, direction: null, windowMedian: null, baselineMedian: null,
    significant: false,
  };
}

function categoricalTests(input: CheckInput): FeatureTest[] {
  const tests: FeatureTest[] = [];
  for (const [name, windowCounts] of Object.entries(input.classes ?? {})) {
    const reference = input.baseline.categorical[name];
    if (!reference || windowCounts.total === 0) continue;
    const categories = [...new Set([...reference.entries(), ...windowCounts.entries()].map(([c]) => c))].sort();
    const observed = categories.map((c) => windowCounts.count(c));
    const expected = categories.map((c) => reference.count(c));
    tests.push(distributionTest(name, 'categorical', observed, expected, chiSquareHomogeneity(expected, observed)));
  }
  return tests;
}

export function runCheck(input: CheckInput, options: CheckOptions = {}): CheckResult {
  const q = option('q', options.q, 0.01, Number.MIN_VALUE, 0.5);
  const minEffect = option('minEffect', options.minEffect, 0.5, 0, Number.MAX_VALUE);
  const minEffectiveSize = option('minEffectiveSize', options.minEffectiveSize, 5, 1, Number.MAX_VALUE);
  const minDistance = option('minDistance', options.minDistance, DEFAULT_MIN_DISTANCE, 0, 1);
  const taus = autocorrelationTimes(options.autocorrelationTimes);
  const histogramGate = histogramMinDistance(options.histogramMinDistance, minDistance);
  const tests: FeatureTest[] = [];
  // Prediction features are tested like image features when both the
  // baseline and the windows have them (docs/predictions.md).
  for (const name of [...SCALAR_FEATURE_NAMES, ...PREDICTION_FEATURE_NAMES]) {
    const reference = featureReference(input.baseline, name);
    if (!reference || !input.windows.features.includes(name)) continue;
    const values = input.windows.get(name).values();
    if (values.length >= 2) tests.push(continuousTest(name, values, reference, taus[name]));
  }
  tests.push(...categoricalTests(input));
  const family = tests.filter((t) => t.pvalue !== null);
  if (family.length > 0) {
    const { adjusted } = benjaminiHochberg(family.map((t) => t.pvalue!), { q });
    family.forEach((t, i) => {
      t.adjustedPvalue = adjusted[i];
      const bigEnough = t.kind === 'continuous' ? Math.abs(t.effect) >= minEffect && t.effectiveSize >= minEffectiveSize : t.effect >= minDistance;
      t.significant = adjusted[i] <= q && bigEnough;
    });
  }
  for (const { name } of HISTOGRAM_FEATURES) {
    const window = input.histograms?.[name];
    if (!window) continue;
    const test = distributionTest(name, 'histogram', window, input.baseline.histograms[name]);
    test.significant = test.effect >= histogramGate[name];
    tests.push(test);
  }
  const significant = tests.filter((t) => t.significant);
  return { tests, significant, drift: significant.length > 0 };
}
