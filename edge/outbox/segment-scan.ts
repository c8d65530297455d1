// Reads one segment file's bytes: the sound records in order, and how many
// damaged stretches lie between or after them. A damaged record (a flipped
// byte, a torn tail from a crash mid-write) is skipped by searching forward
// for the next record whose CRC checks, so one bad record costs only itself.
import type { OutboxEntry, OutboxLane } from './outbox.js';
import { decodeRecord, decodeSegmentHeader, RECORD_MAGIC, SEGMENT_HEADER_BYTES } from './record-format.js';

export interface ScannedRecord {
  entry: OutboxEntry;
  offset: number;
  length: number;
}

export interface SegmentScan {
  /** From the header; undefined when the header is damaged. */
  baseId: number | undefined;
  records: ScannedRecord[];
  /** Damaged stretches skipped, each counted as one lost entry. */
  corrupt: number;
  /** Whether the file is exactly a sound header and sound records. */
  sound: boolean;
}

const MAGIC_FIRST_BYTE = RECORD_MAGIC >>> 24;

export function scanSegment(bytes: Uint8Array, lane: OutboxLane): SegmentScan {
  const baseId = decodeSegmentHeader(bytes, lane);
  const records: ScannedRecord[] = [];
  let corrupt = 0;
  let at = SEGMENT_HEADER_BYTES;
  while (at < bytes.length) {
    const record = decodeRecord(bytes, at, lane);
    if (record) {
      records.push({ entry: record.entry, offset: at, length: record.length });
      at += record.length;
      continue;
    }
    corrupt++;
    at = resync(bytes, at + 1, lane);
  }
  return { baseId, records, corrupt, sound: baseId !== undefined && corrupt === 0 && bytes.length >= SEGMENT_HEADER_BYTES };
}

/** The offset of the next sound record at or after `from`, or the end. */
function resync(bytes: Uint8Array, from: number, lane: OutboxLane): number {
  for (let at = from; at < bytes.length; at++) {
    if (bytes[at] === MAGIC_FIRST_BYTE && decodeRecord(bytes, at, lane)) return at;
  }
  return bytes.length;
}
