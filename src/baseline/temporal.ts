// What a time-ordered reference stretch says about a camera's stream beyond
// its distributions: how long each feature stays correlated (τ) and how
// often the CUSUMs would fire on it at each threshold. Stored in a baseline
// built with --stream, so the monitor neither needs a stable start to
// measure τ nor a recalibration to meet a false-alarm target (docs/policy.md).
import { autocorrelationTime } from '../policy/autocorrelation-time.js';
import { calibrateSequential, type CalibrationResult } from '../policy/calibration.js';
import { histogramSpreadProblem, type HistogramDistanceSpread } from './histogram-spread.js';

export interface BaselineTemporal {
  /** Frame rate the reference stretch was taken at, frames per second. */
  fps: number;
  /** Frames in the time-ordered stretch. */
  frames: number;
  /** Integrated autocorrelation time per scalar feature, frames (>= 1), as measured (before any safety factor). */
  tau: Record<string, number>;
  /** The factor τ was multiplied by for the calibration; the monitor must use the same. */
  tauSafety: number;
  /**
   * The CUSUM false-detection rate's fitted tail on a block bootstrap of the
   * stretch: log(rate per frame per feature) = intercept − slope · h. Null
   * when the bootstrap saw too few detections to fit.
   */
  calibration: { features: number; slack: number; bootstrapFrames: number; fit: { intercept: number; slope: number } } | null;
  /**
   * How far the stretch's histograms, summed over one check interval, stray
   * from its own totals (histogram-spread.ts); the monitor's histogram gate
   * stays above it. Absent in files written before it was measured.
   */
  histogramDistance?: HistogramDistanceSpread;
}

export interface MeasureTemporalOptions {
  fps: number;
  /** Default 2, the monitor's default. */
  tauSafety?: number;
  /** CUSUM slack k. Default 0.5, the monitor's default. */
  slack?: number;
  /** Bootstrap frames per feature. Default 200,000. */
  bootstrapFrames?: number;
  seed?: number;
}

/** Fewer frames than this give τ estimates too noisy to rely on (a τ of 100 needs many looks). */
export const MIN_TEMPORAL_FRAMES = 600;

export function measureTemporal(series: Readonly<Record<string, ArrayLike<number>>>, options: MeasureTemporalOptions): BaselineTemporal {
  const { fps } = options;
  if (typeof fps !== 'number' || !(fps > 0) || !Number.isFinite(fps)) throw new RangeError(`fps must be a finite number > 0; got ${String(fps)}`);
  const tauSafety = options.tauSafety ?? 2;
  if (!(tauSafety >= 1)) throw new RangeError(`tauSafety must be >= 1; got ${String(tauSafety)}`);
  const names = Object.keys(series);
  const frames = names.length ? series[names[0]].length : 0;
  if (frames < MIN_TEMPORAL_FRAMES) throw new RangeError(`a time-ordered reference needs at least ${MIN_TEMPORAL_FRAMES} frames to measure τ; got ${frames}`);
  const tau: Record<string, number> = {};
  for (const name of names) {
    if (series[name].length !== frames) throw new RangeError(`series ${name} has ${series[name].length} values, not ${frames}`);
    tau[name] = autocorrelationTime(series[name]);
  }
  const used = Object.fromEntries(names.map((n) => [n, tau[n] * tauSafety]));
  const slack = options.slack ?? 0.5;
  const result: CalibrationResult = calibrateSequential({ series, taus: used, fps, slack, frames: options.bootstrapFrames, seed: options.seed });
  return {
    fps, frames, tau, tauSafety,
    calibration: result.fit ? { features: result.features, slack, bootstrapFrames: result.frames, fit: result.fit } : null,
  };
}

/**
 * The CUSUM threshold h for at most `falseAlertsPer30Days` false detections
 * per camera per 30 days at the reference's frame rate (or `fps`), from the
 * stored fit; null without one. The budget is split evenly over the features.
 */
export function calibratedThreshold(temporal: BaselineTemporal, falseAlertsPer30Days = 1, fps = temporal.fps): number | null {
  if (!(falseAlertsPer30Days > 0) || !(fps > 0)) throw new RangeError('falseAlertsPer30Days and fps must be > 0');
  const c = temporal.calibration;
  if (!c) return null;
  const targetRatePerFrame = falseAlertsPer30Days / (30 * 86_400 * fps) / Math.max(1, c.features);
  // Below the fitted range the tail fit says nothing: never go under its lowest rung.
  return Math.max(0.5, (c.fit.intercept - Math.log(targetRatePerFrame)) / c.fit.slope);
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks a decoded temporal section; returns a message naming the bad field, or null. */
export function temporalProblem(value: unknown): string | null {
  const t = value as Partial<BaselineTemporal> | null;
  if (!t || typeof t !== 'object') return 'temporal must be a map';
  if (!isFiniteNumber(t.fps) || t.fps <= 0) return 'temporal.fps must be a number > 0';
  if (!Number.isSafeInteger(t.frames) || t.frames! < 1) return 'temporal.frames must be an integer >= 1';
  if (!isFiniteNumber(t.tauSafety) || t.tauSafety < 1) return 'temporal.tauSafety must be a number >= 1';
  if (!t.tau || typeof t.tau !== 'object') return 'temporal.tau must be a map of feature → τ';
  for (const [name, tau] of Object.entries(t.tau)) if (!isFiniteNumber(tau) || tau < 1) return `temporal.tau.${name} must be a number >= 1`;
  const c = t.calibration;
  if (c !== null) {
    if (!c || typeof c !== 'object' || !Number.isSafeInteger(c.features) || !isFiniteNumber(c.slack) || !Number.isSafeInteger(c.bootstrapFrames)
      || !c.fit || !isFiniteNumber(c.fit.intercept) || !isFiniteNumber(c.fit.slope) || c.fit.slope <= 0) {
      return 'temporal.calibration must be nil or { features, slack, bootstrapFrames, fit: { intercept, slope > 0 } }';
    }
  }
  if (t.histogramDistance !== undefined) return histogramSpreadProblem(t.histogramDistance, 'temporal.histogramDistance');
  return null;
}
