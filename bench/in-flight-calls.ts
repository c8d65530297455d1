// At most `limit` calls in flight for a soak feeder: add() waits for a free
// slot, and the first failure of any call is thrown by the next add() or by
// drain(), so a broken agent stops the soak instead of being fed on.
export class InFlightCalls {
  private readonly calls = new Set<Promise<void>>();
  private failure: Error | undefined;

  constructor(private readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`calls in flight must be a positive integer, got ${limit}`);
  }

  async add(call: () => Promise<void>): Promise<void> {
    while (this.calls.size >= this.limit) await Promise.race(this.calls);
    if (this.failure) throw this.failure;
    const running: Promise<void> = call()
      .catch((error: Error) => { this.failure ??= error; })
      .finally(() => this.calls.delete(running));
    this.calls.add(running);
  }

  /** Waits for every call; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.calls);
    if (this.failure) throw this.failure;
  }
}
