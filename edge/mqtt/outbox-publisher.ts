// Moves outbox entries to the broker while the link is up: a bounded window
// of QoS 1 publishes, an entry acked (deleted) only on its PUBACK, in id
// order with the priority lane first. On a disconnect the window is
// forgotten at once, so after the reconnect the same entries go again, in
// the same order (at least once; consumers deduplicate on dev, bdSeq, seq).
import type { Logger } from 'pino';
import type { Outbox, OutboxEntry } from '../outbox/outbox.js';
import type { MqttLink } from './mqtt-link.js';
import { topicKind } from './topics.js';

export interface OutboxPublisherMetrics {
  acked?(): void;
  /** The broker refused the entry (PUBACK reason >= 0x80); it was acked anyway. */
  denied?(): void;
}

export interface OutboxPublisherOptions {
  outbox: Outbox;
  link: MqttLink;
  /** Most publishes awaiting their PUBACK; default 16. */
  inFlight?: number;
  /** The bytes to publish for an entry; `historical`: appended before this connection began. Default: entry.payload. */
  prepare?: (entry: OutboxEntry, historical: boolean) => Uint8Array;
  log: Logger;
  metrics?: OutboxPublisherMetrics;
  now?: () => number;
}

export class OutboxPublisher {
  private readonly options: OutboxPublisherOptions;
  private readonly window: number;
  private readonly now: () => number;
  /** Entry ids published on the current connection and not yet answered. */
  private inFlight = new Set<number>();
  /** Bumped on every connect and disconnect: answers of an older connection change nothing here. */
  private generation = 0;
  private connectedAtMs = 0;
  private pumping = false;
  private again = false;
  private stopped = false;
  private readonly waiters = new Set<() => void>();
  private readonly onConnected = () => { this.generation++; this.inFlight = new Set(); this.connectedAtMs = this.now(); void this.pump(); };
  private readonly onDisconnected = () => { this.generation++; this.inFlight = new Set(); };

  constructor(options: OutboxPublisherOptions) {
    const window = options.inFlight ?? 16;
    if (!Number.isInteger(window) || window < 1 || window > 65535) throw new RangeError(`inFlight must be an integer from 1 to 65535, got ${String(window)}`);
    this.options = options;
    this.window = window;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.options.link.on('connected', this.onConnected);
    this.options.link.on('disconnected', this.onDisconnected);
    if (this.options.link.connected) this.onConnected();
  }

  /** No new publishes; those in flight still settle. */
  stop(): void {
    this.stopped = true;
    this.options.link.off('connected', this.onConnected);
    this.options.link.off('disconnected', this.onDisconnected);
  }

  /** Something was appended: publish it if the window allows. */
  notify(): void {
    void this.pump();
  }

  /** Resolves when the outbox is empty and nothing is in flight; rejects after timeoutMs. */
  drained(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.options.outbox.stats().entries > 0 || this.inFlight.size > 0) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`outbox not drained within ${timeoutMs} ms: ${this.options.outbox.stats().entries} entries left`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private async pump(): Promise<void> {
    // One pump at a time; a call during it makes it go round once more.
    if (this.pumping) { this.again = true; return; }
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && this.options.link.connected && this.inFlight.size < this.window) {
          const generation = this.generation;
          const batch = await this.options.outbox.next(this.window - this.inFlight.size, this.inFlight);
          // The connection changed while reading: this batch may skip released entries; read again.
          if (generation !== this.generation) continue;
          if (batch.length === 0) break;
          for (const entry of batch) this.send(entry, generation);
        }
      } while (this.again);
    } catch (error) {
      this.options.log.error({ err: error }, 'outbox read failed; publishing resumes on the next append or reconnect');
    } finally {
      this.pumping = false;
      this.checkWaiters();
    }
  }

  private send(entry: OutboxEntry, generation: number): void {
    this.inFlight.add(entry.id);
    const historical = entry.createdMs < this.connectedAtMs;
    let payload: Uint8Array;
    try {
      payload = this.options.prepare ? this.options.prepare(entry, historical) : entry.payload;
    } catch (error) {
      // A payload that cannot be prepared never will be: drop it rather than block the lane.
      this.options.log.error({ err: error, topic: entry.topic, id: entry.id }, 'could not prepare an outbox entry; dropping it');
      void this.settle(entry, generation, true);
      return;
    }
    this.options.link.publish(entry.topic, payload, { qos: 1, kind: topicKind(entry.topic) }).then(
      (result) => {
        if (!result.ok) this.options.metrics?.denied?.();
        return this.settle(entry, generation, true);
      },
      () => this.settle(entry, generation, false), // the connection ended: the entry stays and goes again
    );
  }

  private async settle(entry: OutboxEntry, generation: number, ack: boolean): Promise<void> {
    if (ack) {
      try {
        await this.options.outbox.ack(entry.id);
        this.options.metrics?.acked?.();
      } catch (error) {
        this.options.log.error({ err: error, id: entry.id }, 'outbox ack failed; the entry may be published again');
      }
    }
    if (generation === this.generation) {
      this.inFlight.delete(entry.id);
      void this.pump();
    }
    this.checkWaiters();
  }

  private checkWaiters(): void {
    for (const check of [...this.waiters]) check();
  }
}
