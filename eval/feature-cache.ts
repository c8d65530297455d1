// On-disk cache of feature streams, so that re-running a policy does not
// re-render the frames. A file holds the raw little-endian f64 values of one
// stream, frame-major; its name carries a SHA-256 of everything the values
// depend on (generator version, feature catalogue, the full stream spec), so
// a changed parameter is a cache miss, never a stale hit.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOGUE_VERSION, type Kernels } from '../src/index.js';
import { writeFileAtomic } from '../edge/atomic-write.js';
import type { StreamSpec } from './camera-stream.js';
import { computeFeatures, FEATURE_COUNT, FEATURE_NAMES } from './feature-stream.js';

/** Bump when the generator draws different pixels for the same spec. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../eval/cache/', import.meta.url));

/** JSON with object keys sorted, so equal specs hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function cacheKey(spec: StreamSpec): string {
  const identity = { generator: GENERATOR_VERSION, catalogue: CATALOGUE_VERSION, features: FEATURE_NAMES, spec };
  return createHash('sha256').update(canonical(identity)).digest('hex').slice(0, 16);
}

export function cacheFile(dir: string, name: string, spec: StreamSpec): string {
  if (!/^[a-z0-9._-]+$/i.test(name)) throw new RangeError(`cache name must be [a-z0-9._-]+; got ${name}`);
  return join(dir, `${name}-${spec.seed}-${cacheKey(spec)}.f64`);
}

export async function readCachedFeatures(path: string, frames: number): Promise<Float64Array | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  if (bytes.byteLength !== frames * FEATURE_COUNT * 8) return undefined; // truncated: recompute
  const values = new Float64Array(frames * FEATURE_COUNT);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

export async function writeCachedFeatures(path: string, values: Float64Array): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFileAtomic(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export interface CachedFeaturesOptions {
  kernels: Kernels;
  /** Default eval/cache/; null turns the cache off. */
  dir?: string | null;
  onFrame?: (done: number) => void;
}

/** The stream's features from the cache, or computed and stored. */
export async function cachedFeatures(name: string, spec: StreamSpec, options: CachedFeaturesOptions): Promise<{ values: Float64Array; fromCache: boolean }> {
  const dir = options.dir === undefined ? DEFAULT_CACHE_DIR : options.dir;
  const path = dir === null ? undefined : cacheFile(dir, name, spec);
  const cached = path ? await readCachedFeatures(path, spec.frames) : undefined;
  if (cached) return { values: cached, fromCache: true };
  const values = await computeFeatures(spec, options.kernels, options.onFrame);
  if (path) await writeCachedFeatures(path, values);
  return { values, fromCache: false };
}
