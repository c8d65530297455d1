// The sketch's coin flips: a 32-bit xorshift generator whose whole state is
// one uint32, so it is seeded, reproducible and serialized with the sketch
// (a deserialized sketch continues exactly as the original would have).

const DEFAULT_SEED = 0x9e3779b9;

/** A nonzero uint32 state from any seed (xorshift must not start at 0). */
export function seedState(seed: number | undefined): number {
  if (seed === undefined) return DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`options.seed is ${String(seed)}; it must be an integer in [0, 2^32 - 1]`);
  }
  // One round of a 32-bit mix spreads nearby seeds apart.
  let s = Math.imul(seed ^ (seed >>> 16), 0x45d9f3b) >>> 0;
  s = Math.imul(s ^ (s >>> 16), 0x45d9f3b) >>> 0;
  s = (s ^ (s >>> 16)) >>> 0;
  return s === 0 ? DEFAULT_SEED : s;
}

/** Next xorshift32 state (Marsaglia 2003, shifts 13, 17, 5); never 0 from a nonzero state. */
export function nextState(state: number): number {
  let s = state;
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  return s >>> 0;
}
