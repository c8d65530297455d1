// Collects a copy of a body streaming through the proxy, for the tap, without
// ever holding more than its own cap or the shared budget of all taps in
// flight. Past either limit it lets go of what it held and only counts.
// Bytes are copied as they arrive into a buffer from the tap memory (the
// socket's chunk is not kept), growing it by powers of two; a Content-Length
// sizes it at once.
import { TapMemory } from './tap-memory.js';

export class TapBudget {
  used = 0;
  constructor(readonly limit: number) {}
}

export class TapBuffer {
  private buffer: ArrayBuffer | undefined;
  private length = 0;
  /** Set once the body outgrew the cap or the budget; the copy is gone. */
  overflowed = false;

  /** `expectedBytes`: the body's announced length, if any (a hint; the caps still apply to what arrives). */
  constructor(private readonly maxBytes: number, private readonly budget: TapBudget, private readonly memory: TapMemory, private readonly expectedBytes = 0) {}

  push(chunk: Uint8Array): void {
    if (this.overflowed) return;
    const length = this.length + chunk.length;
    if (length > this.maxBytes || this.budget.used + chunk.length > this.budget.limit) {
      this.overflowed = true;
      this.release();
      return;
    }
    this.reserve(length);
    new Uint8Array(this.buffer!).set(chunk, this.length);
    this.length = length;
    this.budget.used += chunk.length;
  }

  /**
   * The collected bytes, handing their memory back to the budget; undefined
   * after an overflow. The caller owns the buffer behind them (it may move it
   * to another thread) and gives it back to the tap memory when done.
   */
  take(): Uint8Array | undefined {
    if (this.overflowed) return undefined;
    const bytes = new Uint8Array(this.buffer ?? this.memory.take(0), 0, this.length);
    this.budget.used -= this.length;
    this.buffer = undefined;
    this.length = 0;
    return bytes;
  }

  /** Drops the copy (the exchange was abandoned); its memory goes back to the tap memory. */
  release(): void {
    this.budget.used -= this.length;
    this.length = 0;
    if (this.buffer) this.memory.give(this.buffer);
    this.buffer = undefined;
  }

  private reserve(length: number): void {
    if (this.buffer && this.buffer.byteLength >= length) return;
    const next = this.memory.take(Math.max(length, Math.min(this.expectedBytes, this.maxBytes)));
    if (this.buffer) {
      new Uint8Array(next).set(new Uint8Array(this.buffer, 0, this.length));
      this.memory.give(this.buffer);
    }
    this.buffer = next;
  }
}
