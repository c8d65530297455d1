// The bytes of a checkpoint file (docs/checkpoints.md):
//   0  4   magic "DWCK"
//   4  2   format version, u16 big-endian (1)
//   6  2   flags, u16 (0; reserved)
//   8  4   body length n, u32 big-endian
//  12  n   body: the value as standard msgpack (src/codec/standard-msgpack.ts)
//  12+n 4  CRC-32 (IEEE) of bytes [0, 12 + n), u32 big-endian
// The checksum covers the header too, so a flipped bit anywhere is caught.
import { packStandard, unpackStandard } from '../../src/codec/standard-msgpack.js';
import { crc32 } from '../../src/sketch/crc32.js';

export const CHECKPOINT_MAGIC = Uint8Array.of(0x44, 0x57, 0x43, 0x4b); // "DWCK"
export const CHECKPOINT_FORMAT_VERSION = 1;
export const HEADER_BYTES = 12;
export const TRAILER_BYTES = 4;

/** Why a checkpoint file could not be read. */
export type CorruptReason = 'magic' | 'version' | 'length' | 'checksum' | 'decode';

/** A checkpoint file that is not a readable checkpoint; `reason` says which check failed. */
export class CheckpointFileError extends Error {
  constructor(readonly reason: CorruptReason, detail: string) {
    super(`possible corruption: ${detail}`);
    this.name = 'CheckpointFileError';
  }
}

export function encodeCheckpoint(value: unknown): Uint8Array {
  const body = packStandard(value);
  const bytes = new Uint8Array(HEADER_BYTES + body.length + TRAILER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(CHECKPOINT_MAGIC, 0);
  view.setUint16(4, CHECKPOINT_FORMAT_VERSION);
  view.setUint16(6, 0);
  view.setUint32(8, body.length);
  bytes.set(body, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + body.length, crc32(bytes, 0, HEADER_BYTES + body.length));
  return bytes;
}

/** The value of a checkpoint file; CheckpointFileError when any check fails. */
export function decodeCheckpoint(bytes: Uint8Array): unknown {
  if (bytes.length < CHECKPOINT_MAGIC.length || !CHECKPOINT_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new CheckpointFileError('magic', `the file does not start with "DWCK" (${bytes.length} bytes): not a driftwatch checkpoint`);
  }
  if (bytes.length < HEADER_BYTES + TRAILER_BYTES) throw new CheckpointFileError('length', `the file has ${bytes.length} bytes, fewer than a header and checksum (${HEADER_BYTES + TRAILER_BYTES})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4);
  if (version !== CHECKPOINT_FORMAT_VERSION) throw new CheckpointFileError('version', `checkpoint format version ${version} is not supported (this build reads ${CHECKPOINT_FORMAT_VERSION})`);
  const length = view.getUint32(8);
  if (HEADER_BYTES + length + TRAILER_BYTES !== bytes.length) {
    throw new CheckpointFileError('length', `the header says ${length} body bytes, so ${HEADER_BYTES + length + TRAILER_BYTES} in all, but the file has ${bytes.length}`);
  }
  const stored = view.getUint32(HEADER_BYTES + length);
  const actual = crc32(bytes, 0, HEADER_BYTES + length);
  if (stored !== actual) throw new CheckpointFileError('checksum', `CRC-32 is 0x${actual.toString(16).padStart(8, '0')}, the file says 0x${stored.toString(16).padStart(8, '0')}`);
  try {
    return unpackStandard(bytes.subarray(HEADER_BYTES, HEADER_BYTES + length));
  } catch (error) {
    throw new CheckpointFileError('decode', `the body is not msgpack: ${(error as Error).message}`);
  }
}
