// What an alert says changed, measured on the latest frames rather than the
// whole window: a check flags a change once part of the window holds it, and
// then the window's median shows only a fraction of the change. The median of
// the latest frames shows its full size, which the probable-cause rules need
// (a darkening of 30% seen as 5% is not recognised as low light).
import { featureReference, type Baseline, type FeatureReference } from '../baseline/baseline.js';
import type { FeatureTest } from './feature-test.js';
import { findingFromTest, type Finding } from './finding.js';

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The baseline's interquartile range: 0 for a feature that sits on one value most of the time. */
export function baselineIqr(reference: FeatureReference): number {
  return reference.sketch.quantile(0.75) - reference.sketch.quantile(0.25);
}

/** Same spread as the check's effect: the baseline IQR, else its std, else a tiny one. */
export function baselineSpread(reference: FeatureReference): { median: number; spread: number } {
  // A feature the baseline never varied: its value is exact, the sketch's may be rounded.
  const median = reference.min === reference.max ? reference.min : reference.sketch.quantile(0.5);
  const iqr = baselineIqr(reference);
  return { median, spread: iqr > 0 ? iqr : reference.std > 0 ? reference.std : Math.max(1e-9, 1e-9 * Math.abs(median)) };
}

/** A continuous test re-measured on `recent` (the latest values); other kinds are returned as they are. */
export function recentTest(test: FeatureTest, recent: Float64Array, baseline: Baseline): FeatureTest {
  const reference = featureReference(baseline, test.feature);
  if (test.kind !== 'continuous' || !reference || recent.length === 0) return test;
  const { median, spread } = baselineSpread(reference);
  const windowMedian = medianOf(recent);
  const shift = windowMedian - median;
  return {
    ...test, windowMedian, baselineMedian: median, effect: shift / spread,
    relativeChange: median !== 0 ? shift / Math.abs(median) : null,
    direction: shift > 0 ? 'up' : shift < 0 ? 'down' : null,
  };
}

/**
 * The findings of a drifting check: the implicated tests, plus every other
 * continuous feature whose latest values moved by at least `alsoMovedEffect`
 * baseline IQRs (the rest of the pattern the cause rules read, marked
 * implicated: false), each with its effect measured on the latest values.
 */
export function recentFindings(tests: readonly FeatureTest[], implicated: ReadonlySet<string>, latest: (feature: string) => Float64Array,
                               baseline: Baseline, alsoMovedEffect: number): Finding[] {
  const findings: Finding[] = [];
  for (const test of tests) {
    const recent = test.kind === 'continuous' ? recentTest(test, latest(test.feature), baseline) : test;
    const found = implicated.has(test.feature);
    if (found || (test.kind === 'continuous' && Math.abs(recent.effect) >= alsoMovedEffect)) findings.push({ ...findingFromTest(recent), implicated: found });
  }
  return findings;
}
