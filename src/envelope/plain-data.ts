// Checks that a value is plain data every msgpack decoder reads back as it
// was: null, booleans, finite numbers, strings, bytes, arrays and string-keyed
// maps. (undefined, bigint, Date, Map and other typed arrays are refused.)
import { PayloadError } from './payload-error.js';

const MAX_DEPTH = 32;

export function checkPlainData(value: unknown, path: string, depth = 0): void {
  if (depth > MAX_DEPTH) throw new PayloadError(`payload: ${path} is nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || value instanceof Uint8Array) return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PayloadError(`payload: ${path} must be a finite number; got ${value}`);
    return;
  }
  if (Array.isArray(value)) { value.forEach((item, i) => checkPlainData(item, `${path}[${i}]`, depth + 1)); return; }
  if (typeof value === 'object' && !ArrayBuffer.isView(value) && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) checkPlainData(item, `${path}.${key}`, depth + 1);
    return;
  }
  throw new PayloadError(`payload: ${path} must be plain data (null, boolean, number, string, bytes, array or map); got ${value === undefined ? 'undefined' : typeof value === 'object' ? value.constructor?.name ?? 'object' : typeof value}`);
}
