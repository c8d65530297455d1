// Run as a child process with --expose-gc by bench/camera-state-bench.ts: the
// live heap held by one camera's whole streaming state, measured over four
// cameras and divided by four. A camera's state here: its windows (catalogue
// v1's 21 features, the default 600-frame sliding windows, filled), one
// quantile sketch per feature after 1e6 updates, and the predicted-class
// counts (64 classes). The baseline is shared and read-only; its size is
// reported separately. Prints JSON.
import { CameraWindows, QuantileSketch, CategoricalCounts, SCALAR_FEATURE_NAMES, type ScalarFeatureName } from '../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const CAMERAS = 4;
const UPDATES = 1_000_000;

function live(): number {
  gc!(); gc!();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

let state = 12345;
function uniform(): number {
  state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
  return state / 4294967296;
}

function camera(seed: number) {
  const windows = new CameraWindows();
  const record = {} as Record<ScalarFeatureName, number>;
  for (let frame = 0; frame < 2000; frame++) {
    for (const name of SCALAR_FEATURE_NAMES) record[name] = uniform() * 100;
    windows.update(record, frame * 100);
  }
  const sketches = SCALAR_FEATURE_NAMES.map((_, i) => new QuantileSketch({ seed: seed * 100 + i }));
  for (const sketch of sketches) for (let i = 0; i < UPDATES; i++) sketch.update(uniform());
  for (const sketch of sketches) sketch.quantile(0.5); // the cached sorted view counts too
  const classes = new CategoricalCounts();
  for (let c = 0; c < 64; c++) classes.add(`class-${c}`, 1 + c);
  return { windows, sketches, classes };
}

camera(0); // compiled code and type feedback exist before the measurement
const before = live();
const cameras = Array.from({ length: CAMERAS }, (_, i) => camera(i + 1));
const perCamera = (live() - before) / CAMERAS;
process.stdout.write(JSON.stringify({ cameras: cameras.length, perCameraBytes: Math.round(perCamera) }) + '\n');
