// Seeded summaries for the payload tests: per-camera feature streams cut into
// check intervals, each interval a summary envelope, the raw values kept.
import { SCALAR_FEATURE_NAMES, PREDICTION_FEATURE_NAMES } from '../../src/catalogue.js';
import type { Envelope } from '../../src/envelope/envelope.js';
import { SummaryAccumulator, buildSummaryBody, type SummaryBody } from '../../src/envelope/summary.js';
import type { FeatureTest } from '../../src/policy/feature-test.js';
import { uniforms } from './sketch-data.js';

export const FULL_CATALOGUE: readonly string[] = [...SCALAR_FEATURE_NAMES, ...PREDICTION_FEATURE_NAMES];

export interface CameraStream {
  dev: string; cam: string; model: string | null; site: string | null;
  /** Per feature: normal(center, spread) values, float32-rounded. */
  features: Record<string, { center: number; spread: number }>;
}

export interface Summaries { envelopes: Envelope<SummaryBody>[]; raw: Record<string, number[]> }

/** `count` summaries of `frames` frames each for one camera, with seq firstSeq, firstSeq + 1, … in bdSeq 1. */
export function summariesOf(stream: CameraStream, count: number, frames: number, seed: number, firstSeq = 0): Summaries {
  const next = uniforms(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const names = Object.keys(stream.features);
  const acc = new SummaryAccumulator({ features: names });
  const raw: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const envelopes: Envelope<SummaryBody>[] = [];
  for (let s = 0; s < count; s++) {
    for (let f = 0; f < frames; f++) {
      const frame: Record<string, number> = {};
      for (const name of names) {
        const { center, spread } = stream.features[name];
        frame[name] = Math.fround(center + spread * gaussian());
        raw[name].push(frame[name]);
      }
      acc.add(frame);
    }
    const body = buildSummaryBody({
      camera: stream.cam, site: stream.site, model: stream.model, baseline: null,
      frames: { from: s * frames, to: (s + 1) * frames - 1, count: frames }, window: { size: 300 }, features: acc.take(),
      alert: { state: 'ok', id: null },
    });
    envelopes.push({ v: 1, dev: stream.dev, cam: stream.cam, bdSeq: 1, seq: firstSeq + s, ts: 1764547200000 + s * 1000, kind: 'summary', hist: false, body });
  }
  return { envelopes, raw };
}

/** A check's test for every feature plus the two histograms and the class mix: the most a summary carries. */
export function fullTests(): FeatureTest[] {
  return [...FULL_CATALOGUE, 'luma', 'hue', 'predicted_class'].map((feature, i) => ({
    feature, kind: feature === 'luma' || feature === 'hue' ? 'histogram' : feature === 'predicted_class' ? 'categorical' : 'continuous',
    statistic: 0.1 + i / 97, pvalue: 0.5 / (i + 1.3), adjustedPvalue: 0.9 / (i + 1.7), effectiveSize: 48, effect: -0.3 - i / 89,
    relativeChange: 0.01 * i, direction: i % 2 ? 'up' : 'down', windowMedian: 1, baselineMedian: 2, significant: i % 5 === 0,
  }));
}
