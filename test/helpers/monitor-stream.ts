// A seeded camera for monitor tests: 21 features wandering as AR(1)
// processes (phi 0.9, unit sd) around distinct levels, with a luma histogram
// that follows luma_mean's shift, and a baseline built from 3,000 stable frames.
import { BaselineBuilder } from '../../src/baseline/baseline-builder.js';
import { decodeBaseline, encodeBaseline } from '../../src/baseline/baseline-codec.js';
import type { Baseline } from '../../src/baseline/baseline.js';
import { SCALAR_FEATURE_NAMES, type ScalarFeatureName } from '../../src/catalogue.js';
import { autocorrelationTimes } from '../../src/policy/autocorrelation-time.js';
import type { MonitorFrame } from '../../src/policy/drift-monitor.js';

export type Shift = Partial<Record<ScalarFeatureName, number>>;

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 0.5) / 4294967296; };
}

/** Frames of one seeded stream; `shiftAt(i)` moves features of frame i. */
export function monitorFrames(seed: number, count: number, shiftAt: (i: number) => Shift = () => ({}), msPerFrame = 100): MonitorFrame[] {
  const uniform = xorshift(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const state = SCALAR_FEATURE_NAMES.map(() => gaussian());
  const frames: MonitorFrame[] = [];
  for (let index = 0; index < count; index++) {
    const shift = shiftAt(index);
    const features = {} as Record<ScalarFeatureName, number>;
    SCALAR_FEATURE_NAMES.forEach((name, i) => {
      state[i] = 0.9 * state[i] + Math.sqrt(1 - 0.81) * gaussian();
      const constant = name === 'width' || name === 'height' || name === 'aspect_ratio';
      features[name] = constant ? 320 : 100 + 10 * i + state[i] + (shift[name] ?? 0);
    });
    const centre = 128 + 10 * (shift.luma_mean ?? 0);
    const luma = Array.from({ length: 256 }, (_, b) => Math.round(1000 * Math.exp(-(((b - centre) / 20) ** 2)) + 5 * uniform()));
    const hue = Array.from({ length: 36 }, () => Math.round(50 + 5 * uniform()));
    frames.push({ index, timeMs: index * msPerFrame, features, histograms: { luma, hue } });
  }
  return frames;
}

/** A decoded baseline (with its digest) from 3,000 stable frames of seed 7, and their τ per feature. */
export async function stableBaseline(): Promise<{ baseline: Baseline; taus: Record<string, number> }> {
  const builder = new BaselineBuilder();
  const series: Record<string, number[]> = Object.fromEntries(SCALAR_FEATURE_NAMES.map((n) => [n, []]));
  for (const frame of monitorFrames(7, 3000)) {
    builder.addFrame({ features: frame.features as Record<ScalarFeatureName, number>, histograms: frame.histograms as { luma: number[]; hue: number[] } });
    for (const n of SCALAR_FEATURE_NAMES) series[n].push(frame.features[n]);
  }
  const encoded = await encodeBaseline(builder.build({ source: 'test', createdAt: 0, model: null }));
  return { baseline: await decodeBaseline(encoded.bytes), taus: autocorrelationTimes(series) };
}
