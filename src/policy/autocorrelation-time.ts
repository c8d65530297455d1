// The integrated autocorrelation time τ of a feature, measured on a stable
// stretch in time order: n consecutive frames carry about n / τ independent
// looks. A window test at n / τ does not collapse when a change fills only
// part of the window, as the window's own estimate does (docs/policy.md).
import { effectiveSampleSize } from '../window/effective-size.js';

/** Lags the Geyer sum may reach on a long stable stretch: slow exposure wander has τ near 100 frames. */
export const STABLE_STRETCH_MAX_LAG = 600;

/** τ = n / ESS of a time-ordered stable series (>= 1). Needs at least 3 values. */
export function autocorrelationTime(series: ArrayLike<number>, maxLag = STABLE_STRETCH_MAX_LAG): number {
  if (series.length < 3) throw new RangeError(`a stable stretch needs at least 3 values to measure τ; got ${series.length}`);
  for (let i = 0; i < series.length; i++) {
    if (!Number.isFinite(series[i])) throw new RangeError(`stable stretch value ${i} is not finite: ${series[i]}`);
  }
  return Math.max(1, series.length / effectiveSampleSize(series, { maxLag }));
}

/** τ per feature of a stable stretch given as one time-ordered series per feature. */
export function autocorrelationTimes(series: Readonly<Record<string, ArrayLike<number>>>, maxLag = STABLE_STRETCH_MAX_LAG): Record<string, number> {
  return Object.fromEntries(Object.entries(series).map(([name, values]) => [name, autocorrelationTime(values, maxLag)]));
}
