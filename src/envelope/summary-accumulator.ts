// Per-feature moments and a quantile sketch of the frames admitted since the
// last summary: what each summary message carries for each feature.
import { QuantileSketch } from '../sketch/quantile-sketch.js';
import { addValue, emptyMoments, type Moments } from './moments.js';

/**
 * k of the summaries' sketches. Up to 32 values a sketch holds them exactly
 * (as float32); beyond, its rank error is eps(32) = 0.078 (docs/sketches.md).
 * Sizes and the reasoning: docs/payload.md.
 */
export const SUMMARY_SKETCH_K = 32;

export interface FeatureSummary extends Moments {
  /** The feature's QuantileSketch (k = SUMMARY_SKETCH_K), in its own serialized form (docs/sketches.md). */
  sketch: Uint8Array;
}

export type FeatureSummaries = Record<string, FeatureSummary>;

export interface SummaryAccumulatorOptions {
  features: readonly string[];
  /** Sketch k; default SUMMARY_SKETCH_K. Summaries merge only with summaries of the same k. */
  k?: number;
}

interface Slot { moments: Moments; sketch: QuantileSketch }

export class SummaryAccumulator {
  readonly features: readonly string[];
  readonly k: number;
  private slots = new Map<string, Slot>();

  constructor(options: SummaryAccumulatorOptions) {
    if (options === null || typeof options !== 'object' || !Array.isArray(options.features)) {
      throw new TypeError('SummaryAccumulator needs options { features: string[] }');
    }
    options.features.forEach((name, i) => {
      if (typeof name !== 'string' || name.length === 0) throw new TypeError(`options.features[${i}] must be a non-empty string`);
    });
    if (new Set(options.features).size !== options.features.length) throw new RangeError('options.features must not repeat a name');
    this.features = [...options.features];
    this.k = options.k ?? SUMMARY_SKETCH_K;
    new QuantileSketch({ k: this.k }); // validates k
    this.reset();
  }

  /** One admitted frame; a feature missing from it, or not finite (or beyond float32), is skipped for that feature. */
  add(features: Readonly<Record<string, number>>): void {
    if (features === null || typeof features !== 'object') throw new TypeError('add needs a { feature: number } map');
    for (const [name, slot] of this.slots) {
      const x = Object.prototype.hasOwnProperty.call(features, name) ? features[name] : undefined;
      if (typeof x !== 'number' || !Number.isFinite(x) || !Number.isFinite(Math.fround(x))) continue;
      addValue(slot.moments, x);
      slot.sketch.update(x);
    }
  }

  /** The summaries since the last take (n = 0, min/max NaN for a feature with no values), then starts over. */
  take(): FeatureSummaries {
    const out: FeatureSummaries = {};
    for (const [name, { moments, sketch }] of this.slots) out[name] = { ...moments, sketch: sketch.serialize() };
    this.reset();
    return out;
  }

  private reset(): void {
    // A fixed seed per summary keeps the bytes reproducible; merges stay within eps whatever the seeds.
    for (const name of this.features) this.slots.set(name, { moments: emptyMoments(), sketch: new QuantileSketch({ k: this.k }) });
  }
}
