// Input checks shared by the statistics: every failure names the argument.

export type Sample = ArrayLike<number>;

function isArrayLikeOfNumbers(value: unknown): value is Sample {
  if (Array.isArray(value)) return true;
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array)
    && !(value instanceof BigUint64Array);
}

/** A non-empty sample of finite numbers as a Float64Array (the input itself when it is one; never modified). */
export function finiteSample(name: string, value: unknown): Float64Array {
  if (!isArrayLikeOfNumbers(value)) {
    throw new TypeError(`${name} must be an array or typed array of numbers`);
  }
  const n = value.length;
  if (n === 0) throw new RangeError(`${name} is empty; a sample needs at least one value`);
  if (value instanceof Float64Array) {
    // Fast path for the common case: no copy, one tight check (x - x is 0 only for finite x).
    for (let i = 0; i < n; i++) {
      const x = value[i];
      if (x - x !== 0) throw new RangeError(`${name}[${i}] is ${String(x)}; every value must be a finite number`);
    }
    return value;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = value[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new RangeError(`${name}[${i}] is ${String(x)}; every value must be a finite number`);
    }
    out[i] = x;
  }
  return out;
}

/** Non-negative finite counts or weights with a positive total. */
export function nonNegativeWeights(name: string, value: unknown, expectedLength?: number): Float64Array {
  if (!isArrayLikeOfNumbers(value)) {
    throw new TypeError(`${name} must be an array or typed array of numbers`);
  }
  if (value.length === 0) throw new RangeError(`${name} is empty`);
  if (expectedLength !== undefined && value.length !== expectedLength) {
    throw new RangeError(`${name} has ${value.length} entries; expected ${expectedLength} to match`);
  }
  const out = new Float64Array(value.length);
  let total = 0;
  for (let i = 0; i < value.length; i++) {
    const x = value[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
      throw new RangeError(`${name}[${i}] is ${String(x)}; every entry must be a finite number >= 0`);
    }
    out[i] = x;
    total += x;
  }
  if (!(total > 0)) throw new RangeError(`${name} sums to 0; at least one entry must be positive`);
  return out;
}

/** Probabilities in [0, 1]. */
export function probabilities(name: string, value: unknown): Float64Array {
  if (!isArrayLikeOfNumbers(value)) {
    throw new TypeError(`${name} must be an array or typed array of numbers`);
  }
  if (value.length === 0) throw new RangeError(`${name} is empty`);
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const x = value[i];
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) {
      throw new RangeError(`${name}[${i}] is ${String(x)}; every p-value must lie in [0, 1]`);
    }
    out[i] = x;
  }
  return out;
}

export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new RangeError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${String(value)}`);
}
