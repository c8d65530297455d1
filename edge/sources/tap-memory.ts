// The memory the proxy's taps copy bodies into, used again frame after
// frame. A tapped image travels to the agent's thread and comes back here
// once the agent has settled its frame (ProxySource.giveBack), so a steady
// stream allocates no tap buffer per frame. A fresh buffer per tap came from
// the relay thread's malloc arena and went back only when the agent's
// garbage collector got to it; with small young generations the arena grew
// to 19-27 MiB (docs/memory.md). Buffers come in power-of-two sizes so that
// one returned by one frame fits the next; a bounded number of bytes is
// kept spare.

/** The smallest buffer handed out. */
export const MIN_TAP_BUFFER = 4096;

export class TapMemory {
  /** Spare buffers by size (a power of two). */
  private readonly spare = new Map<number, ArrayBuffer[]>();
  private spareBytes = 0;
  /** The spare buffers, so that one given back twice is kept once. */
  private readonly kept = new WeakSet<ArrayBuffer>();
  /** Buffers made so far (for tests and benches: a steady stream stops making them). */
  made = 0;

  /** `maxSpareBytes`: most bytes kept for reuse; buffers given back beyond it are left to the garbage collector. */
  constructor(private readonly maxSpareBytes: number) {}

  /** A buffer of at least `bytes` bytes, spare when one of its size is, else new. */
  take(bytes: number): ArrayBuffer {
    const size = sizeFor(bytes);
    const buffer = this.spare.get(size)?.pop();
    if (buffer) {
      this.kept.delete(buffer);
      this.spareBytes -= size;
      return buffer;
    }
    this.made++;
    return new ArrayBuffer(size);
  }

  /** Keeps a buffer taken from here for reuse (a detached one, or any other, is ignored). */
  give(buffer: ArrayBuffer): void {
    const size = buffer.byteLength;
    if (size < MIN_TAP_BUFFER || sizeFor(size) !== size || this.spareBytes + size > this.maxSpareBytes || this.kept.has(buffer)) return;
    this.kept.add(buffer);
    const list = this.spare.get(size);
    if (list) list.push(buffer);
    else this.spare.set(size, [buffer]);
    this.spareBytes += size;
  }

  /** Bytes kept spare now. */
  get spareByteCount(): number {
    return this.spareBytes;
  }
}

/** The power of two at or above bytes, at least MIN_TAP_BUFFER. */
export function sizeFor(bytes: number): number {
  let size = MIN_TAP_BUFFER;
  while (size < bytes) size *= 2;
  return size;
}
