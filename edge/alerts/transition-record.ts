// What one camera's alert journal holds (docs/checkpoints.md, "The alert
// journal"): a `transition` record per frame whose check caused alert events,
// written and fdatasynced before any sink sees them, and a `delivered` marker
// once every sink had them. Records read back are checked before use: the
// CRC says the bytes are as written, not that they are this build's records.
import type { AlertEvent } from '../../src/policy/alert-types.js';

/** An alert envelope stamped with its (dev, bdSeq, seq): the exact bytes the journal keeps and the outbox gets. */
export interface StampedAlert { topic: string; payload: Uint8Array }

export interface TransitionRecord {
  type: 'transition';
  /** Counts the camera's transitions, from 1, across restarts; a checkpoint records the last one it covers. */
  counter: number;
  camera: string;
  /** AlertLifecycle.toJSON() after the events. */
  lifecycle: unknown;
  /** Each event, with its MQTT envelope when an upstream is configured. */
  events: Array<{ event: AlertEvent; stamped: StampedAlert | null }>;
}

export interface DeliveredRecord { type: 'delivered'; counter: number }

export type JournalRecord = TransitionRecord | DeliveredRecord;

/** What the agent gets back once a transition is journaled (or the journal failed: it publishes anyway). */
export interface RecordedTransition {
  counter: number;
  /** Per event: its stamped envelope, or null without MQTT. */
  stamped: Array<StampedAlert | null>;
  /** Milliseconds the journal append (write + fdatasync) took. */
  journalMs: number;
  /** Set when the append failed: the alert goes out, but a crash before the next checkpoint may lose or repeat it. */
  error: Error | null;
}

const isCounter = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isStamped(v: unknown): v is StampedAlert | null {
  return v === null || (isObject(v) && typeof v.topic === 'string' && v.payload instanceof Uint8Array);
}

/** The record if it has this build's shape, else null (the caller counts and skips it). */
export function readJournalRecord(value: unknown, camera: string): JournalRecord | null {
  if (!isObject(value) || !isCounter(value.counter)) return null;
  if (value.type === 'delivered') return { type: 'delivered', counter: value.counter };
  if (value.type !== 'transition' || value.camera !== camera || !isObject(value.lifecycle) || !Array.isArray(value.events)) return null;
  const events = value.events as unknown[];
  if (!events.every((e) => isObject(e) && isObject(e.event) && isStamped(e.stamped))) return null;
  return value as unknown as TransitionRecord;
}
