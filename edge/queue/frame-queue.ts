// The bounded FIFO between the sources and the agent's decode loop. Bounded
// twice, by frames and by bytes, so a burst of large images cannot exhaust
// memory; when full, offer() refuses at once (sources must never block).
import type { FrameSink, IncomingFrame } from '../sources/frame-source.js';

export interface FrameQueueOptions {
  /** Most frames held. Default 32. */
  maxFrames?: number;
  /** Most image bytes held (sum of frame.bytes lengths). Default 64 MiB. */
  maxBytes?: number;
}

export type DropReason = 'queue-full' | 'too-large' | 'closed';

export interface FrameQueueStats {
  offered: number;
  accepted: number;
  taken: number;
  dropped: Record<DropReason, number>;
  depth: number;
  bytes: number;
  maxFrames: number;
  maxBytes: number;
}

export class QueueClosedError extends Error {
  constructor() {
    super('frame queue is closed');
    this.name = 'QueueClosedError';
  }
}

export const DEFAULT_MAX_FRAMES = 32;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

interface Taker {
  resolve(frame: IncomingFrame): void;
  reject(error: Error): void;
}

export class FrameQueue implements FrameSink {
  readonly maxFrames: number;
  readonly maxBytes: number;
  // A ring would save the shift; at 32 frames an array is as fast and clearer.
  private readonly frames: IncomingFrame[] = [];
  private readonly takers: Taker[] = [];
  private heldBytes = 0;
  private closed = false;
  private offered = 0;
  private accepted = 0;
  private taken = 0;
  private readonly dropped: Record<DropReason, number> = { 'queue-full': 0, 'too-large': 0, closed: 0 };

  constructor(options: FrameQueueOptions = {}) {
    this.maxFrames = positiveInteger(options.maxFrames ?? DEFAULT_MAX_FRAMES, 'maxFrames');
    this.maxBytes = positiveInteger(options.maxBytes ?? DEFAULT_MAX_BYTES, 'maxBytes');
  }

  offer(frame: IncomingFrame): boolean {
    this.offered += 1;
    const size = frame.bytes.byteLength;
    if (this.closed) return this.drop('closed');
    // A frame larger than the whole budget could never fit; say so apart from 'full'.
    if (size > this.maxBytes) return this.drop('too-large');
    const taker = this.takers.shift();
    if (taker) {
      this.accepted += 1;
      this.taken += 1;
      taker.resolve(frame);
      return true;
    }
    if (this.frames.length >= this.maxFrames || this.heldBytes + size > this.maxBytes) return this.drop('queue-full');
    this.frames.push(frame);
    this.heldBytes += size;
    this.accepted += 1;
    return true;
  }

  /** FrameSink.refuseIfFull: a frame not made because this queue is full counts as a refused offer. */
  refuseIfFull(): boolean {
    if (!this.isFull) return false;
    this.offered += 1;
    this.drop(this.closed ? 'closed' : 'queue-full');
    return true;
  }

  /** A frame its source did not make because the agent was behind (the proxy's relay thread decides that itself): counted as refused. */
  refuse(): void {
    this.offered += 1;
    this.drop(this.closed ? 'closed' : 'queue-full');
  }

  /** The oldest frame; waits for one. Rejects with QueueClosedError once closed and empty. */
  take(): Promise<IncomingFrame> {
    const frame = this.frames.shift();
    if (frame) {
      this.heldBytes -= frame.bytes.byteLength;
      this.taken += 1;
      return Promise.resolve(frame);
    }
    if (this.closed) return Promise.reject(new QueueClosedError());
    return new Promise((resolve, reject) => this.takers.push({ resolve, reject }));
  }

  /** Refuses further frames; frames already held can still be taken; waiting takers are rejected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const taker of this.takers.splice(0)) taker.reject(new QueueClosedError());
  }

  /** Removes and returns every held frame (for shutdown: settle them as 'dropped'). */
  drain(): IncomingFrame[] {
    const frames = this.frames.splice(0);
    this.heldBytes = 0;
    return frames;
  }

  /** True when offer() would refuse any frame now (closed, or full with nobody waiting to take). */
  get isFull(): boolean {
    return this.closed || (this.takers.length === 0 && this.frames.length >= this.maxFrames);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get depth(): number {
    return this.frames.length;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  stats(): FrameQueueStats {
    return {
      offered: this.offered,
      accepted: this.accepted,
      taken: this.taken,
      dropped: { ...this.dropped },
      depth: this.frames.length,
      bytes: this.heldBytes,
      maxFrames: this.maxFrames,
      maxBytes: this.maxBytes,
    };
  }

  private drop(reason: DropReason): false {
    this.dropped[reason] += 1;
    return false;
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`FrameQueue ${name} must be a positive integer, got ${value}`);
  return value;
}
