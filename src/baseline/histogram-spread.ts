// How far a stable camera's histograms stray from their own reference over one
// check interval. The monitor compares each check interval's summed
// histograms with the baseline's by Jensen–Shannon distance; on a stable
// camera that distance is not near 0: exposure wander shifts the whole luma
// histogram by a few levels (measured: 7 of 240 25-frame blocks of a stable
// 640×480 reference at ≥ 0.1 from the stretch's own total). A baseline built
// from a time-ordered stretch stores the largest such distance, so the
// monitor can set its histogram gate above what the camera does when nothing
// is wrong (docs/policy.md).
import { HISTOGRAM_FEATURES, type HistogramName } from '../catalogue.js';
import { jensenShannon } from '../stats/divergence.js';

/** Per histogram, the largest distance of a block of `frames` consecutive frames from the stretch's total. */
export interface HistogramDistanceSpread {
  /** Frames per block: the monitor's check interval at its default. */
  frames: number;
  max: Partial<Record<HistogramName, number>>;
}

/** Sums histograms over blocks of `frames` consecutive frames; a last, partial block is left out. */
export class HistogramBlocks {
  private readonly blocks = new Map<HistogramName, Float64Array[]>();
  private readonly current = new Map<HistogramName, Float64Array>();
  private inBlock = 0;

  constructor(readonly frames: number) {
    if (!Number.isSafeInteger(frames) || frames < 1) throw new RangeError(`block frames must be an integer >= 1; got ${String(frames)}`);
    for (const { name, bins } of HISTOGRAM_FEATURES) {
      this.blocks.set(name, []);
      this.current.set(name, new Float64Array(bins));
    }
  }

  /** Adds one frame's histograms (already checked by the caller: every histogram, with its bins). */
  add(histograms: Readonly<Record<HistogramName, ArrayLike<number>>>): void {
    for (const [name, sum] of this.current) {
      const counts = histograms[name];
      for (let i = 0; i < sum.length; i++) sum[i] += counts[i];
    }
    if (++this.inBlock < this.frames) return;
    for (const [name, sum] of this.current) {
      this.blocks.get(name)!.push(sum.slice());
      sum.fill(0);
    }
    this.inBlock = 0;
  }

  /** The spread against the stretch's totals; a histogram with no complete block, or an empty total, is left out. */
  spread(totals: Readonly<Record<HistogramName, ArrayLike<number>>>): HistogramDistanceSpread {
    const max: Partial<Record<HistogramName, number>> = {};
    for (const [name, blocks] of this.blocks) {
      const total = totals[name];
      if (blocks.length === 0 || !hasCounts(total)) continue;
      let largest = 0;
      // An empty block (a gray scene has no hue) says nothing about the spread.
      for (const block of blocks) if (hasCounts(block)) largest = Math.max(largest, jensenShannon(block, total).distance);
      max[name] = largest;
    }
    return { frames: this.frames, max };
  }
}

function hasCounts(counts: ArrayLike<number>): boolean {
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) return true;
  return false;
}

/** Checks a decoded spread; returns a message naming the bad field, or null. */
export function histogramSpreadProblem(value: unknown, at: string): string | null {
  const spread = value as Partial<HistogramDistanceSpread> | null;
  if (!spread || typeof spread !== 'object') return `${at} must be a map { frames, max }`;
  if (!Number.isSafeInteger(spread.frames) || spread.frames! < 1) return `${at}.frames must be an integer >= 1`;
  if (!spread.max || typeof spread.max !== 'object') return `${at}.max must be a map of histogram → distance`;
  const known = new Set<string>(HISTOGRAM_FEATURES.map((h) => h.name));
  for (const [name, distance] of Object.entries(spread.max)) {
    if (!known.has(name)) return `${at}.max.${name} is not a histogram of the catalogue`;
    if (typeof distance !== 'number' || !(distance >= 0 && distance <= 1)) return `${at}.max.${name} must be a distance in [0, 1]`;
  }
  return null;
}
