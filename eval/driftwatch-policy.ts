// The real detection policy in the scenario harness: a DriftMonitor built
// from the reference stretch — a Baseline of its frames (histograms
// zero-filled: the harness has scalar features only) and each feature's
// autocorrelation time measured on it.
import {
  autocorrelationTimes, BaselineBuilder, BASELINE_FORMAT_VERSION, DriftMonitor, HISTOGRAM_FEATURES,
  type Baseline, type DriftMonitorOptions, type ScalarFeatureName,
} from '../src/index.js';
import type { AlertTransition, EvalFrame, EvalPolicy, EvalPolicyFactory, EvalReference } from './policy.js';

export type DriftwatchPolicyOptions = Omit<DriftMonitorOptions, 'camera' | 'baseline' | 'autocorrelationTime'>;

const EMPTY_HISTOGRAMS = Object.fromEntries(HISTOGRAM_FEATURES.map(({ name, bins }) => [name, new Float64Array(bins)]));

/** The reference stretch as a Baseline, in memory (no file, so no digest: 'eval'). */
export function referenceBaseline(reference: EvalReference): Baseline {
  const builder = new BaselineBuilder();
  const features = {} as Record<ScalarFeatureName, number>;
  for (let i = 0; i < reference.frames; i++) {
    for (const name of reference.featureNames) features[name as ScalarFeatureName] = reference.series[name][i];
    builder.addFrame({ features, histograms: EMPTY_HISTOGRAMS as never });
  }
  const content = builder.build({ source: `eval reference-${reference.camera}`, createdAt: 0, model: null });
  return { ...content, header: { ...content.header, formatVersion: BASELINE_FORMAT_VERSION, digest: `eval:reference-${reference.camera}` } };
}

export class DriftwatchPolicy implements EvalPolicy {
  readonly name = 'driftwatch';
  private readonly monitor: DriftMonitor;

  constructor(baseline: Baseline, taus: Record<string, number>, camera: string, options: DriftwatchPolicyOptions = {}) {
    this.monitor = new DriftMonitor({ ...options, camera, baseline, autocorrelationTime: taus });
  }

  update(frame: EvalFrame): AlertTransition[] {
    return this.monitor.update(frame)
      .filter((e) => e.state !== 'ok')
      .map((e) => ({ state: e.state as AlertTransition['state'], frame: e.frame, cause: e.cause }));
  }
}

/** The harness creates a policy per stream: the baseline and τ are built once per reference. */
export function driftwatchFactory(options: DriftwatchPolicyOptions = {}): EvalPolicyFactory {
  const prepared = new WeakMap<EvalReference, { baseline: Baseline; taus: Record<string, number> }>();
  return {
    name: 'driftwatch',
    create(reference) {
      let ready = prepared.get(reference);
      if (!ready) prepared.set(reference, ready = { baseline: referenceBaseline(reference), taus: autocorrelationTimes(reference.series) });
      return new DriftwatchPolicy(ready.baseline, ready.taus, reference.camera, options);
    },
  };
}

export const driftwatchPolicy = driftwatchFactory();
