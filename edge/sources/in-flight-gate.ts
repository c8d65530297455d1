// Limits how many frames a source has handed to the agent and not yet seen
// settled, so a source with a backlog (a folder full of files, a piped file)
// paces itself to the agent instead of overrunning the queue.

export class InFlightGate {
  private count = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`maxInFlight must be a positive integer, got ${limit}`);
  }

  get inFlight(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.limit;
  }

  /** Takes a slot if one is free; false otherwise. */
  tryAcquire(): boolean {
    if (this.full) return false;
    this.count += 1;
    return true;
  }

  /** Waits for a free slot and takes it. */
  async acquire(): Promise<void> {
    while (!this.tryAcquire()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    if (this.count > 0) this.count -= 1;
    this.waiters.shift()?.();
  }

  /** A settle callback that frees the slot once, however often it is called. */
  settleOnce(then?: (outcome: 'processed' | 'rejected' | 'dropped') => Promise<void>): (outcome: 'processed' | 'rejected' | 'dropped') => Promise<void> {
    let settled = false;
    return async (outcome) => {
      if (settled) return;
      settled = true;
      try {
        await then?.(outcome);
      } finally {
        this.release();
      }
    };
  }
}
