// Two-sided CUSUM (Page 1954) on standardized values z = (x − mean) / std:
//   upper = max(0, upper + z − slack),  lower = max(0, lower − z − slack)
// and a change is detected when either sum exceeds threshold. Definitions,
// defaults and measured run lengths: docs/detectors.md.
import {
  checkpointState, finiteInput, numberOption, stateDetection, stateNumber,
  type DetectorJSON, type DriftDetector, type DriftDirection,
} from './detector.js';

export interface CusumOptions {
  /** h: decision threshold in standard deviations, > 0. Default 15 (no false detection in 100,000 N(0, 1) values). */
  threshold?: number;
  /** k: slack (drift allowance) in standard deviations, >= 0; half the shift to detect fastest. Default 0.5. */
  slack?: number;
  /** The in-control mean. Give it with std, or give neither and the first `warmup` values estimate both. */
  mean?: number;
  /** The in-control standard deviation, > 0. Give it with mean. */
  std?: number;
  /** Values used to estimate mean and std when they are not given, integer >= 2. Default 100. */
  warmup?: number;
}

export const CUSUM_DEFAULTS = { threshold: 15, slack: 0.5, warmup: 100 } as const;

const TYPE = 'cusum';
const VERSION = 1;

export class Cusum implements DriftDetector {
  readonly threshold: number;
  readonly slack: number;
  readonly mean: number | undefined;
  readonly std: number | undefined;
  readonly warmup: number;
  private n = 0;
  private upper = 0;
  private lower = 0;
  // Welford accumulators of the warm-up values (unused when mean and std are given).
  private warmMean = 0;
  private warmM2 = 0;
  private detected = false;
  private side: DriftDirection | null = null;

  constructor(options: CusumOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('Cusum options must be an object');
    this.threshold = numberOption('threshold', options.threshold, CUSUM_DEFAULTS.threshold, (v) => v > 0, 'a finite number > 0');
    this.slack = numberOption('slack', options.slack, CUSUM_DEFAULTS.slack, (v) => v >= 0, 'a finite number >= 0');
    this.warmup = numberOption('warmup', options.warmup, CUSUM_DEFAULTS.warmup, (v) => Number.isInteger(v) && v >= 2, 'an integer >= 2');
    if ((options.mean === undefined) !== (options.std === undefined)) {
      const missing = options.mean === undefined ? 'mean' : 'std';
      throw new RangeError(`options.${missing} is missing: give mean and std together, or neither to estimate them from the warm-up`);
    }
    this.mean = options.mean === undefined ? undefined : numberOption('mean', options.mean, 0, () => true, 'a finite number');
    this.std = options.std === undefined ? undefined : numberOption('std', options.std, 1, (v) => v > 0, 'a finite number > 0');
  }

  get driftDetected(): boolean { return this.detected; }
  get direction(): DriftDirection | null { return this.side; }
  get count(): number { return this.n; }
  /** The upward cumulative sum S+, in standard deviations. */
  get upperSum(): number { return this.upper; }
  /** The downward cumulative sum S−, in standard deviations (>= 0). */
  get lowerSum(): number { return this.lower; }
  /** True while the first `warmup` values are still estimating mean and std. */
  get warmingUp(): boolean { return this.mean === undefined && this.n < this.warmup; }
  /** The mean values are standardized with; null while warming up. */
  get referenceMean(): number | null {
    if (this.mean !== undefined) return this.mean;
    return this.warmingUp ? null : this.warmMean;
  }
  /** The std values are standardized with; null while warming up. A constant warm-up gives a tiny std, so any change is detected. */
  get referenceStd(): number | null {
    if (this.std !== undefined) return this.std;
    if (this.warmingUp) return null;
    const sd = Math.sqrt(this.warmM2 / (this.warmup - 1));
    return sd > 0 ? sd : 1e-12 * Math.max(1, Math.abs(this.warmMean));
  }

  update(x: number): this {
    finiteInput(x);
    if (this.detected) this.reset();
    this.n++;
    if (this.mean === undefined && this.n <= this.warmup) {
      const d = x - this.warmMean;
      this.warmMean += d / this.n;
      this.warmM2 += d * (x - this.warmMean);
      return this;
    }
    const z = (x - this.referenceMean!) / this.referenceStd!;
    this.upper = Math.max(0, this.upper + z - this.slack);
    this.lower = Math.max(0, this.lower - z - this.slack);
    if (this.upper > this.threshold || this.lower > this.threshold) {
      this.detected = true;
      this.side = this.upper >= this.lower ? 'up' : 'down';
    }
    return this;
  }

  /** Back to the just-constructed state: sums at 0 and, without given mean and std, a new warm-up. */
  reset(): void {
    this.n = 0;
    this.upper = 0;
    this.lower = 0;
    this.warmMean = 0;
    this.warmM2 = 0;
    this.detected = false;
    this.side = null;
  }

  toJSON(): DetectorJSON {
    return {
      type: TYPE,
      version: VERSION,
      options: { threshold: this.threshold, slack: this.slack, mean: this.mean, std: this.std, warmup: this.warmup },
      state: {
        count: this.n, upper: this.upper, lower: this.lower, warmMean: this.warmMean, warmM2: this.warmM2,
        driftDetected: this.detected, direction: this.side,
      },
    };
  }

  /** Rebuilds a detector from toJSON() output (also after JSON.stringify/parse); it continues exactly as the original. */
  static fromJSON(json: unknown): Cusum {
    const { options, state } = checkpointState(json, TYPE, VERSION);
    const detector = new Cusum(options as CusumOptions);
    const count = stateNumber(state, 'count');
    if (!Number.isInteger(count) || count < 0) throw new TypeError(`checkpoint state.count must be an integer >= 0; got ${count}`);
    const sums = ['upper', 'lower', 'warmM2'].map((name) => stateNumber(state, name));
    if (sums.some((v) => v < 0)) throw new TypeError('checkpoint state.upper, lower and warmM2 must be >= 0');
    const { driftDetected, direction } = stateDetection(state);
    detector.n = count;
    [detector.upper, detector.lower, detector.warmM2] = sums;
    detector.warmMean = stateNumber(state, 'warmMean');
    detector.detected = driftDetected;
    detector.side = direction;
    return detector;
  }
}
