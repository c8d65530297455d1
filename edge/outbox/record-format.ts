// The bytes of the file outbox (docs/outbox.md): a segment header, one record
// per entry, and the fixed-size removal records of a segment's .del file.
// All integers big-endian; every structure ends with a CRC-32 of its bytes.
import { crc32 } from '../../src/sketch/crc32.js';
import type { OutboxDropReason, OutboxEntry, OutboxLane } from './outbox.js';

export const SEGMENT_MAGIC = 0x44574f53; // 'DWOS'
export const RECORD_MAGIC = 0x44574f52; // 'DWOR'
export const FORMAT_VERSION = 1;
export const SEGMENT_HEADER_BYTES = 20;
/** Header (28) and CRC (4) of a record; the topic and payload come between them. */
export const RECORD_OVERHEAD_BYTES = 32;
const RECORD_HEADER_BYTES = 28;
export const REMOVAL_BYTES = 16;

const LANE_CODES: Record<OutboxLane, number> = { priority: 1, bulk: 2 };
/** 0 is a PUBACK; the others are drop reasons. */
export type RemovalReason = 'ack' | OutboxDropReason;
const REASON_CODES: RemovalReason[] = ['ack', 'bytes', 'entries', 'age', 'corrupt'];

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
// Ids and base ids are stored as two u32 halves (ids stay below 2^53).
const setId = (v: DataView, at: number, id: number) => { v.setUint32(at, Math.floor(id / 2 ** 32)); v.setUint32(at + 4, id >>> 0); };
const getId = (v: DataView, at: number) => v.getUint32(at) * 2 ** 32 + v.getUint32(at + 4);

/** magic u32, version u16, lane u8, reserved u8, baseId u64 (the first id it may hold), CRC-32 u32. */
export function encodeSegmentHeader(lane: OutboxLane, baseId: number): Uint8Array {
  const bytes = new Uint8Array(SEGMENT_HEADER_BYTES);
  const v = view(bytes);
  v.setUint32(0, SEGMENT_MAGIC);
  v.setUint16(4, FORMAT_VERSION);
  v.setUint8(6, LANE_CODES[lane]);
  setId(v, 8, baseId);
  v.setUint32(16, crc32(bytes, 0, 16));
  return bytes;
}

/** The base id of a sound header of this lane, or undefined. */
export function decodeSegmentHeader(bytes: Uint8Array, lane: OutboxLane): number | undefined {
  if (bytes.length < SEGMENT_HEADER_BYTES) return undefined;
  const v = view(bytes);
  if (v.getUint32(0) !== SEGMENT_MAGIC || v.getUint16(4) !== FORMAT_VERSION || v.getUint8(6) !== LANE_CODES[lane]) return undefined;
  if (v.getUint32(16) !== crc32(bytes, 0, 16)) return undefined;
  return getId(v, 8);
}

/**
 * magic u32, payload length u32, id u64, createdMs f64, lane u8, reserved u8,
 * topic length u16, topic (UTF-8), payload, CRC-32 u32 of everything before it.
 */
export function encodeRecord(entry: OutboxEntry): Uint8Array {
  const topic = Buffer.from(entry.topic, 'utf8');
  const length = RECORD_OVERHEAD_BYTES + topic.length + entry.payload.length;
  const bytes = new Uint8Array(length);
  const v = view(bytes);
  v.setUint32(0, RECORD_MAGIC);
  v.setUint32(4, entry.payload.length);
  setId(v, 8, entry.id);
  v.setFloat64(16, entry.createdMs);
  v.setUint8(24, LANE_CODES[entry.lane]);
  v.setUint16(26, topic.length);
  bytes.set(topic, RECORD_HEADER_BYTES);
  bytes.set(entry.payload, RECORD_HEADER_BYTES + topic.length);
  v.setUint32(length - 4, crc32(bytes, 0, length - 4));
  return bytes;
}

/** The record at `offset` and its length, or undefined when the bytes there are not a whole, sound record of this lane. */
export function decodeRecord(bytes: Uint8Array, offset: number, lane: OutboxLane): { entry: OutboxEntry; length: number } | undefined {
  if (bytes.length - offset < RECORD_OVERHEAD_BYTES) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.length - offset);
  if (v.getUint32(0) !== RECORD_MAGIC || v.getUint8(24) !== LANE_CODES[lane]) return undefined;
  const topicLength = v.getUint16(26);
  const length = RECORD_OVERHEAD_BYTES + topicLength + v.getUint32(4);
  if (length > v.byteLength) return undefined;
  if (v.getUint32(length - 4) !== crc32(bytes, offset, offset + length - 4)) return undefined;
  const body = offset + RECORD_HEADER_BYTES;
  const entry: OutboxEntry = {
    id: getId(v, 8),
    createdMs: v.getFloat64(16),
    lane,
    topic: Buffer.from(bytes.buffer, bytes.byteOffset + body, topicLength).toString('utf8'),
    // A plain Uint8Array copy (not a Buffer view of the whole file), like the payload that was appended.
    payload: new Uint8Array(bytes.subarray(body + topicLength, offset + length - 4)),
  };
  return { entry, length };
}

/** id u64, reason u8, reserved 3 bytes, CRC-32 u32 of the 12 bytes before it. */
export function encodeRemoval(id: number, reason: RemovalReason): Uint8Array {
  const bytes = new Uint8Array(REMOVAL_BYTES);
  const v = view(bytes);
  setId(v, 0, id);
  v.setUint8(8, REASON_CODES.indexOf(reason));
  v.setUint32(12, crc32(bytes, 0, 12));
  return bytes;
}

/** The ids removed by the sound records of a .del file; a torn or damaged record is skipped. */
export function decodeRemovals(bytes: Uint8Array): Set<number> {
  const ids = new Set<number>();
  const v = view(bytes);
  for (let at = 0; at + REMOVAL_BYTES <= bytes.length; at += REMOVAL_BYTES) {
    if (v.getUint32(at + 12) === crc32(bytes, at, at + 12)) ids.add(getId(v, at));
  }
  return ids;
}
