// Windows by frame count: the last `size` accepted values.
import type { Fields } from '../codec/checkpoint-fields.js';
import { WindowBase, integerOption, optionsObject, MAX_SLOTS, WINDOW_CHECKPOINT, type FeatureWindow, type WindowJSON } from './feature-window.js';

export interface CountWindowOptions {
  /** Frames per window, an integer in [1, 1e6]. Memory: 16 bytes per frame. */
  size: number;
}

/** Keeps the latest `size` values; ready once it holds `size` of them. */
export class SlidingCountWindow extends WindowBase implements FeatureWindow {
  readonly kind = 'sliding-count' as const;
  readonly size: number;

  constructor(options: CountWindowOptions) {
    const o = optionsObject('SlidingCountWindow', options);
    const size = integerOption('size', o.size, 1, MAX_SLOTS);
    super(size);
    this.size = size;
  }

  get ready(): boolean { return this.length === this.size; }

  update(value: number, timestampMs: number): this {
    if (this.accept(value, timestampMs)) this.ring.push(value, timestampMs);
    return this;
  }

  reset(): void { this.clearState(); }

  toJSON(): WindowJSON {
    return { ...WINDOW_CHECKPOINT, spec: { kind: this.kind, size: this.size }, state: this.baseState() };
  }

  restoreState(state: Fields): void { this.restoreBase(state); }
}

/**
 * Fills to `size` values, then is ready (closed) until the next update,
 * which starts a new window with that update's value.
 */
export class TumblingCountWindow extends WindowBase implements FeatureWindow {
  readonly kind = 'tumbling-count' as const;
  readonly size: number;
  private closed = false;

  constructor(options: CountWindowOptions) {
    const o = optionsObject('TumblingCountWindow', options);
    const size = integerOption('size', o.size, 1, MAX_SLOTS);
    super(size);
    this.size = size;
  }

  get ready(): boolean { return this.closed; }

  update(value: number, timestampMs: number): this {
    if (!this.accept(value, timestampMs)) return this;
    if (this.closed) {
      this.ring.clear(); // lazy reset: the closed window stayed readable until now
      this.closed = false;
    }
    this.ring.push(value, timestampMs);
    if (this.length === this.size) this.closed = true;
    return this;
  }

  reset(): void {
    this.clearState();
    this.closed = false;
  }

  toJSON(): WindowJSON {
    return { ...WINDOW_CHECKPOINT, spec: { kind: this.kind, size: this.size }, state: { ...this.baseState(), closed: this.closed } };
  }

  restoreState(state: Fields): void {
    const closed = state.boolean('closed');
    this.restoreBase(state);
    this.closed = closed;
  }
}
