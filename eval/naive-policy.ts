// The naive policy of issue 5, the baseline every real policy is compared
// with: every `checkInterval` frames, a two-sample KS test of each feature's
// last `window` frames against the reference at the raw sizes (frames taken as
// independent), p < alpha, no multiple-testing correction and no
// confirmation. 'firing' when any feature is significant, 'resolved' when none is.
import { ksWindowTest, SortedReference } from '../src/index.js';
import type { AlertTransition, EvalFrame, EvalPolicy, EvalPolicyFactory, EvalReference } from './policy.js';

export interface NaivePolicyOptions {
  /** Frames between checks (100: 10 s at 10 fps). */
  checkInterval?: number;
  /** Frames in each tested window, the latest ones (300: 30 s at 10 fps). */
  window?: number;
  alpha?: number;
}

export const NAIVE_DEFAULTS = { checkInterval: 100, window: 300, alpha: 0.05 } as const;

export class NaivePolicy implements EvalPolicy {
  readonly name = 'naive';
  private readonly references: Array<{ name: string; reference: SortedReference }>;
  private readonly recent: Float64Array[];
  private readonly checkInterval: number;
  private readonly window: number;
  private readonly alpha: number;
  private seen = 0;
  private firing = false;

  constructor(reference: EvalReference, options: NaivePolicyOptions = {}) {
    this.checkInterval = positiveInteger('checkInterval', options.checkInterval ?? NAIVE_DEFAULTS.checkInterval);
    this.window = positiveInteger('window', options.window ?? NAIVE_DEFAULTS.window);
    this.alpha = options.alpha ?? NAIVE_DEFAULTS.alpha;
    if (!(this.alpha > 0 && this.alpha < 1)) throw new RangeError(`alpha must be in (0, 1); got ${this.alpha}`);
    this.references = reference.featureNames.map((name) => ({ name, reference: new SortedReference(reference.series[name]) }));
    this.recent = this.references.map(() => new Float64Array(this.window));
  }

  update(frame: EvalFrame): AlertTransition[] {
    const slot = this.seen % this.window;
    this.references.forEach(({ name }, k) => { this.recent[k][slot] = frame.features[name]; });
    this.seen++;
    if (this.seen < this.window || this.seen % this.checkInterval !== 0) return [];
    const significant = this.references.some(({ reference }, k) =>
      ksWindowTest(this.recent[k], reference, { effectiveSize: this.window }).naivePvalue < this.alpha);
    if (significant === this.firing) return [];
    this.firing = significant;
    return [{ state: significant ? 'firing' : 'resolved', frame: frame.index }];
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer; got ${value}`);
  return value;
}

export const naivePolicy: EvalPolicyFactory = {
  name: 'naive',
  create: (reference) => new NaivePolicy(reference),
};
