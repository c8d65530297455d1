// Default bounds of the spool and the checks every backend makes on its
// limits and on each message before anything is stored (docs/outbox.md).
import type { OutboxLane, OutboxLimits, OutboxMessage } from './outbox.js';

/**
 * 64 MiB: ~7.8 days of one camera's 1 kB summary every 10 s, small beside an
 * edge box's disk. 100,000 entries: caps the index when messages are tiny
 * (~330 bytes of heap per entry, ~33 MB). 7 days: a week-long outage is
 * covered; older summaries are of no use to the dashboards. docs/outbox.md.
 */
export const DEFAULT_OUTBOX_LIMITS: Readonly<OutboxLimits> = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxEntries: 100_000,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
});

export const OUTBOX_LANES: readonly OutboxLane[] = ['priority', 'bulk'];

/** MQTT's limit on a topic's UTF-8 length. */
export const MAX_TOPIC_BYTES = 65_535;

export function checkLimits(limits: OutboxLimits): OutboxLimits {
  for (const key of ['maxBytes', 'maxEntries', 'maxAgeMs'] as const) {
    const value = limits?.[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`outbox limits.${key} must be a positive integer; got ${String(value)} (defaults: DEFAULT_OUTBOX_LIMITS)`);
    }
  }
  return { maxBytes: limits.maxBytes, maxEntries: limits.maxEntries, maxAgeMs: limits.maxAgeMs };
}

/** Throws TypeError for a malformed message and RangeError for one that can never fit. */
export function checkMessage(message: OutboxMessage, limits: OutboxLimits): void {
  if (typeof message?.topic !== 'string' || message.topic === '') throw new TypeError('outbox message.topic must be a non-empty string');
  if (Buffer.byteLength(message.topic) > MAX_TOPIC_BYTES) throw new RangeError(`outbox message.topic must be at most ${MAX_TOPIC_BYTES} bytes of UTF-8`);
  if (!(message.payload instanceof Uint8Array)) throw new TypeError('outbox message.payload must be a Uint8Array');
  if (!OUTBOX_LANES.includes(message.lane)) throw new TypeError(`outbox message.lane must be 'priority' or 'bulk'; got ${String(message.lane)}`);
  if (message.payload.length > limits.maxBytes) {
    throw new RangeError(`outbox message of ${message.payload.length} bytes is larger than limits.maxBytes (${limits.maxBytes}); split it or raise the limit`);
  }
}
