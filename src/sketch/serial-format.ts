// Serialized form of a QuantileSketch, little-endian, format version 1:
//
//   offset  size  field
//   0       4     magic "DWQS"
//   4       1     format version (1)
//   5       1     reserved, 0
//   6       2     L: number of levels (uint16, 1..60)
//   8       4     k (uint32, 8..65535)
//   12      4     PRNG state (uint32, nonzero)
//   16      8     n (float64 holding an integer <= 2^53)
//   24      4     min (float32; NaN when n = 0)
//   28      4     max (float32; NaN when n = 0)
//   32      4·L   items per level (uint32 each)
//   ..      4·R   the R retained items (float32), level 0 first, in stored order
//   end-4   4     CRC-32 of every byte before it
//
// Anything that does not fit this layout and the sketch's invariants is
// rejected with "possible corruption: …" rather than read as a wrong sketch.
import { crc32 } from './crc32.js';
import { MAX_K, MIN_K, totalCapacity } from './capacity.js';

export const FORMAT_VERSION = 1;
const MAGIC = [0x44, 0x57, 0x51, 0x53]; // "DWQS"
const HEADER_BYTES = 32;
const MAX_LEVELS = 60;

export interface SketchState {
  k: number;
  n: number;
  min: number;
  max: number;
  rngState: number;
  /** Level 0 in insertion order, higher levels ascending. */
  levels: Float32Array[];
}

export function serializedBytes(numLevels: number, retained: number): number {
  return HEADER_BYTES + 4 * numLevels + 4 * retained + 4;
}

export function encode(state: SketchState): Uint8Array {
  const retained = state.levels.reduce((sum, level) => sum + level.length, 0);
  const bytes = new Uint8Array(serializedBytes(state.levels.length, retained));
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint8(4, FORMAT_VERSION);
  view.setUint16(6, state.levels.length, true);
  view.setUint32(8, state.k, true);
  view.setUint32(12, state.rngState, true);
  view.setFloat64(16, state.n, true);
  writeFloat32(view, 24, state.min);
  writeFloat32(view, 28, state.max);
  let at = HEADER_BYTES;
  for (const level of state.levels) { view.setUint32(at, level.length, true); at += 4; }
  for (const level of state.levels) {
    for (let i = 0; i < level.length; i++) { view.setFloat32(at, level[i], true); at += 4; }
  }
  view.setUint32(at, crc32(bytes, 0, at), true);
  return bytes;
}

/** One canonical NaN, so an empty sketch always serializes to the same bytes. */
function writeFloat32(view: DataView, at: number, x: number): void {
  if (Number.isNaN(x)) view.setUint32(at, 0x7fc00000, true);
  else view.setFloat32(at, x, true);
}

function corrupt(what: string): Error {
  return new Error(`possible corruption: ${what}`);
}

export function decode(bytes: unknown): SketchState {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('QuantileSketch.deserialize needs a Uint8Array');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < HEADER_BYTES + 8) {
    throw corrupt(`${bytes.length} bytes is shorter than the smallest serialized sketch (${HEADER_BYTES + 8} bytes)`);
  }
  if (MAGIC.some((b, i) => bytes[i] !== b)) throw corrupt('not a driftwatch quantile sketch (wrong magic bytes)');
  const version = bytes[4];
  if (version !== FORMAT_VERSION) {
    throw corrupt(`format version ${version} is not supported (this build reads version ${FORMAT_VERSION})`);
  }
  const numLevels = view.getUint16(6, true);
  if (bytes[5] !== 0 || numLevels < 1 || numLevels > MAX_LEVELS) throw corrupt(`bad header (${numLevels} levels)`);
  if (bytes.length < serializedBytes(numLevels, 0)) throw corrupt(`truncated: ${bytes.length} bytes cannot hold ${numLevels} levels`);
  const sizes: number[] = [];
  let retained = 0;
  for (let h = 0; h < numLevels; h++) retained += sizes[h] = view.getUint32(HEADER_BYTES + 4 * h, true);
  const expected = serializedBytes(numLevels, retained);
  if (bytes.length !== expected) {
    throw corrupt(`${bytes.length} bytes where the header announces ${expected} (${bytes.length < expected ? 'truncated' : 'trailing bytes'})`);
  }
  const stored = view.getUint32(expected - 4, true), computed = crc32(bytes, 0, expected - 4);
  if (stored !== computed) {
    throw corrupt(`checksum mismatch (stored 0x${hex(stored)}, computed 0x${hex(computed)})`);
  }
  const state: SketchState = {
    k: view.getUint32(8, true), rngState: view.getUint32(12, true), n: view.getFloat64(16, true),
    min: view.getFloat32(24, true), max: view.getFloat32(28, true), levels: [],
  };
  let at = HEADER_BYTES + 4 * numLevels;
  for (const size of sizes) {
    const level = new Float32Array(size);
    for (let i = 0; i < size; i++, at += 4) level[i] = view.getFloat32(at, true);
    state.levels.push(level);
  }
  checkInvariants(state, retained);
  return state;
}

function hex(x: number): string { return x.toString(16).padStart(8, '0'); }

/** Checks that the checksum cannot: a well-formed but impossible sketch (e.g. written by a buggy encoder). */
function checkInvariants(s: SketchState, retained: number): void {
  if (s.k < MIN_K || s.k > MAX_K) throw corrupt(`k = ${s.k} is outside [${MIN_K}, ${MAX_K}]`);
  if (s.rngState === 0) throw corrupt('PRNG state is 0');
  if (retained >= totalCapacity(s.k, s.levels.length)) throw corrupt(`${retained} items exceed the capacity of the levels`);
  let weight = 0;
  for (let h = 0; h < s.levels.length; h++) weight += s.levels[h].length * 2 ** h;
  if (!Number.isInteger(s.n) || s.n !== weight) throw corrupt(`n = ${s.n} does not match the levels' total weight ${weight}`);
  if (s.n === 0) {
    if (!Number.isNaN(s.min) || !Number.isNaN(s.max)) throw corrupt('an empty sketch with a min or max');
    return;
  }
  if (!(Number.isFinite(s.min) && Number.isFinite(s.max) && s.min <= s.max)) throw corrupt(`min ${s.min}, max ${s.max}`);
  for (let h = 0; h < s.levels.length; h++) {
    const level = s.levels[h];
    for (let i = 0; i < level.length; i++) {
      const x = level[i];
      if (!(x >= s.min && x <= s.max)) throw corrupt(`item ${x} at level ${h} outside [min, max]`);
      if (h > 0 && i > 0 && level[i - 1] > x) throw corrupt(`level ${h} is not sorted`);
    }
  }
}
