// PayloadError and the field readers every body decoder uses: each names the
// field it rejects ("payload: body.features.luma_mean.sketch must be bin bytes").

export class PayloadError extends Error {
  override name = 'PayloadError';
}

export type Fields = Record<string, unknown>;

export function fail(path: string, what: string): never {
  throw new PayloadError(`payload: ${path} must be ${what}`);
}

/** A plain map (not an array, not bytes, not null). */
export function readMap(value: unknown, path: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value) || value instanceof Date) {
    fail(path, 'a map');
  }
  return value as Fields;
}

/** An own property (never one from the prototype chain). */
export function field(map: Fields, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

export function readString(value: unknown, path: string, maxLength = 4096): string {
  if (typeof value !== 'string') fail(path, 'a string');
  if (value.length > maxLength) fail(path, `a string of at most ${maxLength} characters (got ${value.length})`);
  return value;
}

export function readStringOrNull(value: unknown, path: string, maxLength = 4096): string | null {
  return value === null ? null : readString(value, path, maxLength);
}

export function readCount(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(path, 'a non-negative safe integer');
  return value;
}

export function readInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(path, 'a safe integer');
  return value;
}

export function readNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number');
  return value;
}

export function readNumberOrNull(value: unknown, path: string): number | null {
  return value === null ? null : readNumber(value, path);
}

export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'a boolean');
  return value;
}

/** bin bytes, copied (a decoder's bytes may be a view into a shared buffer). */
export function readBin(value: unknown, path: string): Uint8Array {
  if (!(value instanceof Uint8Array)) fail(path, 'bin bytes');
  return new Uint8Array(value);
}

export function readArray(value: unknown, path: string, maxLength = 4096): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array');
  if (value.length > maxLength) fail(path, `an array of at most ${maxLength} items (got ${value.length})`);
  return value;
}

export function readOneOf<T extends string | number | null>(value: unknown, options: readonly T[], path: string): T {
  if (!options.includes(value as T)) fail(path, `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`);
  return value as T;
}
