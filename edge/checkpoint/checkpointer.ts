// Saves one checkpoint on an interval and on demand (flush, for SIGTERM).
// Never two writes at once: a tick during a write is skipped, a flush during
// a write waits for it and then saves the state as it is then. The state is
// taken (snapshot()) when a write starts, synchronously, so it is
// consistent. A failed save is reported to onError and never thrown at the agent.
import type { CheckpointStore } from './checkpoint-store.js';

export interface CheckpointerOptions {
  /** Where to save; anything with CheckpointStore's save. */
  store: Pick<CheckpointStore, 'save'>;
  /** The checkpoint's name in the store. */
  name: string;
  /** The state to save, as plain data (e.g. () => monitor.toJSON()). */
  snapshot: () => unknown;
  /**
   * When the state may not be taken yet (e.g. an alert being journaled): a
   * promise to wait for, asked again until it returns null; the snapshot is
   * then taken in that same turn. Default: always ready.
   */
  settled?: () => Promise<unknown> | null;
  /** Milliseconds between saves, integer >= 1. Default 60,000. */
  intervalMs?: number;
  /** Called with every failed snapshot or save. */
  onError: (error: Error) => void;
  /** Called after every save with its size in bytes. */
  onSaved?: (bytes: number) => void;
}

export const CHECKPOINT_INTERVAL_MS = 60_000;

export class Checkpointer {
  readonly name: string;
  readonly intervalMs: number;
  private readonly options: CheckpointerOptions;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<boolean> | null = null;
  private queued: Promise<boolean> | null = null;
  private savedCount = 0;
  private failedCount = 0;

  constructor(options: CheckpointerOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('Checkpointer options must be an object { store, name, snapshot, onError }');
    if (!options.store || typeof options.store.save !== 'function') throw new TypeError('options.store must have a save(name, value) method');
    if (typeof options.snapshot !== 'function') throw new TypeError('options.snapshot must be a function returning the state to save');
    if (typeof options.onError !== 'function') throw new TypeError('options.onError must be a function: save errors are reported, not thrown');
    if (typeof options.name !== 'string' || options.name === '') throw new TypeError('options.name must be a non-empty string');
    this.intervalMs = options.intervalMs ?? CHECKPOINT_INTERVAL_MS;
    if (!Number.isSafeInteger(this.intervalMs) || this.intervalMs < 1) throw new RangeError(`options.intervalMs must be an integer >= 1; got ${String(options.intervalMs)}`);
    this.name = options.name;
    this.options = options;
  }

  /** Saves completed and failed so far. */
  get saves(): number { return this.savedCount; }
  get failures(): number { return this.failedCount; }
  /** Whether a save is under way or waiting. */
  get busy(): boolean { return this.running !== null || this.queued !== null; }

  /** Starts saving every intervalMs (the timer does not keep the process alive). */
  start(): this {
    if (this.timer) return this;
    this.timer = setInterval(() => { if (!this.busy) void this.begin(); }, this.intervalMs);
    this.timer.unref?.();
    return this;
  }

  /**
   * Saves now, after any save under way: the state at the time the write
   * starts is saved. Resolves true when saved, false when it failed (the
   * error went to onError). Concurrent flushes share one waiting save.
   */
  flush(): Promise<boolean> {
    if (this.queued) return this.queued;
    if (!this.running) return this.begin();
    this.queued = this.running.then(() => {
      this.queued = null;
      return this.begin();
    });
    return this.queued;
  }

  /** Stops the timer; with `flush`, saves once more. Resolves when no save is under way. */
  async stop(options: { flush?: boolean } = {}): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (options.flush) await this.flush();
    while (this.running || this.queued) await (this.queued ?? this.running);
  }

  private begin(): Promise<boolean> {
    const write = this.write().finally(() => {
      if (this.running === write) this.running = null;
    });
    this.running = write;
    return write;
  }

  private async write(): Promise<boolean> {
    try {
      for (let wait = this.options.settled?.() ?? null; wait; wait = this.options.settled?.() ?? null) await wait;
      const bytes = await this.options.store.save(this.name, this.options.snapshot());
      this.savedCount++;
      this.report(() => this.options.onSaved?.(bytes));
      return true;
    } catch (error) {
      this.failedCount++;
      this.report(() => this.options.onError(error instanceof Error ? error : new Error(String(error))));
      return false;
    }
  }

  // A throwing callback must not turn into an unhandled rejection in the agent.
  private report(callback: () => void): void {
    try {
      callback();
    } catch {
      // The callback's own failure has nowhere better to go.
    }
  }
}
