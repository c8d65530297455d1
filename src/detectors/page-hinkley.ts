// Page–Hinkley test (Page 1954, Hinkley 1971): cumulative deviations from the
// running mean, less a tolerance delta, compared with their own extreme. With
// m = Σ (x − mean − delta), PH+ = m − min(m) obeys PH+ = max(0, PH+ + x − mean − delta),
// and that recursion is what is kept; alpha < 1 discounts old evidence:
//   PH+ = max(0, alpha·PH+ + (x − mean − delta)),  PH− = max(0, alpha·PH− − (x − mean + delta))
// A change is detected when PH+ or PH− exceeds threshold. Self-starting: no
// in-control mean is needed. Definitions and measured behaviour: docs/detectors.md.
import {
  checkpointState, finiteInput, numberOption, stateDetection, stateNumber,
  type DetectorJSON, type DriftDetector, type DriftDirection,
} from './detector.js';

export type PageHinkleyMode = 'up' | 'down' | 'both';

export interface PageHinkleyOptions {
  /** delta: tolerated deviation from the running mean per value, in x's unit, >= 0. Default 0.5 (for standardized x). */
  delta?: number;
  /** lambda: decision threshold in x's unit, > 0. Default 15 (for standardized x). */
  threshold?: number;
  /** Forgetting factor applied to the cumulative sums each update, in (0, 1]; 1 forgets nothing. Default 1. */
  alpha?: number;
  /** Values seen before any detection may be reported, integer >= 1. Default 30. */
  minInstances?: number;
  /** Which changes to detect: increases, decreases or both. Default 'both'. */
  mode?: PageHinkleyMode;
}

export const PAGE_HINKLEY_DEFAULTS = { delta: 0.5, threshold: 15, alpha: 1, minInstances: 30, mode: 'both' } as const;

const TYPE = 'page-hinkley';
const VERSION = 1;
const MODES: readonly PageHinkleyMode[] = ['up', 'down', 'both'];

export class PageHinkley implements DriftDetector {
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly minInstances: number;
  readonly mode: PageHinkleyMode;
  private n = 0;
  private runningMean = 0;
  private up = 0;
  private down = 0;
  private detected = false;
  private side: DriftDirection | null = null;

  constructor(options: PageHinkleyOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('PageHinkley options must be an object');
    const d = PAGE_HINKLEY_DEFAULTS;
    this.delta = numberOption('delta', options.delta, d.delta, (v) => v >= 0, 'a finite number >= 0');
    this.threshold = numberOption('threshold', options.threshold, d.threshold, (v) => v > 0, 'a finite number > 0');
    this.alpha = numberOption('alpha', options.alpha, d.alpha, (v) => v > 0 && v <= 1, 'a number in (0, 1]');
    this.minInstances = numberOption('minInstances', options.minInstances, d.minInstances, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    const mode = options.mode ?? d.mode;
    if (!MODES.includes(mode)) throw new RangeError(`options.mode must be 'up', 'down' or 'both'; got ${String(mode)}`);
    this.mode = mode;
  }

  get driftDetected(): boolean { return this.detected; }
  get direction(): DriftDirection | null { return this.side; }
  get count(): number { return this.n; }
  /** The running mean of the values since the last reset (0 before the first). */
  get mean(): number { return this.runningMean; }
  /** PH+: evidence of an increase, in x's unit (>= 0). */
  get upStatistic(): number { return this.up; }
  /** PH−: evidence of a decrease, in x's unit (>= 0). */
  get downStatistic(): number { return this.down; }

  update(x: number): this {
    finiteInput(x);
    if (this.detected) this.reset();
    this.n++;
    this.runningMean += (x - this.runningMean) / this.n;
    const deviation = x - this.runningMean;
    this.up = Math.max(0, this.alpha * this.up + deviation - this.delta);
    this.down = Math.max(0, this.alpha * this.down - deviation - this.delta);
    if (this.n < this.minInstances) return this;
    const up = this.mode !== 'down' && this.up > this.threshold;
    const down = this.mode !== 'up' && this.down > this.threshold;
    if (up || down) {
      this.detected = true;
      this.side = up && (!down || this.up >= this.down) ? 'up' : 'down';
    }
    return this;
  }

  /** Back to the just-constructed state. */
  reset(): void {
    this.n = 0;
    this.runningMean = 0;
    this.up = 0;
    this.down = 0;
    this.detected = false;
    this.side = null;
  }

  toJSON(): DetectorJSON {
    return {
      type: TYPE,
      version: VERSION,
      options: { delta: this.delta, threshold: this.threshold, alpha: this.alpha, minInstances: this.minInstances, mode: this.mode },
      state: {
        count: this.n, mean: this.runningMean, up: this.up, down: this.down,
        driftDetected: this.detected, direction: this.side,
      },
    };
  }

  /** Rebuilds a detector from toJSON() output (also after JSON.stringify/parse); it continues exactly as the original. */
  static fromJSON(json: unknown): PageHinkley {
    const { options, state } = checkpointState(json, TYPE, VERSION);
    const detector = new PageHinkley(options as PageHinkleyOptions);
    const count = stateNumber(state, 'count');
    if (!Number.isInteger(count) || count < 0) throw new TypeError(`checkpoint state.count must be an integer >= 0; got ${count}`);
    const [mean, up, down] = ['mean', 'up', 'down'].map((name) => stateNumber(state, name));
    if (up < 0 || down < 0) throw new TypeError('checkpoint state.up and state.down must be >= 0');
    const { driftDetected, direction } = stateDetection(state);
    detector.n = count;
    detector.runningMean = mean;
    detector.up = up;
    detector.down = down;
    detector.detected = driftDetected;
    detector.side = direction;
    return detector;
  }
}
