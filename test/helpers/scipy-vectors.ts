// Reads the reference vectors that scripts/scipy-vectors.py wrote.
import { readFileSync } from 'node:fs';
import { repoPath } from './paths.js';

export type StoredSample = number[] | { f32: string; length: number };

export function readVectors<T>(name: string): T {
  return JSON.parse(readFileSync(repoPath('test', 'fixtures', 'scipy', name), 'utf8')) as T;
}

/** A sample stored inline or as little-endian float32 next to the JSON. */
export function readSample(stored: StoredSample): Float64Array {
  if (Array.isArray(stored)) return Float64Array.from(stored);
  const bytes = readFileSync(repoPath('test', 'fixtures', 'scipy', stored.f32));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** |actual - expected| <= abs + rel * |expected|, with a message that shows both. */
export function close(actual: number, expected: number, abs: number, rel: number): boolean {
  if (actual === expected) return true;
  return Math.abs(actual - expected) <= abs + rel * Math.abs(expected);
}
