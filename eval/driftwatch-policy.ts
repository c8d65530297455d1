// The real detection policy in the scenario harness: a DriftMonitor built
// from the reference stretch — a Baseline of its frames (histograms
// zero-filled: the harness has scalar features only) and each feature's
// autocorrelation time measured on it.
import {
  autocorrelationTimes, BaselineBuilder, BASELINE_FORMAT_VERSION, calibrateSequential, DriftMonitor, DRIFT_MONITOR_DEFAULTS, HISTOGRAM_FEATURES,
  type Baseline, type CalibrationResult, type DriftMonitorOptions, type ScalarFeatureName,
} from '../src/index.js';
import type { AlertTransition, EvalFrame, EvalPolicy, EvalPolicyFactory, EvalReference } from './policy.js';

export type DriftwatchPolicyOptions = Omit<DriftMonitorOptions, 'camera' | 'baseline' | 'autocorrelationTime' | 'calibration'>;

/** Calibrate the CUSUM threshold on the reference to this many false alerts per camera per 30 days. */
export interface DriftwatchFactoryOptions {
  name?: string;
  monitor?: DriftwatchPolicyOptions;
  falseAlertsPer30Days?: number;
}

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
  private readonly monitor: DriftMonitor;

  constructor(baseline: Baseline, taus: Record<string, number>, camera: string, options: DriftwatchPolicyOptions = {}, calibration?: CalibrationResult, readonly name = 'driftwatch') {
    this.monitor = new DriftMonitor({ ...options, camera, baseline, autocorrelationTime: taus, calibration });
  }

  update(frame: EvalFrame): AlertTransition[] {
    return this.monitor.update(frame)
      .filter((e) => e.state !== 'ok')
      .map((e) => ({ state: e.state as AlertTransition['state'], frame: e.frame, cause: e.cause, ...(e.causeRevised ? { causeRevised: true } : {}) }));
  }
}

/** The harness creates a policy per stream: the baseline, τ (and the calibration) are built once per reference. */
export function driftwatchFactory(options: DriftwatchFactoryOptions = {}): EvalPolicyFactory {
  type Prepared = { baseline: Baseline; taus: Record<string, number>; calibration?: CalibrationResult };
  const prepared = new WeakMap<EvalReference, Prepared>();
  const name = options.name ?? 'driftwatch';
  const safety = options.monitor?.tauSafety ?? DRIFT_MONITOR_DEFAULTS.tauSafety;
  function prepare(reference: EvalReference): Prepared {
    const taus = autocorrelationTimes(reference.series);
    const ready: Prepared = { baseline: referenceBaseline(reference), taus };
    if (options.falseAlertsPer30Days !== undefined) {
      const used = Object.fromEntries(Object.entries(taus).map(([f, tau]) => [f, tau * safety]));
      ready.calibration = calibrateSequential({ series: reference.series, taus: used, fps: reference.fps, falseAlertsPer30Days: options.falseAlertsPer30Days });
    }
    return ready;
  }
  return {
    name,
    create(reference) {
      let ready = prepared.get(reference);
      if (!ready) prepared.set(reference, ready = prepare(reference));
      return new DriftwatchPolicy(ready.baseline, ready.taus, reference.camera, options.monitor, ready.calibration, name);
    },
  };
}

export const driftwatchPolicy = driftwatchFactory();
/** The same with the CUSUM threshold calibrated on the reference to one false alert per camera per 30 days. */
export const driftwatchCalibratedPolicy = driftwatchFactory({ name: 'driftwatch-calibrated', falseAlertsPer30Days: 1 });
