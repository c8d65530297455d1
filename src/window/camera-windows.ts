// One camera's windows: one window per catalogue feature, all fed from the
// same frames, behind one optional frame-rate sampler.
import { SCALAR_FEATURE_NAMES } from '../catalogue.js';
import { CheckpointFormatError, Fields, finiteOrNull, firstDifference, plainCopy, within } from '../codec/checkpoint-fields.js';
import type { FeatureWindow, WindowJSON } from './feature-window.js';
import { createWindow, windowFromJSON, type WindowSpec } from './create-window.js';
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

export interface CameraWindowsJSON {
  type: 'camera-windows';
  version: 1;
  options: CameraWindowsOptions;
  state: {
    counts: CameraFrameCounts;
    lastTimestamp: number | null;
    lastAdmitted: boolean;
    sampler: { lastAdmitted: number | null } | null;
    windows: Record<string, WindowJSON>;
  };
}

const TYPE = 'camera-windows';
const VERSION = 1;

export const DEFAULT_WINDOW: Readonly<WindowSpec> = Object.freeze({ kind: 'sliding-count', size: 600 });

export class CameraWindows {
  readonly window: Readonly<WindowSpec>;
  readonly maxFps: number | undefined;
  readonly features: readonly string[];
  readonly optionalFeatures: ReadonlySet<string>;
  private readonly windows = new Map<string, FeatureWindow>();
  private readonly sampler: FrameRateSampler | undefined;
  private counts: CameraFrameCounts = { seen: 0, admitted: 0, sampledOut: 0, badTimestamp: 0 };
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

  /** Options and state as plain data (no typed arrays, no NaN); fromJSON continues exactly from it. */
  toJSON(): CameraWindowsJSON {
    return {
      type: TYPE,
      version: VERSION,
      options: plainCopy({ window: this.window, maxFps: this.maxFps, features: [...this.features], optionalFeatures: [...this.optionalFeatures] }),
      state: {
        counts: { ...this.counts },
        lastTimestamp: finiteOrNull(this.lastTimestamp),
        lastAdmitted: this.lastAdmitted,
        sampler: this.sampler ? this.sampler.toJSON() : null,
        windows: Object.fromEntries(this.features.map((name) => [name, this.windows.get(name)!.toJSON()])),
      },
    };
  }

  /** Rebuilds windows from toJSON() output; `path` names the object in errors (CheckpointFormatError). */
  static fromJSON(json: unknown, path = 'windows'): CameraWindows {
    const fields = Fields.envelope(json, path, TYPE, VERSION);
    const options = fields.object('options');
    const restored = within(options.path, () => new CameraWindows(options.record as CameraWindowsOptions));
    const state = fields.object('state');
    const c = state.object('counts');
    const counts: CameraFrameCounts = { seen: c.integer('seen'), admitted: c.integer('admitted'), sampledOut: c.integer('sampledOut'), badTimestamp: c.integer('badTimestamp') };
    if (counts.admitted + counts.sampledOut + counts.badTimestamp !== counts.seen) throw new CheckpointFormatError(c.path, 'must have admitted + sampledOut + badTimestamp = seen');
    const lastTimestamp = state.finiteOr('lastTimestamp', -Infinity);
    const lastAdmitted = state.boolean('lastAdmitted');
    if (restored.sampler) restored.sampler.restoreState(state.object('sampler'));
    else if (state.raw('sampler') !== null) throw new CheckpointFormatError(state.at('sampler'), 'must be null without options.maxFps');
    const windows = state.object('windows');
    const extra = windows.keys().filter((name) => !restored.windows.has(name));
    if (extra.length > 0) throw new CheckpointFormatError(windows.path, `holds windows for features not in options.features: ${extra.join(', ')}`);
    for (const name of restored.features) {
      const window = windowFromJSON(windows.raw(name), windows.at(name));
      const differs = firstDifference(window.toJSON().spec, restored.windows.get(name)!.toJSON().spec, windows.at(`${name}.spec`));
      if (differs) throw new CheckpointFormatError(differs.path, `is ${JSON.stringify(differs.a)}, but options.window says ${JSON.stringify(differs.b)}`);
      restored.windows.set(name, window);
    }
    restored.counts = counts;
    restored.lastTimestamp = lastTimestamp;
    restored.lastAdmitted = lastAdmitted;
    return restored;
  }

  reset(): void {
    for (const w of this.windows.values()) w.reset();
    this.sampler?.reset();
    this.lastTimestamp = -Infinity;
    this.lastAdmitted = false;
  }
}
