// The two stdin framings, turned into records (camera, image, predictions).
//
// stdin:frames, a binary stream of records, each:
//   u32 big-endian H | H bytes of UTF-8 JSON header | u32 big-endian N | N image bytes
// The header is an object with optional keys "camera" and "predictions";
// H = 0 means no header. A record whose header is bad is skipped and reading
// goes on (its lengths were sane); a length over the limit means the stream
// is corrupt or not in this framing, and since a corrupt length prefix cannot
// be resynchronised, reading stops there.
//
// stdin:jsonl, one JSON object per line:
//   {"camera"?: id, "image": "<base64>" | "path": "<file>", "predictions"?: any}
// A bad line is skipped and reading goes on at the next line.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isCameraId } from './camera-id.js';
import type { StreamBytes } from './stream-bytes.js';

export interface StdinRecord {
  camera: string;
  image: Uint8Array;
  predictions?: unknown;
  /** A file named by a jsonl "path" record. */
  path?: string;
}

export interface RecordLimits {
  maxImageBytes: number;
  maxHeaderBytes: number;
  maxLineBytes: number;
}

/** A record that cannot be used; `fatal` when reading cannot go on after it. */
export class RecordError extends Error {
  constructor(readonly reason: string, message: string, readonly fatal = false) {
    super(message);
    this.name = 'RecordError';
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The next binary record, null at a clean end; throws RecordError. */
export async function readFrameRecord(bytes: StreamBytes, defaultCamera: string, limits: RecordLimits): Promise<StdinRecord | null> {
  const start = bytes.consumed;
  if (!(await bytes.fill(4))) {
    if (bytes.available === 0) return null;
    throw truncated(start, bytes.available, 4, 'header length');
  }
  const headerLength = bytes.take(4).readUInt32BE(0);
  if (headerLength > limits.maxHeaderBytes) throw corrupt(start, 'header', headerLength, limits.maxHeaderBytes);
  if (!(await bytes.fill(headerLength + 4))) throw truncated(start, bytes.available, headerLength + 4, 'header');
  // take() returns views that the next fill() may overwrite: the header is made text first.
  const headerText = bytes.take(headerLength).toString('utf8');
  const imageLength = bytes.take(4).readUInt32BE(0);
  if (imageLength > limits.maxImageBytes) throw corrupt(start, 'image', imageLength, limits.maxImageBytes);
  if (!(await bytes.fill(imageLength))) throw truncated(start, bytes.available, imageLength, 'image');
  const image = new Uint8Array(bytes.take(imageLength));
  const header = headerLength === 0 ? {} : parseObject(headerText, 'header');
  checkKeys(header, ['camera', 'predictions'], 'header');
  return { camera: cameraOf(header, defaultCamera), image, predictions: header.predictions };
}

/** The record on one jsonl line; throws RecordError. */
export async function parseJsonLine(line: string, defaultCamera: string, limits: RecordLimits, baseDir: string): Promise<StdinRecord> {
  const record = parseObject(line, 'line');
  checkKeys(record, ['camera', 'image', 'path', 'predictions'], 'line');
  const camera = cameraOf(record, defaultCamera);
  if ((record.image === undefined) === (record.path === undefined)) {
    throw new RecordError('bad-record', 'give exactly one of "image" (base64) and "path"');
  }
  if (record.image !== undefined) {
    if (typeof record.image !== 'string' || !BASE64.test(record.image)) throw new RecordError('bad-record', '"image" must be a base64 string');
    const image = new Uint8Array(Buffer.from(record.image, 'base64'));
    if (image.byteLength > limits.maxImageBytes) throw new RecordError('too-large', `"image" is ${image.byteLength} bytes; the limit is ${limits.maxImageBytes}`);
    return { camera, image, predictions: record.predictions };
  }
  if (typeof record.path !== 'string' || record.path === '') throw new RecordError('bad-record', '"path" must be a non-empty string');
  const path = resolve(baseDir, record.path);
  try {
    const size = (await stat(path)).size;
    if (size > limits.maxImageBytes) throw new RecordError('too-large', `${path} is ${size} bytes; the limit is ${limits.maxImageBytes}`);
    return { camera, image: new Uint8Array(await readFile(path)), predictions: record.predictions, path };
  } catch (error) {
    if (error instanceof RecordError) throw error;
    throw new RecordError('unreadable-file', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function parseObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RecordError('bad-json', `${what} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordError('bad-json', `${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function checkKeys(record: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) throw new RecordError('bad-record', `${what} has unknown key ${JSON.stringify(key)} (allowed: ${allowed.join(', ')})`);
  }
}

function cameraOf(record: Record<string, unknown>, defaultCamera: string): string {
  if (record.camera === undefined) return defaultCamera;
  if (!isCameraId(record.camera)) {
    const shown = JSON.stringify(record.camera)?.slice(0, 80);
    throw new RecordError('bad-camera', `camera id ${shown} is not valid (1 to 64 of A-Z a-z 0-9 _ . -)`);
  }
  return record.camera;
}

function corrupt(offset: number, what: string, length: number, limit: number): RecordError {
  return new RecordError('corrupt-length', `at byte ${offset}: ${what} length ${length} exceeds the limit of ${limit} bytes; the stream is corrupt or not in stdin:frames framing, and a corrupt length prefix cannot be resynchronised, so reading stopped`, true);
}

function truncated(offset: number, got: number, wanted: number, what: string): RecordError {
  return new RecordError('truncated', `at byte ${offset}: the stream ended inside a record (${what}: ${got} of ${wanted} bytes)`, true);
}

/** Encodes one stdin:frames record (for producers written in JavaScript). */
export function encodeFrameRecord(image: Uint8Array, header?: { camera?: string; predictions?: unknown }): Buffer {
  const headerBytes = header === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(header));
  const out = Buffer.alloc(8 + headerBytes.length + image.byteLength);
  out.writeUInt32BE(headerBytes.length, 0);
  headerBytes.copy(out, 4);
  out.writeUInt32BE(image.byteLength, 4 + headerBytes.length);
  out.set(image, 8 + headerBytes.length);
  return out;
}
