// The one shape every window kind shares, and the input rules they all apply:
// bad data from a camera is dropped and counted, programming errors throw.
import { CheckpointFormatError, finiteOrNull, type Fields } from '../codec/checkpoint-fields.js';
import type { WindowSpec } from './create-window.js';
import { TimedRing } from './timed-ring.js';

export type WindowKind = 'sliding-count' | 'tumbling-count' | 'sliding-time' | 'tumbling-time';

export interface WindowDrops {
  /** Values that were NaN or ±Infinity. */
  nonFiniteValue: number;
  /** Frames whose timestamp was not finite or earlier than the last accepted one. */
  badTimestamp: number;
  /** Time windows only: frames evicted early because the window hit its capacity. */
  overflow: number;
}

export interface FeatureWindow {
  readonly kind: WindowKind;
  /** Adds one frame's value at its timestamp (ms); returns the window. */
  update(value: number, timestampMs: number): this;
  /** Sliding: the window spans its full extent. Tumbling: a window has just closed. */
  readonly ready: boolean;
  /** Number of values held now. */
  readonly length: number;
  /** Values, oldest first (a copy). */
  values(): Float64Array;
  /** Timestamps in ms, oldest first (a copy). */
  timestamps(): Float64Array;
  readonly drops: Readonly<WindowDrops>;
  /** Bytes of value and timestamp storage, fixed at construction. */
  readonly byteLength: number;
  /** Empties the window and forgets the last timestamp; drop counts are kept. */
  reset(): void;
  /** The window's spec and state as plain data; windowFromJSON rebuilds it. */
  toJSON(): WindowJSON;
  /** Sets the state from a checkpoint's state object (windowFromJSON calls it on a new window). */
  restoreState(state: Fields): void;
}

export const WINDOW_CHECKPOINT = { type: 'feature-window', version: 1 } as const;

export interface WindowJSON {
  type: typeof WINDOW_CHECKPOINT.type;
  version: typeof WINDOW_CHECKPOINT.version;
  spec: WindowSpec;
  /** values and timestamps oldest first, lastTimestamp (null: none yet), drops, and the kind's own fields. */
  state: Record<string, unknown>;
}

/** An integer option within [min, max], or its default when undefined. */
export function integerOption(name: string, value: unknown, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number; got ${typeof value}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}]; got ${value}`);
  }
  return value;
}

/** A finite number > 0, or its default when undefined. */
export function positiveOption(name: string, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number; got ${typeof value}`);
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a finite number > 0; got ${value}`);
  return value;
}

export function optionsObject(owner: string, options: unknown): Record<string, unknown> {
  if (options === null || typeof options !== 'object') throw new TypeError(`${owner} needs an options object`);
  return options as Record<string, unknown>;
}

/** Largest window: 1e6 slots, 16 MB. */
export const MAX_SLOTS = 1_000_000;

export abstract class WindowBase {
  protected readonly ring: TimedRing;
  private lastTimestamp = -Infinity;
  private readonly dropCounts: WindowDrops = { nonFiniteValue: 0, badTimestamp: 0, overflow: 0 };

  protected constructor(capacity: number) {
    this.ring = new TimedRing(capacity);
  }

  get length(): number { return this.ring.length; }
  get byteLength(): number { return this.ring.byteLength; }
  get drops(): Readonly<WindowDrops> { return { ...this.dropCounts }; }
  values(): Float64Array { return this.ring.copyValues(); }
  timestamps(): Float64Array { return this.ring.copyTimes(); }

  /** Checks one frame: true when it may enter; bad data is counted, wrong types throw. */
  protected accept(value: number, timestampMs: number): boolean {
    if (typeof value !== 'number') throw new TypeError(`value must be a number; got ${typeof value}`);
    if (typeof timestampMs !== 'number') throw new TypeError(`timestampMs must be a number; got ${typeof timestampMs}`);
    if (!Number.isFinite(timestampMs) || timestampMs < this.lastTimestamp) {
      this.dropCounts.badTimestamp++;
      return false;
    }
    if (!Number.isFinite(value)) {
      this.dropCounts.nonFiniteValue++;
      return false;
    }
    this.lastTimestamp = timestampMs;
    return true;
  }

  protected countOverflow(): void { this.dropCounts.overflow++; }

  protected baseState(): Record<string, unknown> {
    return {
      values: Array.from(this.ring.copyValues()),
      timestamps: Array.from(this.ring.copyTimes()),
      lastTimestamp: finiteOrNull(this.lastTimestamp),
      drops: { ...this.dropCounts },
    };
  }

  protected restoreBase(state: Fields): void {
    const values = state.numbers('values');
    const times = state.numbers('timestamps', values.length);
    if (values.length > this.ring.capacity) throw new CheckpointFormatError(state.at('values'), `holds ${values.length} values; this window holds at most ${this.ring.capacity}`);
    for (let i = 1; i < times.length; i++) {
      if (times[i] < times[i - 1]) throw new CheckpointFormatError(`${state.at('timestamps')}[${i}]`, `must not be earlier than the one before it (${times[i]} < ${times[i - 1]})`);
    }
    const lastTimestamp = state.finiteOr('lastTimestamp', -Infinity);
    if (times.length > 0 && !(lastTimestamp >= times[times.length - 1])) {
      throw new CheckpointFormatError(state.at('lastTimestamp'), `must be at least the newest timestamp ${times[times.length - 1]}; got ${lastTimestamp}`);
    }
    const drops = state.object('drops');
    const counts: WindowDrops = { nonFiniteValue: drops.integer('nonFiniteValue'), badTimestamp: drops.integer('badTimestamp'), overflow: drops.integer('overflow') };
    this.ring.restore(values, times);
    this.lastTimestamp = lastTimestamp;
    Object.assign(this.dropCounts, counts);
  }

  protected clearState(): void {
    this.ring.clear();
    this.lastTimestamp = -Infinity;
  }
}
