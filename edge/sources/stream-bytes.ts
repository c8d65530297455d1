// Pull-style reading of a byte stream: exact-length reads and bounded lines,
// over any Readable (process.stdin, a socket, a PassThrough in tests). Reads
// wait for data; stop() makes a waiting read return as if the stream ended.
import type { Readable } from 'node:stream';

export type LineRead = { line: Buffer } | { tooLong: number } | null;

export class StreamBytes {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly iterator: AsyncIterator<unknown>;
  /** Bytes consumed so far (the offset of the next byte), for error messages. */
  consumed = 0;

  constructor(input: Readable) {
    // Stopping must not destroy the caller's stream (it may be process.stdin).
    this.iterator = input.iterator({ destroyOnReturn: false });
  }

  get available(): number {
    return this.buffered;
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
    while (this.buffered < n) {
      if (this.ended || this.stopped) return false;
      await this.pull();
    }
    return true;
  }

  /** Removes and returns exactly n buffered bytes (call fill(n) first). */
  take(n: number): Buffer {
    const whole = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    const out = whole.subarray(0, n);
    const rest = whole.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    this.consumed += n;
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
      scanned = this.buffered;
      if (this.buffered > maxBytes) {
        // Keep memory bounded: drop what is held of the long line, remember how much.
        discarded += this.buffered;
        this.take(this.buffered);
        scanned = 0;
      }
      if (this.ended || this.stopped) {
        if (this.buffered === 0 && discarded === 0) return null;
        if (discarded > 0) return { tooLong: discarded + this.take(this.buffered).length };
        return { line: this.take(this.buffered) };
      }
      await this.pull();
    }
  }

  private indexOfNewline(from: number): number {
    let base = 0;
    for (const chunk of this.chunks) {
      if (from < base + chunk.length) {
        const found = chunk.indexOf(0x0a, Math.max(0, from - base));
        if (found >= 0) return base + found;
      }
      base += chunk.length;
    }
    return -1;
  }

  private async pull(): Promise<void> {
    const stopped = new Promise<'stopped'>((resolve) => (this.wake = () => resolve('stopped')));
    const next = await Promise.race([this.iterator.next(), stopped]);
    this.wake = undefined;
    if (next === 'stopped') return;
    if (next.done) {
      this.ended = true;
      return;
    }
    const value = next.value;
    const chunk = Buffer.isBuffer(value) ? value : typeof value === 'string' ? Buffer.from(value) : Buffer.from(value as Uint8Array);
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
  }
}
