// KLL level capacities: the top level holds k items and each level below it
// two thirds of the one above, never fewer than MIN_LEVEL_WIDTH. Computed in
// exact integer arithmetic so every engine picks the same capacities (and
// hence compacts at the same moments and serializes the same bytes).

export const MIN_K = 8;
export const MAX_K = 65535;
export const MIN_LEVEL_WIDTH = 8;

/** ceil(k * (2/3)^depth), with depth the distance below the top level. */
function decayedCapacity(k: number, depth: number): number {
  if (depth > 30) return 0; // (2/3)^31 * 65535 < 1
  const numerator = k * 2 ** depth; // < 2^47: exact
  const denominator = 3 ** depth; // < 2^48: exact
  const remainder = numerator % denominator; // exact for integers
  return (numerator - remainder) / denominator + (remainder === 0 ? 0 : 1);
}

export function levelCapacity(k: number, numLevels: number, level: number): number {
  return Math.max(MIN_LEVEL_WIDTH, decayedCapacity(k, numLevels - 1 - level));
}

export function totalCapacity(k: number, numLevels: number): number {
  let total = 0;
  for (let level = 0; level < numLevels; level++) total += levelCapacity(k, numLevels, level);
  return total;
}

export function checkK(k: unknown): number {
  if (k === undefined) return 200;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < MIN_K || k > MAX_K) {
    throw new RangeError(`options.k is ${String(k)}; it must be an integer in [${MIN_K}, ${MAX_K}] (default 200)`);
  }
  return k;
}
