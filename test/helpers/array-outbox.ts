// A test helper, not a backend: the Outbox interface over an in-memory array,
// so the MQTT suites do not depend on the FileOutbox being written in parallel.
import type { Outbox, OutboxEntry, OutboxMessage, OutboxStats } from '../../edge/outbox/outbox.js';

export class ArrayOutbox implements Outbox {
  readonly entries: OutboxEntry[] = [];
  readonly acked: number[] = [];
  private lastId = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async append(message: OutboxMessage): Promise<OutboxEntry> {
    const entry: OutboxEntry = { ...message, id: ++this.lastId, createdMs: this.now() };
    this.entries.push(entry);
    return entry;
  }

  async next(limit: number, exclude: ReadonlySet<number> = new Set()): Promise<OutboxEntry[]> {
    const open = this.entries.filter((e) => !exclude.has(e.id));
    const lane = (e: OutboxEntry) => (e.lane === 'priority' ? 0 : 1);
    return open.sort((a, b) => lane(a) - lane(b) || a.id - b.id).slice(0, limit);
  }

  async ack(id: number): Promise<void> {
    const at = this.entries.findIndex((e) => e.id === id);
    if (at >= 0) { this.entries.splice(at, 1); this.acked.push(id); }
  }

  stats(): OutboxStats {
    const bytes = (list: OutboxEntry[]) => list.reduce((n, e) => n + e.payload.byteLength, 0);
    const lane = (name: 'priority' | 'bulk') => this.entries.filter((e) => e.lane === name);
    const none = { bytes: 0, entries: 0, age: 0, corrupt: 0 };
    return {
      entries: this.entries.length, bytes: bytes(this.entries),
      lanes: { priority: { entries: lane('priority').length, bytes: bytes(lane('priority')) }, bulk: { entries: lane('bulk').length, bytes: bytes(lane('bulk')) } },
      dropped: { priority: { ...none }, bulk: { ...none } },
    };
  }

  async close(): Promise<void> {}
}
