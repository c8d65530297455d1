// The agent's own store-and-forward spool for MQTT messages (docs/outbox.md):
// a message is appended (durably) before it is published and removed only
// when the broker acknowledged it (PUBACK). Two lanes: alerts and lifecycle
// messages go in 'priority'; summaries go in 'bulk'. When a bound is hit the
// oldest bulk entries are dropped first; priority entries only when priority
// alone exceeds the bounds, or by age.
// Every backend passes the one contract suite (test/outbox-contract.ts).

export type OutboxLane = 'priority' | 'bulk';

export interface OutboxMessage {
  /** The MQTT topic to publish to. */
  topic: string;
  /** The encoded payload (an msgpack envelope, docs/payload.md). */
  payload: Uint8Array;
  lane: OutboxLane;
}

export interface OutboxEntry extends OutboxMessage {
  /** Increases with every append, across lanes and restarts; never reused. */
  id: number;
  /** Wall-clock ms of the append (for the age bound). */
  createdMs: number;
}

export interface OutboxLimits {
  /** Most payload bytes held (both lanes). */
  maxBytes: number;
  /** Most entries held (both lanes). */
  maxEntries: number;
  /** Entries older than this are dropped (bulk and priority alike), ms. */
  maxAgeMs: number;
}

/** Why entries left the outbox without a PUBACK (metrics label; a fixed set). */
export type OutboxDropReason = 'bytes' | 'entries' | 'age' | 'corrupt';

export interface OutboxStats {
  entries: number;
  bytes: number;
  /** Per lane. */
  lanes: Record<OutboxLane, { entries: number; bytes: number }>;
  /** Entries dropped since this outbox was opened, by lane and reason. */
  dropped: Record<OutboxLane, Record<OutboxDropReason, number>>;
}

export interface Outbox {
  /**
   * Stores a message; resolves once it is durable (a SIGKILL after this
   * cannot lose it). May drop the oldest bulk entries to stay within the
   * limits; a message larger than maxBytes is refused with a RangeError.
   */
  append(message: OutboxMessage): Promise<OutboxEntry>;
  /**
   * Up to `limit` entries to publish next, oldest first within each lane,
   * every priority entry before any bulk entry, skipping ids in `exclude`
   * (the ones in flight). Drops entries past maxAgeMs first.
   */
  next(limit: number, exclude?: ReadonlySet<number>): Promise<OutboxEntry[]>;
  /** Removes an entry after its PUBACK; an unknown id is ignored (it may have been dropped). */
  ack(id: number): Promise<void>;
  stats(): OutboxStats;
  /** Releases files and handles; later calls reject. */
  close(): Promise<void>;
}
