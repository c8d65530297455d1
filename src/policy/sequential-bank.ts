// One CUSUM per feature on every admitted frame, standardized by the
// baseline mean and the feature's long-run sd (std · √τ): consecutive frames
// are correlated, and the long-run sd is what keeps a CUSUM on them quiet
// (docs/detectors.md). A detection marks the feature as drifting for the next
// `holdChecks` checks, so a slow drift that no window shows still makes
// findings, and a lasting one keeps making them (the CUSUM restarts after
// each detection and detects again).
import { featureReference, type Baseline } from '../baseline/baseline.js';
import { CheckpointFormatError, Fields, firstDifference, within } from '../codec/checkpoint-fields.js';
import { Cusum } from '../detectors/cusum.js';
import type { DetectorJSON, DriftDirection } from '../detectors/detector.js';

export interface SequentialOptions {
  /** CUSUM threshold h, in long-run sds. Default 15. */
  threshold?: number;
  /** CUSUM slack k, in long-run sds. Default 0.5. */
  slack?: number;
  /** Checks a detection keeps its feature drifting, integer >= 1. Default 4. */
  holdChecks?: number;
  /**
   * Smallest |effect| (median shift of the latest frames in baseline IQRs, as the monitor measures it; same direction
   * as the detection) for a detection to count as a finding. Default 0.25:
   * a CUSUM on a discrete feature (luma_p05 takes a few integer levels) can
   * drift on a mean change no median shows.
   */
  minEffect?: number;
}

export const SEQUENTIAL_DEFAULTS = { threshold: 15, slack: 0.5, holdChecks: 4, minEffect: 0.25 } as const;

export interface SequentialBankJSON {
  type: 'sequential-bank';
  version: 1;
  options: Required<SequentialOptions>;
  state: {
    /** One CUSUM per feature that has one (Cusum.toJSON). */
    detectors: Record<string, DetectorJSON>;
    lastDetection: Record<string, { check: number; direction: DriftDirection }>;
  };
}

/** What a bank is rebuilt from besides its checkpoint: the same inputs as its constructor. */
export interface SequentialBankContext {
  baseline: Baseline;
  taus: Readonly<Record<string, number>>;
  features: readonly string[];
  options?: SequentialOptions;
}

const TYPE = 'sequential-bank';
const VERSION = 1;
const DIRECTIONS: readonly DriftDirection[] = ['up', 'down'];

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

  toJSON(): SequentialBankJSON {
    const { threshold, slack, holdChecks, minEffect } = this;
    return {
      type: TYPE,
      version: VERSION,
      options: { threshold, slack, holdChecks, minEffect },
      state: {
        detectors: Object.fromEntries([...this.detectors].map(([name, detector]) => [name, detector.toJSON()])),
        lastDetection: Object.fromEntries([...this.lastDetection].map(([name, at]) => [name, { ...at }])),
      },
    };
  }

  /**
   * Rebuilds a bank from toJSON() output. The context builds the bank the
   * checkpoint must match (its options and each CUSUM's mean, std, threshold
   * and slack); the checkpoint supplies the sums and the detections.
   */
  static fromJSON(json: unknown, context: SequentialBankContext, path = 'sequential'): SequentialBank {
    const fields = Fields.envelope(json, path, TYPE, VERSION);
    const bank = new SequentialBank(context.baseline, context.taus, context.features, context.options);
    const { threshold, slack, holdChecks, minEffect } = bank;
    const differs = firstDifference(fields.raw('options'), { threshold, slack, holdChecks, minEffect }, fields.at('options'));
    if (differs) throw new CheckpointFormatError(differs.path, `is ${JSON.stringify(differs.a)}, but the monitor's options give ${JSON.stringify(differs.b)}`);
    const state = fields.object('state');
    const detectors = state.object('detectors');
    const names = [...bank.detectors.keys()];
    const extra = detectors.keys().filter((name) => !bank.detectors.has(name));
    if (extra.length > 0) throw new CheckpointFormatError(detectors.path, `holds CUSUMs for features without one: ${extra.join(', ')}`);
    for (const name of names) {
      const where = detectors.at(name);
      const restored = within(where, () => Cusum.fromJSON(detectors.raw(name)));
      const fresh = bank.detectors.get(name)!;
      const made = firstDifference(restored.toJSON().options, fresh.toJSON().options, `${where}.options`);
      if (made) throw new CheckpointFormatError(made.path, `is ${String(made.a)}, but the baseline and τ give ${String(made.b)}`);
      bank.detectors.set(name, restored);
    }
    const detections = state.object('lastDetection');
    for (const name of detections.keys()) {
      if (!bank.detectors.has(name)) throw new CheckpointFormatError(detections.at(name), 'names a feature without a CUSUM');
      const at = detections.object(name);
      bank.lastDetection.set(name, { check: at.integer('check'), direction: at.choice('direction', DIRECTIONS) });
    }
    return bank;
  }
}
