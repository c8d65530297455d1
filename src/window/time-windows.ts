// Windows by time: the values of the last `durationMs` of stream time. Time
// comes only from the frames' timestamps; no clock is read.
import { finiteOrNull, type Fields } from '../codec/checkpoint-fields.js';
import {
  WindowBase, integerOption, positiveOption, optionsObject, MAX_SLOTS, WINDOW_CHECKPOINT, type FeatureWindow, type WindowJSON,
} from './feature-window.js';

export interface TimeWindowOptions {
  /** Window length in ms of frame time, finite and > 0. */
  durationMs: number;
  /**
   * Most values held, an integer in [1, 1e6] (default 600: 60 s at 10 fps).
   * Size it as durationMs / 1000 × the highest frame rate that reaches the
   * window (the sampler's maxFps); beyond it the oldest values leave early and
   * `drops.overflow` counts them. Memory: 16 bytes per slot.
   */
  capacity?: number;
}

export const DEFAULT_TIME_CAPACITY = 600;

function timeOptions(owner: string, options: unknown): { durationMs: number; capacity: number } {
  const o = optionsObject(owner, options);
  return {
    durationMs: positiveOption('durationMs', o.durationMs),
    capacity: integerOption('capacity', o.capacity, 1, MAX_SLOTS, DEFAULT_TIME_CAPACITY),
  };
}

/**
 * Holds the values with timestamp t > latest − durationMs. Ready once the
 * stream seen since construction (or reset) spans durationMs.
 */
export class SlidingTimeWindow extends WindowBase implements FeatureWindow {
  readonly kind = 'sliding-time' as const;
  readonly durationMs: number;
  readonly capacity: number;
  private firstTimestamp = NaN;
  private latestTimestamp = NaN;

  constructor(options: TimeWindowOptions) {
    const { durationMs, capacity } = timeOptions('SlidingTimeWindow', options);
    super(capacity);
    this.durationMs = durationMs;
    this.capacity = capacity;
  }

  get ready(): boolean { return this.latestTimestamp - this.firstTimestamp >= this.durationMs; }

  update(value: number, timestampMs: number): this {
    if (!this.accept(value, timestampMs)) return this;
    if (Number.isNaN(this.firstTimestamp)) this.firstTimestamp = timestampMs;
    this.latestTimestamp = timestampMs;
    while (this.length > 0 && this.ring.oldestTime() <= timestampMs - this.durationMs) this.ring.dropOldest();
    if (this.ring.push(value, timestampMs)) this.countOverflow();
    return this;
  }

  reset(): void {
    this.clearState();
    this.firstTimestamp = NaN;
    this.latestTimestamp = NaN;
  }

  toJSON(): WindowJSON {
    return {
      ...WINDOW_CHECKPOINT,
      spec: { kind: this.kind, durationMs: this.durationMs, capacity: this.capacity },
      state: { ...this.baseState(), firstTimestamp: finiteOrNull(this.firstTimestamp), latestTimestamp: finiteOrNull(this.latestTimestamp) },
    };
  }

  restoreState(state: Fields): void {
    const first = state.finiteOr('firstTimestamp', NaN);
    const latest = state.finiteOr('latestTimestamp', NaN);
    this.restoreBase(state);
    this.firstTimestamp = first;
    this.latestTimestamp = latest;
  }
}

/**
 * Consecutive periods [start, start + durationMs), the first starting at the
 * first accepted timestamp. A period closes when a frame at or after its end
 * arrives: the window is then ready and holds the closed period's values until
 * the next update; that frame opens the period it falls in (empty periods in a
 * gap are skipped, never emitted).
 */
export class TumblingTimeWindow extends WindowBase implements FeatureWindow {
  readonly kind = 'tumbling-time' as const;
  readonly durationMs: number;
  readonly capacity: number;
  private periodStart = NaN;
  private closed = false;
  private pendingValue = 0;
  private pendingTimestamp = NaN;

  constructor(options: TimeWindowOptions) {
    const { durationMs, capacity } = timeOptions('TumblingTimeWindow', options);
    super(capacity);
    this.durationMs = durationMs;
    this.capacity = capacity;
  }

  get ready(): boolean { return this.closed; }

  update(value: number, timestampMs: number): this {
    if (!this.accept(value, timestampMs)) return this;
    if (this.closed) {
      // Lazy reset: the closed period stayed readable until now.
      this.ring.clear();
      this.closed = false;
      this.add(this.pendingValue, this.pendingTimestamp);
    }
    if (Number.isNaN(this.periodStart)) this.periodStart = timestampMs;
    if (timestampMs >= this.periodStart + this.durationMs) {
      const periods = Math.floor((timestampMs - this.periodStart) / this.durationMs);
      this.periodStart += periods * this.durationMs;
      this.pendingValue = value;
      this.pendingTimestamp = timestampMs;
      this.closed = true;
      return this;
    }
    this.add(value, timestampMs);
    return this;
  }

  reset(): void {
    this.clearState();
    this.periodStart = NaN;
    this.closed = false;
  }

  toJSON(): WindowJSON {
    return {
      ...WINDOW_CHECKPOINT,
      spec: { kind: this.kind, durationMs: this.durationMs, capacity: this.capacity },
      state: {
        ...this.baseState(), periodStart: finiteOrNull(this.periodStart), closed: this.closed,
        pendingValue: this.pendingValue, pendingTimestamp: finiteOrNull(this.pendingTimestamp),
      },
    };
  }

  restoreState(state: Fields): void {
    const periodStart = state.finiteOr('periodStart', NaN);
    const closed = state.boolean('closed');
    const pendingValue = state.finite('pendingValue');
    const pendingTimestamp = state.finiteOr('pendingTimestamp', NaN);
    this.restoreBase(state);
    this.periodStart = periodStart;
    this.closed = closed;
    this.pendingValue = pendingValue;
    this.pendingTimestamp = pendingTimestamp;
  }

  private add(value: number, timestampMs: number): void {
    if (this.ring.push(value, timestampMs)) this.countOverflow();
  }
}
