// A fixed-capacity ring of (timestamp, value) pairs: the only memory a window
// holds, allocated once, so a window's footprint is known from its options.

/** Bytes per slot: one f64 value and one f64 timestamp (ms). */
export const BYTES_PER_SLOT = 16;

export class TimedRing {
  readonly capacity: number;
  private readonly values: Float64Array;
  private readonly times: Float64Array;
  private start = 0;
  private count = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.values = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Bytes held by the two typed arrays. */
  get byteLength(): number {
    return this.values.byteLength + this.times.byteLength;
  }

  /** Appends a pair; when full the oldest is overwritten and true is returned. */
  push(value: number, timestampMs: number): boolean {
    const overwrote = this.count === this.capacity;
    const slot = (this.start + this.count) % this.capacity;
    this.values[slot] = value;
    this.times[slot] = timestampMs;
    if (overwrote) this.start = (this.start + 1) % this.capacity;
    else this.count++;
    return overwrote;
  }

  /** Timestamp of the oldest pair (call only when length > 0). */
  oldestTime(): number {
    return this.times[this.start];
  }

  dropOldest(): void {
    if (this.count === 0) return;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /** Replaces the contents with these pairs, oldest first (at most capacity of them). */
  restore(values: Float64Array, times: Float64Array): void {
    if (values.length !== times.length || values.length > this.capacity) throw new RangeError(`a ring of capacity ${this.capacity} cannot hold ${values.length} values and ${times.length} timestamps`);
    this.values.set(values);
    this.times.set(times);
    this.start = 0;
    this.count = values.length;
  }

  /** The values, oldest first, as a new array. */
  copyValues(): Float64Array {
    return this.copy(this.values);
  }

  /** The timestamps, oldest first, as a new array. */
  copyTimes(): Float64Array {
    return this.copy(this.times);
  }

  private copy(source: Float64Array): Float64Array {
    const out = new Float64Array(this.count);
    const head = Math.min(this.count, this.capacity - this.start);
    out.set(source.subarray(this.start, this.start + head), 0);
    out.set(source.subarray(0, this.count - head), head);
    return out;
  }
}
