// Sensor noise needs ~230,000 Gaussian draws per 320×240 RGB frame; Box–Muller
// at that rate would cost more than the rest of the frame. One seeded table of
// 2^20 standard normals is drawn once, and each frame reads it from its own
// random offset, so frames get independent-looking noise at one load per value.
import { Prng } from './prng.js';

export const NOISE_TABLE_BITS = 20;
export const NOISE_TABLE_MASK = (1 << NOISE_TABLE_BITS) - 1;
const NOISE_TABLE_SEED = 0x5eed;

let table: Float32Array | undefined;

/** The shared table of 2^20 standard normal values (built on first use, always the same values). */
export function gaussianTable(): Float32Array {
  if (!table) {
    const random = new Prng(NOISE_TABLE_SEED);
    table = new Float32Array(1 << NOISE_TABLE_BITS);
    for (let i = 0; i < table.length; i++) table[i] = random.normal();
  }
  return table;
}
