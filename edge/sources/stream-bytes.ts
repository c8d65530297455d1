// Pull-style reading of a byte stream: exact-length reads and bounded lines,
// over any Readable (process.stdin, a socket, a PassThrough in tests) or a
// ChunkReader (a pipe read into one reused buffer, pipe-chunks.ts). Reads
// wait for data; stop() makes a waiting read return as if the stream ended.
//
// Incoming chunks are copied into one buffer of this reader's, reused and
// grown to the largest record seen, so no chunk is kept past its read. What
// take() and readLine() return is a view, valid until the next fill() or
// readLine().
import type { Readable } from 'node:stream';
import type { ChunkReader } from './pipe-chunks.js';

export type LineRead = { line: Buffer } | { tooLong: number } | null;

/** A drained buffer larger than this is let go rather than kept for reuse. */
const LARGEST_KEPT_BUFFER = 4 * 1024 * 1024;

function readerOf(input: Readable): ChunkReader {
  // Stopping must not destroy the caller's stream (it may be process.stdin).
  const iterator = input.iterator({ destroyOnReturn: false });
  return {
    async read() {
      const next = await iterator.next();
      if (next.done) return null;
      const value: unknown = next.value;
      return typeof value === 'string' ? Buffer.from(value) : (value as Uint8Array);
    },
  };
}

export class StreamBytes {
  private buffer = Buffer.alloc(0);
  /** The unread bytes are buffer[start, end). */
  private start = 0;
  private end = 0;
  private ended = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly reader: ChunkReader;
  /** Bytes consumed so far (the offset of the next byte), for error messages. */
  consumed = 0;

  constructor(input: Readable | ChunkReader) {
    this.reader = 'iterator' in input ? readerOf(input) : input;
  }

  get available(): number {
    return this.end - this.start;
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Buffers at least n bytes; false if the stream ended (or was stopped) first. */
  async fill(n: number): Promise<boolean> {
    while (this.available < n) {
      if (this.ended || this.stopped) return false;
      await this.pull();
    }
    return true;
  }

  /** Removes and returns exactly n buffered bytes (call fill(n) first); a view, valid until the next fill() or readLine(). */
  take(n: number): Buffer {
    const count = Math.min(n, this.available);
    const out = this.buffer.subarray(this.start, this.start + count);
    this.start += count;
    this.consumed += count;
    // One oversized record (a long jsonl line) must not pin its buffer for good; `out` keeps it while used.
    if (this.start === this.end && this.buffer.length > LARGEST_KEPT_BUFFER) {
      this.buffer = Buffer.alloc(0);
      this.start = this.end = 0;
    }
    return out;
  }

  /**
   * The next line without its '\n' (and '\r'), or { tooLong } when it exceeds maxBytes: such
   * a line is read to its end and thrown away, so reading resumes at the next line.
   * null at the end of the stream.
   */
  async readLine(maxBytes: number): Promise<LineRead> {
    let scanned = 0;
    let discarded = 0;
    for (;;) {
      const newline = this.indexOfNewline(scanned);
      if (newline >= 0) {
        if (discarded > 0 || newline > maxBytes) {
          this.take(newline + 1);
          return { tooLong: discarded + newline };
        }
        const line = this.take(newline + 1).subarray(0, newline);
        return { line: line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line };
      }
      scanned = this.available;
      if (this.available > maxBytes) {
        // Keep memory bounded: drop what is held of the long line, remember how much.
        discarded += this.available;
        this.take(this.available);
        scanned = 0;
      }
      if (this.ended || this.stopped) {
        if (this.available === 0 && discarded === 0) return null;
        if (discarded > 0) return { tooLong: discarded + this.take(this.available).length };
        return { line: this.take(this.available) };
      }
      await this.pull();
    }
  }

  private indexOfNewline(from: number): number {
    const found = this.buffer.subarray(0, this.end).indexOf(0x0a, this.start + from);
    return found >= 0 ? found - this.start : -1;
  }

  /** Appends a chunk, first moving the unread bytes to the front (or into a larger buffer when they would not fit). */
  private append(chunk: Uint8Array): void {
    const unread = this.available;
    if (this.end + chunk.length > this.buffer.length) {
      const fits = unread + chunk.length <= this.buffer.length;
      const target = fits ? this.buffer : Buffer.allocUnsafe(Math.max(unread + chunk.length, 2 * this.buffer.length));
      this.buffer.copy(target, 0, this.start, this.end);
      this.buffer = target;
      this.start = 0;
      this.end = unread;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  private async pull(): Promise<void> {
    const stopped = new Promise<'stopped'>((resolve) => (this.wake = () => resolve('stopped')));
    const chunk = await Promise.race([this.reader.read(), stopped]);
    this.wake = undefined;
    if (chunk === 'stopped') return;
    if (chunk === null) {
      this.ended = true;
      return;
    }
    this.append(chunk);
  }
}
