// Reading a checkpoint back: every field checked before any state is set,
// and every error names the field by its path (windows.luma_mean.state.values[3]).
// Non-finite numbers (NaN, −Infinity) are written as null, so a checkpoint
// survives JSON as well as msgpack.

/** A checkpoint whose bytes decoded but whose contents are not a valid state. */
export class CheckpointFormatError extends Error {
  constructor(readonly field: string, problem: string) {
    super(`checkpoint field ${field} ${problem}`);
    this.name = 'CheckpointFormatError';
  }
}

/** A sound checkpoint made for something else: another baseline, camera or configuration. */
export class CheckpointMismatchError extends Error {
  constructor(readonly field: string, readonly saved: unknown, readonly expected: unknown) {
    super(`checkpoint was made with ${field} = ${show(saved)}, but this monitor has ${show(expected)}; start fresh`);
    this.name = 'CheckpointMismatchError';
  }
}

function show(value: unknown): string {
  if (value === undefined) return '(not set)';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const describe = (value: unknown): string => (value === undefined ? 'nothing (the field is missing)' : typeof value === 'number' ? String(value) : Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : show(value));

/** A finite number as itself, anything else (NaN, ±Infinity) as null. */
export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The fields of one object of a checkpoint, each read with a check. */
export class Fields {
  private constructor(readonly record: Readonly<Record<string, unknown>>, readonly path: string) {}

  /** `value` as an object of fields; `path` names it in errors. */
  static of(value: unknown, path: string): Fields {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CheckpointFormatError(path, `must be an object; got ${describe(value)}`);
    return new Fields(value as Record<string, unknown>, path);
  }

  /** A checkpoint's envelope: `type` and `version` must match; returns its fields. */
  static envelope(value: unknown, path: string, type: string, version: number): Fields {
    const fields = Fields.of(value, path);
    if (fields.record.type !== type) throw new CheckpointFormatError(fields.at('type'), `must be '${type}'; got ${describe(fields.record.type)}`);
    if (fields.record.version !== version) {
      throw new CheckpointFormatError(fields.at('version'), `${describe(fields.record.version)} is not supported (this build reads version ${version})`);
    }
    return fields;
  }

  at(name: string): string { return this.path === '' ? name : `${this.path}.${name}`; }
  raw(name: string): unknown { return this.record[name]; }
  keys(): string[] { return Object.keys(this.record); }

  object(name: string): Fields { return Fields.of(this.record[name], this.at(name)); }
  /** An object, or null when the field is null. */
  objectOrNull(name: string): Fields | null { return this.record[name] === null ? null : this.object(name); }

  finite(name: string): number {
    const v = this.record[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new CheckpointFormatError(this.at(name), `must be a finite number; got ${describe(v)}`);
    return v;
  }

  /** A finite number, or `whenNull` (NaN or −Infinity, as the owner keeps it) when null. */
  finiteOr(name: string, whenNull: number): number {
    return this.record[name] === null ? whenNull : this.finite(name);
  }

  integer(name: string, min = 0): number {
    const v = this.record[name];
    if (!Number.isSafeInteger(v) || (v as number) < min) throw new CheckpointFormatError(this.at(name), `must be an integer >= ${min}; got ${describe(v)}`);
    return v as number;
  }

  boolean(name: string): boolean {
    const v = this.record[name];
    if (typeof v !== 'boolean') throw new CheckpointFormatError(this.at(name), `must be true or false; got ${describe(v)}`);
    return v;
  }

  string(name: string): string {
    const v = this.record[name];
    if (typeof v !== 'string') throw new CheckpointFormatError(this.at(name), `must be a string; got ${describe(v)}`);
    return v;
  }

  /** One of the given strings. */
  choice<T extends string>(name: string, choices: readonly T[]): T {
    const v = this.record[name];
    if (!choices.includes(v as T)) throw new CheckpointFormatError(this.at(name), `must be one of ${choices.join(', ')}; got ${describe(v)}`);
    return v as T;
  }

  /** An array of finite numbers (of exactly `length` when given) as a Float64Array. */
  numbers(name: string, length?: number): Float64Array {
    const v = this.record[name];
    const where = this.at(name);
    if (!Array.isArray(v)) throw new CheckpointFormatError(where, `must be an array of numbers; got ${describe(v)}`);
    if (length !== undefined && v.length !== length) throw new CheckpointFormatError(where, `must hold ${length} numbers; got ${v.length}`);
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) throw new CheckpointFormatError(`${where}[${i}]`, `must be a finite number; got ${describe(v[i])}`);
      out[i] = v[i];
    }
    return out;
  }
}

/** Runs a restore step, re-labelling its plain errors with the field they came from. */
export function within<T>(path: string, restore: () => T): T {
  try {
    return restore();
  } catch (error) {
    if (error instanceof CheckpointFormatError || error instanceof CheckpointMismatchError) throw error;
    throw new CheckpointFormatError(path, `is invalid: ${(error as Error).message}`);
  }
}

/**
 * The first path at which two plain values differ, or null when equal
 * (a missing key and an undefined one count as equal).
 */
export function firstDifference(a: unknown, b: unknown, path: string): { path: string; a: unknown; b: unknown } | null {
  if (Object.is(a, b) || (a === undefined && b === undefined)) return null;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return { path, a, b };
  const ra = a as Record<string, unknown>, rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)].filter((k) => ra[k] !== undefined || rb[k] !== undefined));
  for (const key of [...keys].sort()) {
    const found = firstDifference(ra[key], rb[key], Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/** Plain data without undefined members (msgpack would write them as nil, which reads back as null). */
export function plainCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => plainCopy(v)) as T;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) out[key] = plainCopy(v);
  return out as T;
}
