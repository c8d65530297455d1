// Run as a child process with --expose-gc by the sketch benchmark: the live
// heap (JS heap + typed-array bytes) held by one camera's 21 default sketches
// (catalogue v1's scalar features) after 1e6 updates each. Prints JSON.
import { QuantileSketch, SCALAR_FEATURE_NAMES } from '../src/index.js';
import { stream } from '../test/helpers/sketch-data.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function live(): number {
  gc!(); gc!();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

const values = stream('normal', 1e6, 4);
// A throwaway sketch first, so that compiled code and type feedback (also on
// the heap) exist before the measurement starts.
const warm = new QuantileSketch();
for (let i = 0; i < values.length; i++) warm.update(values[i]);
warm.quantile(0.5);
const before = live();
const sketches = SCALAR_FEATURE_NAMES.map((_, seed) => new QuantileSketch({ seed }));
for (const sketch of sketches) for (let i = 0; i < values.length; i++) sketch.update(values[i]);
const idle = live() - before;
for (const sketch of sketches) sketch.quantile(0.5); // builds and caches each sorted view
const queried = live() - before;
// Using values and sketches after the last measurement keeps them alive until
// then: otherwise the GC may free them (dead variables) inside the measurement.
const n = sketches.reduce((sum, sketch) => sum + sketch.n, 0) / values.length;
process.stdout.write(JSON.stringify({ sketches: n, idle, queried }) + '\n');
