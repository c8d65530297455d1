// Catalogue v1 features of every frame of a camera stream, with the SIMD
// kernels: frame-major, one row of SCALAR_FEATURE_NAMES.length values per frame.
import { SCALAR_FEATURE_NAMES, type Kernels } from '../src/index.js';
import { streamFrames, type StreamSpec } from './camera-stream.js';

export const FEATURE_NAMES: readonly string[] = SCALAR_FEATURE_NAMES;
export const FEATURE_COUNT = FEATURE_NAMES.length;

export async function computeFeatures(
  spec: StreamSpec, kernels: Kernels, onFrame?: (done: number) => void,
): Promise<Float64Array> {
  const values = new Float64Array(spec.frames * FEATURE_COUNT);
  const options = { width: spec.width, height: spec.height, format: 'rgb' as const };
  for await (const frame of streamFrames(spec)) {
    const { features } = kernels.frameStats(frame.rgb, options);
    const row = frame.index * FEATURE_COUNT;
    for (let k = 0; k < FEATURE_COUNT; k++) values[row + k] = features[FEATURE_NAMES[k] as keyof typeof features];
    onFrame?.(frame.index + 1);
  }
  return values;
}

/** One frame's features as the record a policy receives. */
export function featureRecord(values: Float64Array, frame: number): Record<string, number> {
  const record: Record<string, number> = {};
  const row = frame * FEATURE_COUNT;
  for (let k = 0; k < FEATURE_COUNT; k++) record[FEATURE_NAMES[k]] = values[row + k];
  return record;
}

/** The time series of one feature. */
export function featureColumn(values: Float64Array, name: string, from = 0, to = values.length / FEATURE_COUNT): Float64Array {
  const k = FEATURE_NAMES.indexOf(name);
  if (k < 0) throw new RangeError(`unknown feature ${name}`);
  const column = new Float64Array(Math.max(0, to - from));
  for (let t = from; t < to; t++) column[t - from] = values[t * FEATURE_COUNT + k];
  return column;
}
