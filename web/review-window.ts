// The page's view of "the current window": each scalar feature's latest
// values and the summed histograms of the latest frames, for the ECDF and
// histogram views. The drift decisions are the DriftMonitor's; this only draws.
import type { Baseline } from '../src/baseline/baseline.js';
import type { EcdfSeries, Snapshot } from './messages.js';

const HISTOGRAMS = ['luma', 'hue'] as const;
type HistogramName = typeof HISTOGRAMS[number];

export class ReviewWindow {
  private readonly values = new Map<string, number[]>();
  private readonly histogramRing: Array<Record<HistogramName, ArrayLike<number>>> = [];

  constructor(readonly size: number) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`window size must be an integer >= 1, got ${String(size)}`);
  }

  add(features: Readonly<Record<string, number>>, histograms: Record<HistogramName, ArrayLike<number>>): void {
    for (const [name, value] of Object.entries(features)) {
      let list = this.values.get(name);
      if (!list) this.values.set(name, list = []);
      list.push(value);
      if (list.length > this.size) list.shift();
    }
    this.histogramRing.push(histograms);
    if (this.histogramRing.length > this.size) this.histogramRing.shift();
  }

  snapshot(frame: number, baseline: Baseline | null): Snapshot {
    const ecdf: EcdfSeries[] = [];
    for (const [feature, list] of this.values) {
      const sorted = Float64Array.from(list).sort();
      const reference = baseline ? (baseline.features as Record<string, { sketch: { quantile(q: number): number; cdf(points: ArrayLike<number>): Float64Array } } | undefined>)[feature] : undefined;
      const points = new Set<number>(sorted);
      if (reference) for (let q = 0; q <= 100; q++) points.add(reference.sketch.quantile(q / 100));
      const x = Float64Array.from(points).sort();
      const window = new Array<number>(x.length);
      let below = 0;
      for (let i = 0; i < x.length; i++) {
        while (below < sorted.length && sorted[below] <= x[i]) below++;
        window[i] = below / sorted.length;
      }
      ecdf.push({ feature, x: Array.from(x), window, baseline: reference ? Array.from(reference.sketch.cdf(x)) : null });
    }
    const histograms = {} as Snapshot['histograms'];
    for (const name of HISTOGRAMS) {
      const bins = this.histogramRing[0]?.[name].length ?? 0;
      const sum = new Array<number>(bins).fill(0);
      for (const frameHistograms of this.histogramRing) {
        const h = frameHistograms[name];
        for (let i = 0; i < bins; i++) sum[i] += h[i];
      }
      const reference = baseline?.histograms[name] ?? null;
      histograms[name] = { window: normalise(sum), baseline: reference ? normalise(reference) : null };
    }
    return { type: 'snapshot', frame, ecdf, histograms };
  }
}

function normalise(counts: readonly number[]): number[] {
  let total = 0;
  for (const c of counts) total += c;
  return counts.map((c) => (total > 0 ? c / total : 0));
}
