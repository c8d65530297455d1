// One camera's windows: one window per catalogue feature, all fed from the
// same frames, behind one optional frame-rate sampler.
import { SCALAR_FEATURE_NAMES } from '../catalogue.js';
import type { FeatureWindow } from './feature-window.js';
import { createWindow, type WindowSpec } from './create-window.js';
import { FrameRateSampler } from './frame-rate-sampler.js';

export interface CameraWindowsOptions {
  /** The window every feature gets (default { kind: 'sliding-count', size: 600 }). */
  window?: WindowSpec;
  /** At most this many frames per second enter the windows (default: every frame). */
  maxFps?: number;
  /** Feature names (default: the 21 scalar features of catalogue v1). */
  features?: readonly string[];
  /**
   * Features (among `features`) a frame may lack, such as the prediction
   * features of a frame without a prediction: a missing one is not updated.
   */
  optionalFeatures?: readonly string[];
}

export interface CameraFrameCounts {
  /** Frames passed to update(). */
  seen: number;
  /** Frames that entered the windows. */
  admitted: number;
  /** Frames the sampler left out (maxFps). */
  sampledOut: number;
  /** Frames dropped whole: timestamp not finite or earlier than the last admitted frame. */
  badTimestamp: number;
}

export const DEFAULT_WINDOW: Readonly<WindowSpec> = Object.freeze({ kind: 'sliding-count', size: 600 });

export class CameraWindows {
  readonly window: Readonly<WindowSpec>;
  readonly maxFps: number | undefined;
  readonly features: readonly string[];
  readonly optionalFeatures: ReadonlySet<string>;
  private readonly windows = new Map<string, FeatureWindow>();
  private readonly sampler: FrameRateSampler | undefined;
  private readonly counts: CameraFrameCounts = { seen: 0, admitted: 0, sampledOut: 0, badTimestamp: 0 };
  private lastTimestamp = -Infinity;
  private lastAdmitted = false;

  constructor(options: CameraWindowsOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('CameraWindows options must be an object');
    this.window = options.window ?? DEFAULT_WINDOW;
    this.maxFps = options.maxFps;
    this.sampler = options.maxFps === undefined ? undefined : new FrameRateSampler({ maxFps: options.maxFps });
    const features = options.features ?? SCALAR_FEATURE_NAMES;
    if (!Array.isArray(features) || features.length === 0) throw new RangeError('features must be a non-empty array of names');
    for (const name of features) {
      if (typeof name !== 'string' || name === '') throw new TypeError(`features must hold non-empty strings; got ${String(name)}`);
      if (this.windows.has(name)) throw new RangeError(`features lists '${name}' twice`);
      this.windows.set(name, createWindow(this.window));
    }
    this.features = [...features];
    const optional = options.optionalFeatures ?? [];
    if (!Array.isArray(optional)) throw new TypeError('optionalFeatures must be an array of names');
    for (const name of optional) {
      if (!this.windows.has(name)) throw new RangeError(`optionalFeatures lists '${String(name)}', which is not among features`);
    }
    this.optionalFeatures = new Set(optional);
  }

  /**
   * Offers one frame: `record` maps every feature name to its value (extra
   * keys are ignored; optional features may be missing, and their windows
   * then skip the frame). Returns this; `admitted` says whether it entered.
   */
  update(record: Readonly<Record<string, number>>, timestampMs: number): this {
    if (record === null || typeof record !== 'object') throw new TypeError('record must be an object of feature values');
    if (typeof timestampMs !== 'number') throw new TypeError(`timestampMs must be a number; got ${typeof timestampMs}`);
    for (const name of this.features) {
      if (typeof record[name] === 'number' || (record[name] === undefined && this.optionalFeatures.has(name))) continue;
      throw new TypeError(`record.${name} must be a number; got ${typeof record[name]}`);
    }
    this.counts.seen++;
    this.lastAdmitted = false;
    if (!Number.isFinite(timestampMs) || timestampMs < this.lastTimestamp) {
      this.counts.badTimestamp++;
      return this;
    }
    if (this.sampler && !this.sampler.admit(timestampMs)) {
      this.counts.sampledOut++;
      return this;
    }
    this.lastTimestamp = timestampMs;
    for (const name of this.features) {
      if (record[name] !== undefined) this.windows.get(name)!.update(record[name], timestampMs);
    }
    this.counts.admitted++;
    this.lastAdmitted = true;
    return this;
  }

  /** Whether the last frame offered entered the windows. */
  get admitted(): boolean { return this.lastAdmitted; }

  get frames(): Readonly<CameraFrameCounts> { return { ...this.counts }; }

  /** The window of one feature. */
  get(feature: string): FeatureWindow {
    const w = this.windows.get(feature);
    if (!w) throw new RangeError(`no window for feature '${feature}'; known: ${this.features.join(', ')}`);
    return w;
  }

  /** Bytes of window storage for all features (16 per slot), fixed at construction. */
  get byteLength(): number {
    let total = 0;
    for (const w of this.windows.values()) total += w.byteLength;
    return total;
  }

  reset(): void {
    for (const w of this.windows.values()) w.reset();
    this.sampler?.reset();
    this.lastTimestamp = -Infinity;
    this.lastAdmitted = false;
  }
}
