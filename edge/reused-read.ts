// Reads a whole file into one buffer that the next call reuses. A fresh
// Buffer per ~50 KB frame costs more than the read: readFileSync measured
// 250-450 µs per 640×480 JPEG on the bench VM (page faults on new memory),
// a read into a reused buffer 40-110 µs. The returned view is valid only
// until the next call: decode it in the same synchronous step.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

// Files larger than this get their own buffer, so one huge image does not
// pin its size in memory for the rest of the stream.
const KEEP_BYTES = 8 << 20;

let reused = new Uint8Array(0);

export function readFileReusing(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > KEEP_BYTES) return readAll(fd, new Uint8Array(size));
    if (reused.length < size) reused = new Uint8Array(Math.max(size, 2 * reused.length, 1 << 16));
    return readAll(fd, reused.subarray(0, size));
  } finally {
    closeSync(fd);
  }
}

// Up to target.length bytes; a file that shrank since fstat gives fewer.
function readAll(fd: number, target: Uint8Array): Uint8Array {
  let filled = 0;
  while (filled < target.length) {
    const n = readSync(fd, target, filled, target.length - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return target.subarray(0, filled);
}
