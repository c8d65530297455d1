// Calibrating the sequential detectors' threshold to a false-alarm target
// (docs/policy.md): block-bootstrap streams from a stable stretch, count the
// CUSUM detections at a ladder of low thresholds (where they are frequent
// enough to count), fit the exponential tail of the rate in h, and solve for
// the h whose rate meets the target. The target itself (one in 26 million
// frames for one a month at 10 fps) is far beyond what can be simulated.
import { Cusum } from '../detectors/cusum.js';
import { blockBootstrap, seededUniform } from './block-bootstrap.js';

export interface CalibrationInput {
  /** The stable stretch, one time-ordered series per feature. */
  series: Readonly<Record<string, ArrayLike<number>>>;
  /** τ per feature, as the monitor uses it (after its safety factor). */
  taus: Readonly<Record<string, number>>;
  /** Frames per second of the camera. */
  fps: number;
  /** False alerts per camera per 30 days the user accepts. Default 1. */
  falseAlertsPer30Days?: number;
  /** CUSUM slack k, in long-run sds. Default 0.5. */
  slack?: number;
  /** Bootstrap frames per feature. Default 200,000. */
  frames?: number;
  /** Thresholds at which detections are counted. Default 0.5, 1, 1.5, 2, 3, 4. */
  ladder?: readonly number[];
  seed?: number;
}

export interface CalibrationResult {
  /** The CUSUM threshold meeting the target by extrapolation; null when no detection was seen at any rung. */
  threshold: number | null;
  /** The target as a per-frame rate per feature (the camera's budget split evenly over its features). */
  targetRatePerFrame: number;
  /** Detections per frame per feature at each rung, summed over features. */
  ladder: Array<{ threshold: number; ratePerFrame: number }>;
  /** log(rate) = intercept − slope · h, fitted on rungs with at least 10 detections. */
  fit: { intercept: number; slope: number } | null;
  frames: number;
  features: number;
}

const DEFAULT_LADDER = [0.5, 1, 1.5, 2, 3, 4];

function mean(x: ArrayLike<number>): number { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; return s / x.length; }
function std(x: ArrayLike<number>, m: number): number { let s = 0; for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2; return Math.sqrt(s / x.length); }

export function calibrateSequential(input: CalibrationInput): CalibrationResult {
  const frames = input.frames ?? 200_000;
  const slack = input.slack ?? 0.5;
  const ladder = input.ladder ?? DEFAULT_LADDER;
  const perMonth = input.falseAlertsPer30Days ?? 1;
  if (!(input.fps > 0) || !(perMonth > 0)) throw new RangeError('fps and falseAlertsPer30Days must be > 0');
  const uniform = seededUniform(input.seed ?? 2026);
  const counts = ladder.map(() => 0);
  let features = 0;
  for (const [name, series] of Object.entries(input.series)) {
    const m = mean(series), sd = std(series, m);
    if (!(sd > 0)) continue; // a constant feature is compared exactly, not by CUSUM
    features++;
    const tau = Math.max(1, input.taus[name] ?? 1);
    const block = Math.min(series.length >> 1, Math.max(1, Math.ceil(4 * tau)));
    const stream = blockBootstrap(series, frames, block, uniform);
    ladder.forEach((h, r) => {
      const cusum = new Cusum({ mean: m, std: sd * Math.sqrt(tau), threshold: h, slack });
      for (let i = 0; i < stream.length; i++) if (cusum.update(stream[i]).driftDetected) counts[r]++;
    });
  }
  const total = frames * Math.max(1, features);
  const rates = ladder.map((threshold, r) => ({ threshold, ratePerFrame: counts[r] / total }));
  const targetRatePerFrame = perMonth / (30 * 86_400 * input.fps) / Math.max(1, features);
  const usable = rates.filter((_, r) => counts[r] >= 10);
  let fit: CalibrationResult['fit'] = null;
  if (usable.length >= 2) {
    const xs = usable.map((u) => u.threshold), ys = usable.map((u) => Math.log(u.ratePerFrame));
    const mx = mean(xs), my = mean(ys);
    let sxy = 0, sxx = 0;
    xs.forEach((x, i) => { sxy += (x - mx) * (ys[i] - my); sxx += (x - mx) ** 2; });
    const slope = -sxy / sxx;
    if (slope > 0) fit = { intercept: my + slope * mx, slope };
  }
  const threshold = fit ? Math.max(ladder[0], (fit.intercept - Math.log(targetRatePerFrame)) / fit.slope) : null;
  return { threshold, targetRatePerFrame, ladder: rates, fit, frames, features };
}
