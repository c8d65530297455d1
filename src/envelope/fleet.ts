// What a collector keeps: summaries merged per camera (dev/cam), per model and
// per site, each feature as Chan-merged moments and a quantile sketch.
import { QuantileSketch } from '../sketch/quantile-sketch.js';
import { normalizedRankError } from '../sketch/error-bound.js';
import type { Envelope } from './envelope.js';
import { emptyMoments, mergeMoments, type Moments } from './moments.js';
import { SeenMessages } from './seen-messages.js';
import type { SummaryBody } from './summary-body.js';

export type FleetLevel = 'camera' | 'model' | 'site';
export const FLEET_LEVELS: readonly FleetLevel[] = ['camera', 'model', 'site'];
/** k of the merged sketches; eps(200) = 0.0141 (docs/sketches.md). */
export const FLEET_SKETCH_K = 200;
/** Most values of one summary sketch replayed into a fleet sketch (a sketch with k = FLEET_SKETCH_K merges directly). */
export const MAX_REPLAY = 1_000_000;
/** Group key for a summary without a model or a site. */
export const UNKNOWN_KEY = '(unknown)';

export interface FleetFeatureJSON {
  n: number;
  mean: number | null;
  /** Population standard deviation, sqrt(m2 / n). */
  std: number | null;
  min: number | null;
  max: number | null;
  quantiles: { p05: number; p25: number; p50: number; p75: number; p95: number } | null;
}

export interface FleetGroupJSON { summaries: number; features: Record<string, FleetFeatureJSON> }

interface FeatureState { moments: Moments; sketch: QuantileSketch; summaryEpsilon: number }
interface Group { summaries: number; features: Map<string, FeatureState> }

export class FleetView {
  private seen = new SeenMessages();
  private levels: Record<FleetLevel, Map<string, Group>> = { camera: new Map(), model: new Map(), site: new Map() };

  /** Merges one summary; false (and nothing changes) when (dev, bdSeq, seq) was seen before. */
  add(envelope: Envelope<SummaryBody>): boolean {
    if (envelope === null || typeof envelope !== 'object' || envelope.kind !== 'summary') throw new TypeError('FleetView.add needs a decoded summary envelope');
    const body = envelope.body;
    // Decode every sketch before touching any state, so corrupt bytes change nothing.
    const parts = Object.entries(body.features).filter(([, f]) => f.n > 0)
      .map(([name, f]) => ({ name, f, sketch: QuantileSketch.deserialize(f.sketch) }));
    for (const { name, sketch } of parts) {
      if (sketch.k !== FLEET_SKETCH_K && sketch.n > MAX_REPLAY) {
        throw new RangeError(`summary feature ${name} has n = ${sketch.n}; a sketch with k = ${sketch.k} is replayed value by value, at most ${MAX_REPLAY}`);
      }
    }
    if (!this.seen.take(envelope.dev, envelope.bdSeq, envelope.seq)) return false;
    const keys: Record<FleetLevel, string> = { camera: `${envelope.dev}/${body.camera}`, model: body.model ?? UNKNOWN_KEY, site: body.site ?? UNKNOWN_KEY };
    for (const level of FLEET_LEVELS) {
      const groups = this.levels[level];
      let group = groups.get(keys[level]);
      if (!group) groups.set(keys[level], group = { summaries: 0, features: new Map() });
      group.summaries++;
      for (const { name, f, sketch } of parts) {
        let state = group.features.get(name);
        if (!state) group.features.set(name, state = { moments: emptyMoments(), sketch: new QuantileSketch({ k: FLEET_SKETCH_K }), summaryEpsilon: 0 });
        mergeMoments(state.moments, { n: f.n, mean: f.mean, m2: f.m2, min: f.min!, max: f.max! });
        replay(sketch, state.sketch);
        // A summary sketch holding every value (weights all 1) adds no error; a compacted one its eps.
        if (sketch.retained !== sketch.n) state.summaryEpsilon = Math.max(state.summaryEpsilon, sketch.normalizedRankError);
      }
    }
    return true;
  }

  /** Group keys at a level: `dev/cam`, model version or site. */
  keys(level: FleetLevel): string[] { return [...this.map(level).keys()]; }

  groups(level: FleetLevel): Record<string, FleetGroupJSON> {
    const out: Record<string, FleetGroupJSON> = {};
    for (const [key, group] of this.map(level)) {
      const features: Record<string, FleetFeatureJSON> = {};
      for (const [name, state] of group.features) features[name] = featureJSON(state);
      out[key] = { summaries: group.summaries, features };
    }
    return out;
  }

  toJSON(): Record<FleetLevel, Record<string, FleetGroupJSON>> {
    return { camera: this.groups('camera'), model: this.groups('model'), site: this.groups('site') };
  }

  /** The merged sketch (a copy) of one feature in one group, e.g. for ksSketches. */
  sketch(level: FleetLevel, key: string, feature: string): QuantileSketch {
    return QuantileSketch.deserialize(this.state(level, key, feature).sketch.serialize());
  }

  /**
   * The rank-error bound of sketch(level, key, feature) against the pooled raw values:
   * eps(FLEET_SKETCH_K) plus the largest eps of a compacted summary sketch merged into it
   * (0 while every summary held its values exactly). Use it, not the sketch's own
   * normalizedRankError, as that side's error in a KS comparison.
   */
  errorBound(level: FleetLevel, key: string, feature: string): number {
    return normalizedRankError(FLEET_SKETCH_K) + this.state(level, key, feature).summaryEpsilon;
  }

  /** Chan-merged moments of one feature in one group (a copy). */
  moments(level: FleetLevel, key: string, feature: string): Moments {
    return { ...this.state(level, key, feature).moments };
  }

  private map(level: FleetLevel): Map<string, Group> {
    const groups = this.levels[level];
    if (!groups) throw new RangeError(`level ${JSON.stringify(level)} is not one of ${FLEET_LEVELS.join(', ')}`);
    return groups;
  }

  private state(level: FleetLevel, key: string, feature: string): FeatureState {
    const state = this.map(level).get(key)?.features.get(feature);
    if (!state) throw new RangeError(`no ${level} group ${JSON.stringify(key)} with feature ${JSON.stringify(feature)}`);
    return state;
  }
}

/** Adds a summary sketch's values to a sketch of another k: each retained item as often as its weight. */
function replay(from: QuantileSketch, into: QuantileSketch): void {
  if (from.k === into.k) { into.merge(from); return; }
  const { values, weights } = from.weightedItems();
  for (let i = 0; i < values.length; i++) for (let w = 0; w < weights[i]; w++) into.update(values[i]);
}

function featureJSON({ moments: m, sketch }: FeatureState): FleetFeatureJSON {
  if (m.n === 0) return { n: 0, mean: null, std: null, min: null, max: null, quantiles: null };
  const q = (p: number) => sketch.quantile(p);
  return {
    n: m.n, mean: m.mean, std: Math.sqrt(m.m2 / m.n), min: m.min, max: m.max,
    quantiles: { p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) },
  };
}
