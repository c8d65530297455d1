// An outbox held in memory only: for tests and for runs without --state-dir.
// NOT durable: a restart or crash loses every entry; append resolves at once.
import type { Outbox, OutboxEntry, OutboxLimits, OutboxMessage, OutboxStats } from './outbox.js';
import { checkLimits, checkMessage, DEFAULT_OUTBOX_LIMITS } from './outbox-limits.js';
import { OutboxIndex } from './outbox-index.js';

export interface MemoryOutboxOptions {
  /** Wall-clock ms for createdMs and the age bound. Default Date.now. */
  now?: () => number;
}

export class MemoryOutbox implements Outbox {
  private readonly limits: OutboxLimits;
  private readonly index: OutboxIndex;
  private readonly now: () => number;
  private nextId = 1;
  private closed = false;

  constructor(limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS, options: MemoryOutboxOptions = {}) {
    this.limits = checkLimits(limits);
    this.index = new OutboxIndex(this.limits);
    this.now = options.now ?? Date.now;
  }

  async append(message: OutboxMessage): Promise<OutboxEntry> {
    this.checkOpen();
    checkMessage(message, this.limits);
    const entry: OutboxEntry = { id: this.nextId++, createdMs: this.now(), topic: message.topic, payload: message.payload.slice(), lane: message.lane };
    this.index.add(entry, entry.createdMs);
    return { ...entry };
  }

  async next(limit: number, exclude?: ReadonlySet<number>): Promise<OutboxEntry[]> {
    this.checkOpen();
    this.index.expire(this.now());
    return this.index.next(limit, exclude);
  }

  async ack(id: number): Promise<void> {
    this.checkOpen();
    this.index.remove(id);
  }

  /** Still answers after close, for a last metrics scrape. */
  stats(): OutboxStats {
    return this.index.stats();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('outbox is closed');
  }
}
