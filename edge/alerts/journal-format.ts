// The bytes of an alert journal file (docs/checkpoints.md, "The alert journal"):
//   header, 8 bytes: magic "DWAJ", format version u16 big-endian (1), reserved u16 (0)
//   then records back to back, each:
//     0  4  body length n, u32 big-endian
//     4  n  body: one value as standard msgpack (src/codec/standard-msgpack.ts)
//   4+n  4  CRC-32 (IEEE) of bytes [0, 4 + n) of the record, u32 big-endian
// A record is appended whole by one write; a crash mid-write leaves a torn
// last record, which a scan detects and drops (scanJournal says where the
// sound part ends). Damage before the last record is corruption.
import { packStandard, unpackStandard } from '../../src/codec/standard-msgpack.js';
import { crc32 } from '../../src/sketch/crc32.js';

export const JOURNAL_MAGIC = Uint8Array.of(0x44, 0x57, 0x41, 0x4a); // "DWAJ"
export const JOURNAL_FORMAT_VERSION = 1;
export const JOURNAL_HEADER_BYTES = 8;
const FRAME_BYTES = 8; // length before the body, CRC after it

export function journalHeader(): Uint8Array {
  const bytes = new Uint8Array(JOURNAL_HEADER_BYTES);
  bytes.set(JOURNAL_MAGIC, 0);
  new DataView(bytes.buffer).setUint16(4, JOURNAL_FORMAT_VERSION);
  return bytes;
}

export function encodeJournalRecord(value: unknown): Uint8Array {
  const body = packStandard(value);
  const bytes = new Uint8Array(FRAME_BYTES + body.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, body.length);
  bytes.set(body, 4);
  view.setUint32(4 + body.length, crc32(bytes, 0, 4 + body.length));
  return bytes;
}

/** A journal file that cannot be read past `soundEnd`; the records before it are sound. */
export class JournalCorruptError extends Error {
  constructor(detail: string, readonly records: unknown[], readonly soundEnd: number) {
    super(`possible corruption: ${detail}`);
    this.name = 'JournalCorruptError';
  }
}

export interface JournalScan {
  records: unknown[];
  /** Where the sound records end: appends go on from here. */
  soundEnd: number;
  /** Bytes of a torn last record (a crash mid-append) after soundEnd, dropped; 0 when none. */
  tornBytes: number;
}

/** The records of a whole journal file; JournalCorruptError for a bad header or damage before the last record. */
export function scanJournal(bytes: Uint8Array): JournalScan {
  if (bytes.length < JOURNAL_HEADER_BYTES || !JOURNAL_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new JournalCorruptError(`the file does not start with a "DWAJ" header (${bytes.length} bytes): not a driftwatch alert journal`, [], 0);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4);
  if (version !== JOURNAL_FORMAT_VERSION) throw new JournalCorruptError(`alert journal format version ${version} is not supported (this build reads ${JOURNAL_FORMAT_VERSION})`, [], 0);
  const records: unknown[] = [];
  let at = JOURNAL_HEADER_BYTES;
  while (at < bytes.length) {
    const read = readRecord(bytes, view, at);
    if ('value' in read) {
      records.push(read.value);
      at = read.end;
      continue;
    }
    // A torn append: the bad record is the last thing in the file, or only
    // zeros follow (a file extended but not written before a power cut).
    // Anything else is damage with sound bytes perhaps behind it.
    if (read.end >= bytes.length || bytes.subarray(at).every((b) => b === 0)) return { records, soundEnd: at, tornBytes: bytes.length - at };
    throw new JournalCorruptError(`the record at byte ${at} ${read.problem}, and ${bytes.length - at} bytes follow`, records, at);
  }
  return { records, soundEnd: at, tornBytes: 0 };
}

/** The record at `at` and where it ends, or what is wrong with it and where it would end. */
function readRecord(bytes: Uint8Array, view: DataView, at: number): { value: unknown; end: number } | { problem: string; end: number } {
  if (at + FRAME_BYTES > bytes.length) return { problem: 'is shorter than a record frame', end: bytes.length };
  const length = view.getUint32(at);
  const end = at + FRAME_BYTES + length;
  if (end > bytes.length) return { problem: `says ${length} body bytes, past the end of the file`, end };
  const stored = view.getUint32(at + 4 + length);
  const actual = crc32(bytes, at, at + 4 + length);
  if (stored !== actual) return { problem: `fails its CRC-32 (0x${actual.toString(16).padStart(8, '0')}, the file says 0x${stored.toString(16).padStart(8, '0')})`, end };
  try {
    return { value: unpackStandard(bytes.subarray(at + 4, at + 4 + length)), end };
  } catch (error) {
    return { problem: `is not msgpack (${(error as Error).message})`, end };
  }
}
