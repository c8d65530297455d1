// Seeded streams and a driver for the sequential detector tests.
import { SeededRandom } from './ar1-stream.js';
import type { DriftDetector, DriftDirection } from '../../src/detectors/detector.js';

/** N(0, 1) values, plus `shift` from index changeAt on. */
export function stepStream(seed: number, n: number, changeAt: number, shift: number): Float64Array {
  const random = new SeededRandom(seed);
  return Float64Array.from({ length: n }, (_, i) => random.normal() + (i >= changeAt ? shift : 0));
}

/** N(0, 1) values plus a mean that grows by `slope` per value from index start on. */
export function rampStream(seed: number, n: number, start: number, slope: number): Float64Array {
  const random = new SeededRandom(seed);
  return Float64Array.from({ length: n }, (_, i) => random.normal() + Math.max(0, i - start + 1) * slope);
}

export interface Detection { index: number; direction: DriftDirection | null }

/** Feeds every value and lists the indices (and sides) at which drift was detected. */
export function detections(detector: DriftDetector, values: ArrayLike<number>): Detection[] {
  const found: Detection[] = [];
  for (let i = 0; i < values.length; i++) {
    if (detector.update(values[i]).driftDetected) found.push({ index: i, direction: detector.direction });
  }
  return found;
}
