// One CUSUM per feature on every admitted frame, standardized by the
// baseline mean and the feature's long-run sd (std · √τ): consecutive frames
// are correlated, and the long-run sd is what keeps a CUSUM on them quiet
// (docs/detectors.md). A detection marks the feature as drifting for the next
// `holdChecks` checks, so a slow drift that no window shows still makes
// findings, and a lasting one keeps making them (the CUSUM restarts after
// each detection and detects again).
import { featureReference, type Baseline } from '../baseline/baseline.js';
import { Cusum } from '../detectors/cusum.js';
import type { DriftDirection } from '../detectors/detector.js';

export interface SequentialOptions {
  /** CUSUM threshold h, in long-run sds. Default 15. */
  threshold?: number;
  /** CUSUM slack k, in long-run sds. Default 0.5. */
  slack?: number;
  /** Checks a detection keeps its feature drifting, integer >= 1. Default 4. */
  holdChecks?: number;
  /**
   * Smallest |effect| (window median shift in baseline IQRs, same direction
   * as the detection) for a detection to count as a finding. Default 0.25:
   * a CUSUM on a discrete feature (luma_p05 takes a few integer levels) can
   * drift on a mean change no median shows.
   */
  minEffect?: number;
}

export const SEQUENTIAL_DEFAULTS = { threshold: 15, slack: 0.5, holdChecks: 4, minEffect: 0.25 } as const;

export class SequentialBank {
  readonly threshold: number;
  readonly slack: number;
  readonly holdChecks: number;
  readonly minEffect: number;
  private readonly detectors = new Map<string, Cusum>();
  /** The check index a feature's latest detection counts for. */
  private readonly lastDetection = new Map<string, { check: number; direction: DriftDirection }>();

  constructor(baseline: Baseline, taus: Readonly<Record<string, number>>, features: readonly string[], options: SequentialOptions = {}) {
    this.threshold = options.threshold ?? SEQUENTIAL_DEFAULTS.threshold;
    this.slack = options.slack ?? SEQUENTIAL_DEFAULTS.slack;
    this.holdChecks = options.holdChecks ?? SEQUENTIAL_DEFAULTS.holdChecks;
    this.minEffect = options.minEffect ?? SEQUENTIAL_DEFAULTS.minEffect;
    if (typeof this.minEffect !== 'number' || !(this.minEffect >= 0) || !Number.isFinite(this.minEffect)) throw new RangeError(`sequential.minEffect must be a finite number >= 0; got ${String(options.minEffect)}`);
    if (!Number.isSafeInteger(this.holdChecks) || this.holdChecks < 1) throw new RangeError(`sequential.holdChecks must be an integer >= 1; got ${String(options.holdChecks)}`);
    for (const name of features) {
      const reference = featureReference(baseline, name);
      // A feature the baseline never varied is compared exactly by the check.
      if (!reference || !(reference.std > 0)) continue;
      const std = reference.std * Math.sqrt(Math.max(1, taus[name] ?? 1));
      this.detectors.set(name, new Cusum({ mean: reference.mean, std, threshold: this.threshold, slack: this.slack }));
    }
  }

  /** Feeds one admitted frame; `checkIndex` is the index of the next check. */
  update(features: Readonly<Record<string, number>>, checkIndex: number): void {
    for (const [name, detector] of this.detectors) {
      const value = features[name];
      if (!Number.isFinite(value)) continue;
      if (detector.update(value).driftDetected) this.lastDetection.set(name, { check: checkIndex, direction: detector.direction! });
    }
  }

  /** Features whose detector fired within the last holdChecks checks, counting check `checkIndex`, with the direction. */
  drifting(checkIndex: number): Map<string, DriftDirection> {
    const names = new Map<string, DriftDirection>();
    for (const [name, at] of this.lastDetection) if (checkIndex - at.check < this.holdChecks) names.set(name, at.direction);
    return names;
  }

  /** A detection counts as a finding when the window's median moved its way by at least minEffect. */
  confirms(direction: DriftDirection | undefined, effect: number): boolean {
    if (!direction) return false;
    return direction === 'up' ? effect >= this.minEffect : effect <= -this.minEffect;
  }
}
