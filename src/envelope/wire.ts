// The envelope's msgpack: src/codec/standard-msgpack.ts, plus two rules of
// this format. Integers beyond 32 bits (epoch-ms times, large counters) go as
// msgpack int64, not float64, so every decoder reads them as integers; and
// anything that is not one complete msgpack value is a PayloadError.
import { packStandard, unpackStandard } from '../codec/standard-msgpack.js';
import { PayloadError } from './payload-error.js';

const INT32_MIN = -(2 ** 31);
const UINT32_MAX = 2 ** 32 - 1;

function widenIntegers(value: unknown): unknown {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && (value > UINT32_MAX || value < INT32_MIN) ? BigInt(value) : value;
  }
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(widenIntegers);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = widenIntegers(item);
  return out;
}

export function packWire(value: unknown): Uint8Array {
  return packStandard(widenIntegers(value));
}

/** One complete msgpack value; truncated, trailing or unknown-extension bytes are a PayloadError. */
export function unpackWire(bytes: Uint8Array, what = 'payload'): unknown {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
  if (bytes.length === 0) throw new PayloadError(`${what}: empty (0 bytes), not a msgpack value`);
  try {
    return unpackStandard(bytes);
  } catch (error) {
    throw new PayloadError(`${what}: not valid msgpack (${error instanceof Error ? error.message : String(error)})`);
  }
}
