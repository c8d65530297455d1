// The KLL compactor stack (Karnin, Lang, Liberty 2016). Level h holds items
// of weight 2^h; level 0 takes new items unsorted, higher levels stay sorted.
// Compaction is lazy: only when the whole stack holds as many items as its
// total capacity is the lowest full level compacted, by keeping every other
// item of its sorted run (odd or even positions by a coin flip) and merging
// them, at double weight, into the level above.
import { levelCapacity, totalCapacity } from './capacity.js';
import { nextState } from './prng.js';

const EMPTY = new Float32Array(0);

export class Compactors {
  readonly k: number;
  /** xorshift32 state for the coin flips. */
  rngState: number;
  /** Per level: a buffer whose first sizes[h] items are the level's items. */
  private buffers: Float32Array[] = [new Float32Array(16)];
  private sizes: number[] = [0];
  private retainedCount = 0;
  private capacity: number;
  /** levelCapacity() of each level for the current number of levels. */
  private capacities: number[];
  private scratch = new Float32Array(16);

  constructor(k: number, rngState: number) {
    this.k = k;
    this.rngState = rngState;
    this.capacity = totalCapacity(k, 1);
    this.capacities = [levelCapacity(k, 1, 0)];
  }

  get numLevels(): number { return this.sizes.length; }
  get retained(): number { return this.retainedCount; }

  /** The items of one level (a view: copy before keeping it). */
  level(h: number): Float32Array { return this.buffers[h].subarray(0, this.sizes[h]); }

  add(x: number): void {
    let buf = this.buffers[0];
    const size = this.sizes[0];
    if (size === buf.length) buf = this.grow(0, size + 1);
    buf[size] = x;
    this.sizes[0] = size + 1;
    if (++this.retainedCount >= this.capacity) this.compress();
  }

  /** Adds every level of `levels` (level 0 unsorted, others sorted) to this stack. */
  absorb(levels: readonly Float32Array[]): void {
    while (this.numLevels < levels.length) this.addLevel();
    for (let h = 0; h < levels.length; h++) {
      const items = levels[h];
      if (items.length === 0) continue;
      if (h === 0) this.append(0, items);
      else this.mergeSorted(h, items, items.length);
      this.retainedCount += items.length;
    }
    if (this.retainedCount >= this.capacity) this.compress();
  }

  /** Restores a stack read from bytes (levels already checked). */
  static fromLevels(k: number, rngState: number, levels: readonly Float32Array[]): Compactors {
    const c = new Compactors(k, rngState);
    while (c.numLevels < levels.length) c.addLevel();
    for (let h = 0; h < levels.length; h++) {
      c.buffers[h] = Float32Array.from(levels[h]);
      c.sizes[h] = levels[h].length;
      c.retainedCount += levels[h].length;
    }
    return c;
  }

  /** Approximate heap bytes held by the item buffers. */
  bufferBytes(): number {
    let bytes = this.scratch.byteLength;
    for (const b of this.buffers) bytes += b.byteLength;
    return bytes;
  }

  private compress(): void {
    while (this.retainedCount >= this.capacity) {
      let h = 0;
      while (this.sizes[h] < this.capacities[h]) h++;
      this.compact(h);
    }
  }

  private compact(h: number): void {
    if (h === this.numLevels - 1) this.addLevel();
    const buf = this.buffers[h];
    const size = this.sizes[h];
    if (h === 0) buf.subarray(0, size).sort();
    const keep = size & 1; // an odd item out (the smallest) stays at this level
    const pairs = (size - keep) >> 1;
    this.rngState = nextState(this.rngState);
    const offset = keep + (this.rngState >>> 31);
    if (this.scratch.length < pairs) this.scratch = new Float32Array(pairs * 2);
    const promoted = this.scratch;
    for (let i = 0; i < pairs; i++) promoted[i] = buf[offset + 2 * i];
    this.sizes[h] = keep;
    // A compacted sorted level keeps a buffer of about its capacity, not its
    // (lazy) peak, so memory follows the retained items.
    if (h > 0 && buf.length > 2 * this.capacities[h]) {
      this.buffers[h] = new Float32Array(2 * this.capacities[h]);
      if (keep) this.buffers[h][0] = buf[0];
    }
    this.retainedCount -= size - keep;
    this.mergeSorted(h + 1, promoted, pairs);
    this.retainedCount += pairs;
  }

  private addLevel(): void {
    this.buffers.push(EMPTY);
    this.sizes.push(0);
    this.capacity = totalCapacity(this.k, this.numLevels);
    this.capacities = this.sizes.map((_, h) => levelCapacity(this.k, this.numLevels, h));
  }

  private grow(h: number, needed: number): Float32Array {
    const old = this.buffers[h];
    const next = new Float32Array(Math.max(needed, Math.ceil(old.length * 1.5)));
    next.set(old.subarray(0, this.sizes[h]));
    this.buffers[h] = next;
    return next;
  }

  private append(h: number, items: Float32Array): void {
    const size = this.sizes[h];
    const buf = this.buffers[h].length >= size + items.length ? this.buffers[h] : this.grow(h, size + items.length);
    buf.set(items, size);
    this.sizes[h] = size + items.length;
  }

  /** Merges the sorted run items[0, count) into sorted level h, from the back, in place. */
  private mergeSorted(h: number, items: Float32Array, count: number): void {
    const size = this.sizes[h];
    const buf = this.buffers[h].length >= size + count ? this.buffers[h] : this.grow(h, size + count);
    let i = size - 1, j = count - 1, w = size + count - 1;
    while (j >= 0) buf[w--] = i >= 0 && buf[i] > items[j] ? buf[i--] : items[j--];
    this.sizes[h] = size + count;
  }
}
