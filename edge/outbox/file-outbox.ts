// The durable outbox: append-only segment files per lane plus a removal log
// per segment, in one directory (docs/outbox.md). append resolves after its
// record is fdatasynced; ack and drops are logged and fsynced the same way;
// a segment is deleted once all its records are removed. One process per
// directory. Every entry's payload is also held in memory (about maxBytes).
import type { Outbox, OutboxEntry, OutboxLane, OutboxLimits, OutboxMessage, OutboxStats } from './outbox.js';
import { checkLimits, checkMessage, DEFAULT_OUTBOX_LIMITS, OUTBOX_LANES } from './outbox-limits.js';
import { OutboxIndex, type Drop } from './outbox-index.js';
import { GroupCommitWriter } from './group-commit.js';
import { encodeRecord, encodeRemoval, encodeSegmentHeader, SEGMENT_HEADER_BYTES, type RemovalReason } from './record-format.js';
import { recoverOutbox, removalsPath, segmentPath } from './outbox-recovery.js';

/** Appends go to a new segment once the current one would pass this size. */
export const DEFAULT_SEGMENT_BYTES = 1024 * 1024;

export interface FileOutboxOptions {
  /** Wall-clock ms for createdMs and the age bound. Default Date.now. */
  now?: () => number;
  /** Segment size at which appends roll to a new file. Default DEFAULT_SEGMENT_BYTES (1 MiB). */
  segmentBytes?: number;
}

interface Segment {
  lane: OutboxLane;
  number: number;
  path: string;
  removals: string;
  size: number;
  /** Records in it not yet acked or dropped. */
  live: number;
  removalsExist: boolean;
}

export class FileOutbox implements Outbox {
  private readonly index: OutboxIndex;
  private readonly writer: GroupCommitWriter;
  private readonly active: Record<OutboxLane, Segment | undefined> = { priority: undefined, bulk: undefined };
  private readonly segmentOf = new Map<number, Segment>();
  private nextId = 1;
  private closed = false;

  private constructor(
    readonly directory: string,
    private readonly limits: OutboxLimits,
    private readonly now: () => number,
    private readonly segmentBytes: number,
  ) {
    this.index = new OutboxIndex(limits);
    this.writer = new GroupCommitWriter(directory);
  }

  /** Opens (creating if missing) the outbox in `directory`; damaged records are skipped and counted as dropped 'corrupt'. */
  static async open(directory: string, limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS, options: FileOutboxOptions = {}): Promise<FileOutbox> {
    const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    if (!Number.isSafeInteger(segmentBytes) || segmentBytes < SEGMENT_HEADER_BYTES) throw new RangeError(`segmentBytes must be an integer of at least ${SEGMENT_HEADER_BYTES}; got ${segmentBytes}`);
    const outbox = new FileOutbox(directory, checkLimits(limits), options.now ?? Date.now, segmentBytes);
    const recovered = await recoverOutbox(directory);
    outbox.nextId = recovered.nextId;
    const all: Segment[] = [];
    for (const lane of OUTBOX_LANES) {
      outbox.index.countDrop(lane, 'corrupt', recovered.corrupt[lane]);
      for (const found of recovered.segments[lane]) {
        const segment = outbox.segment(lane, found.number, found.size);
        for (const entry of found.live) {
          outbox.index.restore(entry);
          outbox.segmentOf.set(entry.id, segment);
          segment.live++;
        }
        outbox.active[lane] = segment;
        all.push(segment);
      }
    }
    // The clock moved on and the limits may be lower than last run's.
    const drops = [...outbox.index.expire(outbox.now()), ...outbox.index.trim(true)];
    await settle([...outbox.logRemovals(drops), ...all.map((segment) => outbox.removeIfEmpty(segment))]);
    return outbox;
  }

  async append(message: OutboxMessage): Promise<OutboxEntry> {
    this.checkOpen();
    checkMessage(message, this.limits);
    const entry: OutboxEntry = { id: this.nextId++, createdMs: this.now(), topic: message.topic, payload: message.payload.slice(), lane: message.lane };
    const drops = this.index.add(entry, entry.createdMs);
    const writes: Promise<void>[] = [];
    // A bulk entry is dropped at once when only priority entries are left to make room; then nothing is written.
    if (this.index.has(entry.id)) {
      const record = encodeRecord(entry);
      const segment = this.segmentFor(entry.lane, record.length, entry.id, writes);
      segment.size += record.length;
      segment.live++;
      this.segmentOf.set(entry.id, segment);
      writes.push(this.writer.append(segment.path, record));
    }
    writes.push(...this.logRemovals(drops));
    try {
      await settle(writes);
    } catch (error) {
      this.forget(entry.id);
      throw error;
    }
    return { ...entry };
  }

  async next(limit: number, exclude?: ReadonlySet<number>): Promise<OutboxEntry[]> {
    this.checkOpen();
    await settle(this.logRemovals(this.index.expire(this.now())));
    return this.index.next(limit, exclude);
  }

  async ack(id: number): Promise<void> {
    this.checkOpen();
    const entry = this.index.remove(id);
    if (entry) await settle(this.logRemovals([{ entry, reason: 'ack' }]));
  }

  /** Still answers after close, for a last metrics scrape. */
  stats(): OutboxStats {
    return this.index.stats();
  }

  /** Waits for queued writes to be durable, then closes the files. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writer.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`outbox ${this.directory} is closed`);
  }

  private segment(lane: OutboxLane, number: number, size: number): Segment {
    return { lane, number, path: segmentPath(this.directory, lane, number), removals: removalsPath(this.directory, lane, number), size, live: 0, removalsExist: false };
  }

  /** The lane's current segment, or a new one when the record would take it past segmentBytes. */
  private segmentFor(lane: OutboxLane, recordBytes: number, baseId: number, writes: Promise<void>[]): Segment {
    const current = this.active[lane];
    if (current && (current.size <= SEGMENT_HEADER_BYTES || current.size + recordBytes <= this.segmentBytes)) return current;
    const segment = this.segment(lane, (current?.number ?? 0) + 1, SEGMENT_HEADER_BYTES);
    this.active[lane] = segment;
    // The header records baseId, so the next id is known even after every record is acked.
    writes.push(this.writer.append(segment.path, encodeSegmentHeader(lane, baseId), true));
    if (current) writes.push(this.removeIfEmpty(current));
    return segment;
  }

  /** Logs removals in their segments' .del files; deletes segments left empty. */
  private logRemovals(removals: ReadonlyArray<Drop | { entry: OutboxEntry; reason: RemovalReason }>): Promise<void>[] {
    const writes: Promise<void>[] = [];
    for (const { entry, reason } of removals) {
      const segment = this.segmentOf.get(entry.id);
      if (!segment) continue; // a bulk entry dropped before it was written
      this.segmentOf.delete(entry.id);
      segment.live--;
      writes.push(this.writer.append(segment.removals, encodeRemoval(entry.id, reason), !segment.removalsExist));
      segment.removalsExist = true;
      writes.push(this.removeIfEmpty(segment));
    }
    return writes;
  }

  /** Deletes a segment whose records are all removed, unless appends still go to it. The .seg goes first: a lone .del is harmless. */
  private async removeIfEmpty(segment: Segment): Promise<void> {
    if (segment.live > 0 || segment === this.active[segment.lane]) return;
    await settle([this.writer.remove(segment.path), this.writer.remove(segment.removals)]);
  }

  /** Undoes the index side of an append whose write failed. */
  private forget(id: number): void {
    const segment = this.segmentOf.get(id);
    if (!this.index.remove(id) || !segment) return;
    this.segmentOf.delete(id);
    segment.live--;
  }
}

/** Waits for every promise (none left unhandled), then throws the first failure. */
async function settle(promises: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
