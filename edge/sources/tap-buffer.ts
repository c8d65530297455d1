// Collects a copy of a body streaming through the proxy, for the tap, without
// ever holding more than its own cap or the shared budget of all taps in
// flight. Past either limit it lets go of what it held and only counts.

export class TapBudget {
  used = 0;
  constructor(readonly limit: number) {}
}

export class TapBuffer {
  private chunks: Buffer[] = [];
  private length = 0;
  private reserved = 0;
  /** Set once the body outgrew the cap or the budget; the copy is gone. */
  overflowed = false;

  constructor(private readonly maxBytes: number, private readonly budget: TapBudget) {}

  push(chunk: Buffer): void {
    if (this.overflowed) return;
    if (this.length + chunk.length > this.maxBytes || this.budget.used + chunk.length > this.budget.limit) {
      this.overflowed = true;
      this.release();
      return;
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.reserved += chunk.length;
    this.budget.used += chunk.length;
  }

  /** The collected bytes, handing the memory back to the budget; undefined after an overflow. */
  take(): Uint8Array | undefined {
    if (this.overflowed) return undefined;
    const bytes = Buffer.concat(this.chunks, this.length);
    this.release();
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Frees the copy (the exchange was abandoned or the copy was taken). */
  release(): void {
    this.budget.used -= this.reserved;
    this.reserved = 0;
    this.chunks = [];
  }
}
