// The in-memory state every outbox backend shares: the entries of each lane
// in id order, the bounds, and the drop counts. It decides what to drop; a
// backend makes those decisions durable.
import type { OutboxDropReason, OutboxEntry, OutboxLane, OutboxLimits, OutboxStats } from './outbox.js';
import { OUTBOX_LANES } from './outbox-limits.js';

export interface Drop {
  entry: OutboxEntry;
  reason: OutboxDropReason;
}

const noDrops = (): Record<OutboxDropReason, number> => ({ bytes: 0, entries: 0, age: 0, corrupt: 0 });

export class OutboxIndex {
  // A Map iterates in insertion order, and ids are inserted in increasing
  // order, so the first entry of a lane is its oldest.
  private readonly lanes: Record<OutboxLane, Map<number, OutboxEntry>> = { priority: new Map(), bulk: new Map() };
  private readonly laneBytes: Record<OutboxLane, number> = { priority: 0, bulk: 0 };
  private readonly dropped: Record<OutboxLane, Record<OutboxDropReason, number>> = { priority: noDrops(), bulk: noDrops() };

  constructor(private readonly limits: OutboxLimits) {}

  get entries(): number {
    return this.lanes.priority.size + this.lanes.bulk.size;
  }

  get bytes(): number {
    return this.laneBytes.priority + this.laneBytes.bulk;
  }

  has(id: number): boolean {
    return this.lanes.priority.has(id) || this.lanes.bulk.has(id);
  }

  /** Adds an entry already stored (at open), without enforcing bounds. Ids must come in increasing order per lane. */
  restore(entry: OutboxEntry): void {
    this.lanes[entry.lane].set(entry.id, entry);
    this.laneBytes[entry.lane] += entry.payload.length;
  }

  /**
   * Adds a new entry and drops what the bounds require: past maxAgeMs first,
   * then the oldest bulk entries, then (only for a priority entry) the oldest
   * priority ones. A bulk entry never displaces a priority one: if only
   * priority entries are left, the new bulk entry itself is dropped.
   */
  add(entry: OutboxEntry, nowMs: number): Drop[] {
    const drops = this.expire(nowMs);
    this.restore(entry);
    drops.push(...this.trim(entry.lane === 'priority'));
    return drops;
  }

  /**
   * Drops the oldest bulk entries, then (when `priorityMayGo`) the oldest
   * priority ones, until both bounds hold; e.g. after a restart with lower limits.
   */
  trim(priorityMayGo = true): Drop[] {
    const drops: Drop[] = [];
    for (;;) {
      const overBytes = this.bytes > this.limits.maxBytes;
      if (!overBytes && this.entries <= this.limits.maxEntries) return drops;
      const victim = this.oldest('bulk') ?? (priorityMayGo ? this.oldest('priority') : undefined);
      // Only reachable with priority entries alone over the bounds and priorityMayGo false; add() never gets here.
      if (!victim) return drops;
      drops.push(this.drop(victim, overBytes ? 'bytes' : 'entries'));
    }
  }

  /** Drops entries older than maxAgeMs, oldest first in each lane. */
  expire(nowMs: number): Drop[] {
    const drops: Drop[] = [];
    for (const lane of OUTBOX_LANES) {
      for (const entry of this.lanes[lane].values()) {
        // Stops at the first young entry: ids follow append order, which is time order unless the clock went back.
        if (nowMs - entry.createdMs <= this.limits.maxAgeMs) break;
        drops.push(this.drop(entry, 'age'));
      }
    }
    return drops;
  }

  /** Removes an entry; undefined for an unknown id. */
  remove(id: number): OutboxEntry | undefined {
    for (const lane of OUTBOX_LANES) {
      const entry = this.lanes[lane].get(id);
      if (!entry) continue;
      this.lanes[lane].delete(id);
      this.laneBytes[lane] -= entry.payload.length;
      return entry;
    }
    return undefined;
  }

  /** Counts a drop of an entry that never reached the index (a corrupt record found at open). */
  countDrop(lane: OutboxLane, reason: OutboxDropReason, count = 1): void {
    this.dropped[lane][reason] += count;
  }

  next(limit: number, exclude?: ReadonlySet<number>): OutboxEntry[] {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`outbox next(limit): limit must be a non-negative integer; got ${String(limit)}`);
    const out: OutboxEntry[] = [];
    for (const lane of OUTBOX_LANES) {
      for (const entry of this.lanes[lane].values()) {
        if (out.length >= limit) return out;
        if (!exclude?.has(entry.id)) out.push({ ...entry });
      }
    }
    return out;
  }

  stats(): OutboxStats {
    const lane = (name: OutboxLane) => ({ entries: this.lanes[name].size, bytes: this.laneBytes[name] });
    return {
      entries: this.entries,
      bytes: this.bytes,
      lanes: { priority: lane('priority'), bulk: lane('bulk') },
      dropped: { priority: { ...this.dropped.priority }, bulk: { ...this.dropped.bulk } },
    };
  }

  private oldest(lane: OutboxLane): OutboxEntry | undefined {
    return this.lanes[lane].values().next().value;
  }

  private drop(entry: OutboxEntry, reason: OutboxDropReason): Drop {
    this.remove(entry.id);
    this.dropped[entry.lane][reason] += 1;
    return { entry, reason };
  }
}
