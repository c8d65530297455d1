// One camera's drift monitor: windows of recent frames, a check against the
// baseline every `checkEvery` admitted frames, a CUSUM per feature for slow
// drift, and the alert lifecycle that turns checks into alert transitions.
// Pure: no I/O, no clock (docs/policy.md).
import { featureReference, type Baseline } from '../baseline/baseline.js';
import { HISTOGRAM_FEATURES, type HistogramName } from '../catalogue.js';
import { CheckpointFormatError, CheckpointMismatchError, Fields, firstDifference, plainCopy, within } from '../codec/checkpoint-fields.js';
import { CameraWindows } from '../window/camera-windows.js';
import type { WindowSpec } from '../window/create-window.js';
import { AlertLifecycle, type AlertLifecycleOptions } from './alert-lifecycle.js';
import type { AlertEvent } from './alert-types.js';
import { autocorrelationTime } from './autocorrelation-time.js';
import { DEFAULT_MIN_DISTANCE, runCheck, type CheckOptions, type CheckResult } from './check.js';
import { monitoredFeatures } from './monitored-features.js';
import { baselineIqr, recentFindings, recentTest } from './recent-findings.js';
import type { FeatureTest } from './feature-test.js';
import type { CalibrationResult } from './calibration.js';
import { readHistogramSums, readTaus, sameOrFail, type DriftMonitorContext, type DriftMonitorJSON } from './drift-monitor-checkpoint.js';
import { SequentialBank, type SequentialOptions } from './sequential-bank.js';
import { calibratedThreshold } from '../baseline/temporal.js';
import type { HistogramDistanceSpread } from '../baseline/histogram-spread.js';
import type { DriftDirection } from '../detectors/detector.js';

export interface DriftMonitorOptions {
  camera: string;
  baseline: Baseline;
  /** Admitted frames between checks, integer >= 1. Default 25 (2.5 s at 10 fps). */
  checkEvery?: number;
  /** Each feature's window. Default the latest 300 admitted frames. */
  window?: WindowSpec;
  /** At most this many frames per second are admitted (default: all). */
  maxFps?: number;
  /** The check's gates (docs/check.md); autocorrelationTimes is filled from `autocorrelationTime`. */
  check?: Omit<CheckOptions, 'autocorrelationTimes'>;
  lifecycle?: Omit<AlertLifecycleOptions, 'camera' | 'baselineDigest'>;
  /** τ per feature measured on a stable stretch; without it, the baseline's (--stream), else measured on the first full window. */
  autocorrelationTime?: Readonly<Record<string, number>>;
  /**
   * τ is multiplied by this before use, >= 1. Default 2: a 6,000-frame stable
   * stretch holds ~60 looks at a τ = 100 wander, so its τ estimates are noisy,
   * and an underestimate is what makes a monitor cry wolf (measured in the
   * eval: saturation_std's τ was 7.8 on the reference, 16 on a stable stream).
   */
  tauSafety?: number;
  /**
   * With a baseline that stores its histograms' spread (built with --stream),
   * each histogram's distance gate is at least this many times the largest
   * distance a check interval of the stable stretch showed, >= 1. Default 2:
   * a 6,000-frame stretch holds ~60 looks at a τ ≈ 100 exposure wander, whose
   * largest excursion is ~2.4 sd; 30 days at 10 fps hold ~300,000, whose
   * largest is ~4.6 sd, and the distance grows about linearly with the shift.
   */
  histogramSpreadSafety?: number;
  /**
   * A CUSUM detection implicates its feature only when the latest frames'
   * median moved by at least this share of the baseline median, >= 0.
   * Default 0.01 (1%). Measured: on a stable 640×480 stream saturation_std's
   * CUSUM detected a move of +0.1–0.5% (many of its tiny IQRs) and raised a
   * false alert; the harness's drifts move their features by 15% or more.
   */
  minRelativeChange?: number;
  /** Latest admitted frames an alert's effects are measured on, integer >= 1. Default 50. */
  recentFrames?: number;
  /** A drifting check's findings also list features whose latest frames moved by this many baseline IQRs. Default 1. */
  alsoMovedEffect?: number;
  /**
   * A calibration of the CUSUM threshold to a false-alarm target
   * (calibrateSequential); kept with the monitor, and its threshold used
   * unless sequential.threshold is given.
   */
  calibration?: CalibrationResult;
  /** The per-feature CUSUMs; false turns sequential detection off. */
  sequential?: SequentialOptions | false;
  /**
   * The false-alarm target used with a baseline that carries a calibration
   * (built with --stream): at most this many false CUSUM detections per camera per
   * 30 days at the baseline's frame rate. Default 1.
   */
  falseAlertsPer30Days?: number;
  /** The frame rate that target is stated at. Default: the baseline's (its temporal.fps). */
  falseAlarmFps?: number;
}

/** Where the CUSUM threshold in use came from. */
export type ThresholdSource = 'option' | 'calibration' | 'baseline' | 'default';

export interface MonitorFrame {
  /** 0-based frame index; must increase. */
  index: number;
  timeMs: number;
  /** The catalogue's scalar features, plus the `pred_*` ones when the frame had a prediction (docs/predictions.md). */
  features: Readonly<Record<string, number>>;
  /** The frame's histograms (luma 256 bins, hue 36), when computed. */
  histograms?: Partial<Record<HistogramName, ArrayLike<number>>>;
}

export const DRIFT_MONITOR_DEFAULTS = {
  checkEvery: 25,
  tauSafety: 2,
  histogramSpreadSafety: 2,
  minRelativeChange: 0.01,
  recentFrames: 50,
  alsoMovedEffect: 1,
  window: Object.freeze({ kind: 'sliding-count', size: 300 }) as Readonly<WindowSpec>,
} as const;

/** The options a checkpoint records: everything but the baseline (named by its digest) and the camera. */
export type DriftMonitorConfig = Omit<DriftMonitorOptions, 'baseline' | 'camera'>;
export type { DriftMonitorContext, DriftMonitorJSON };

const TYPE = 'drift-monitor';
const VERSION = 1;

export class DriftMonitor {
  readonly camera: string;
  readonly checkEvery: number;
  readonly tauSafety: number;
  /** Per histogram, the Jensen–Shannon distance from which a check interval's histogram counts as changed. */
  readonly histogramMinDistance: Readonly<Record<HistogramName, number>>;
  readonly recentFrames: number;
  readonly minRelativeChange: number;
  readonly alsoMovedEffect: number;
  readonly calibration: CalibrationResult | null;
  private cameraWindows: CameraWindows;
  private alerts: AlertLifecycle;
  private readonly baseline: Baseline;
  private readonly config: DriftMonitorConfig;
  private readonly checkOptions: Omit<CheckOptions, 'autocorrelationTimes'>;
  /** The CUSUM options in use (the calibrated threshold unless one was given); false when off. */
  readonly sequentialOptions: SequentialOptions | false;
  readonly thresholdSource: ThresholdSource;
  private taus: Record<string, number> | null;
  private sequential: SequentialBank | null = null;
  private histogramSums: Map<HistogramName, Float64Array> | null = null;
  private sinceCheck = 0;
  private checkCount = 0;
  private last: CheckResult | null = null;

  constructor(options: DriftMonitorOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('DriftMonitor options must be an object { camera, baseline, ... }');
    if (!options.baseline || typeof options.baseline !== 'object' || !options.baseline.features) throw new TypeError('options.baseline must be a decoded Baseline');
    this.camera = options.camera;
    this.baseline = options.baseline;
    this.checkEvery = options.checkEvery ?? DRIFT_MONITOR_DEFAULTS.checkEvery;
    if (!Number.isSafeInteger(this.checkEvery) || this.checkEvery < 1) throw new RangeError(`options.checkEvery must be an integer >= 1; got ${String(options.checkEvery)}`);
    const temporal = options.baseline.temporal;
    // τ and the calibration stored with the baseline were measured together: keep its safety factor.
    this.tauSafety = options.tauSafety ?? temporal?.tauSafety ?? DRIFT_MONITOR_DEFAULTS.tauSafety;
    if (typeof this.tauSafety !== 'number' || !Number.isFinite(this.tauSafety) || this.tauSafety < 1) throw new RangeError(`options.tauSafety must be a finite number >= 1; got ${String(options.tauSafety)}`);
    this.recentFrames = options.recentFrames ?? DRIFT_MONITOR_DEFAULTS.recentFrames;
    if (!Number.isSafeInteger(this.recentFrames) || this.recentFrames < 1) throw new RangeError(`options.recentFrames must be an integer >= 1; got ${String(options.recentFrames)}`);
    this.minRelativeChange = options.minRelativeChange ?? DRIFT_MONITOR_DEFAULTS.minRelativeChange;
    if (typeof this.minRelativeChange !== 'number' || !(this.minRelativeChange >= 0) || !Number.isFinite(this.minRelativeChange)) throw new RangeError(`options.minRelativeChange must be a finite number >= 0; got ${String(options.minRelativeChange)}`);
    this.alsoMovedEffect = options.alsoMovedEffect ?? DRIFT_MONITOR_DEFAULTS.alsoMovedEffect;
    if (typeof this.alsoMovedEffect !== 'number' || !(this.alsoMovedEffect >= 0)) throw new RangeError(`options.alsoMovedEffect must be a number >= 0; got ${String(options.alsoMovedEffect)}`);
    this.cameraWindows = new CameraWindows({ window: options.window ?? DRIFT_MONITOR_DEFAULTS.window, maxFps: options.maxFps, ...monitoredFeatures(options.baseline) });
    this.alerts = new AlertLifecycle({ ...options.lifecycle, camera: options.camera, baselineDigest: options.baseline.header?.digest ?? null });
    this.histogramMinDistance = histogramGates(temporal?.histogramDistance, options.check, options.histogramSpreadSafety);
    this.checkOptions = { ...options.check, histogramMinDistance: { ...this.histogramMinDistance } };
    this.calibration = options.calibration ?? null;
    const perMonth = options.falseAlertsPer30Days ?? 1;
    if (typeof perMonth !== 'number' || !(perMonth > 0) || !Number.isFinite(perMonth)) throw new RangeError(`options.falseAlertsPer30Days must be a finite number > 0; got ${String(options.falseAlertsPer30Days)}`);
    const fromCalibration = this.calibration?.threshold;
    const fps = options.falseAlarmFps ?? temporal?.fps;
    if (fps !== undefined && (typeof fps !== 'number' || !(fps > 0) || !Number.isFinite(fps))) throw new RangeError(`options.falseAlarmFps must be a finite number > 0; got ${String(fps)}`);
    const fromBaseline = temporal ? calibratedThreshold(temporal, perMonth, fps) : null;
    const calibrated = typeof fromCalibration === 'number' ? fromCalibration : fromBaseline;
    this.thresholdSource = options.sequential && options.sequential.threshold !== undefined ? 'option'
      : typeof fromCalibration === 'number' ? 'calibration' : typeof fromBaseline === 'number' ? 'baseline' : 'default';
    this.sequentialOptions = options.sequential === false ? false
      : { ...(typeof calibrated === 'number' ? { threshold: calibrated } : {}), ...options.sequential };
    // Checks the sequential options now, even when the CUSUMs start later.
    if (this.sequentialOptions !== false) new SequentialBank(this.baseline, {}, [], this.sequentialOptions);
    const taus = options.autocorrelationTime ?? temporal?.tau;
    this.taus = taus ? this.inflate(checkTaus(taus)) : null;
    if (this.taus) this.startSequential(this.taus);
    const { baseline: _baseline, camera: _camera, ...config } = options;
    this.config = plainCopy(config);
  }

  /** The camera's windows. */
  get windows(): CameraWindows { return this.cameraWindows; }
  /** The camera's alert lifecycle. */
  get lifecycle(): AlertLifecycle { return this.alerts; }

  /** τ per feature in use (null until measured when not given). */
  get autocorrelationTimes(): Readonly<Record<string, number>> | null { return this.taus; }
  /** Checks run so far. */
  get checks(): number { return this.checkCount; }
  /** The latest check's result, null before the first. */
  get lastCheck(): CheckResult | null { return this.last; }

  /** Offers one frame; returns the alert transitions it caused (usually none). */
  update(frame: MonitorFrame): AlertEvent[] {
    if (!frame || typeof frame !== 'object') throw new TypeError('frame must be an object { index, timeMs, features }');
    if (!Number.isSafeInteger(frame.index) || frame.index < 0) throw new RangeError(`frame.index must be an integer >= 0; got ${String(frame.index)}`);
    this.cameraWindows.update(frame.features, frame.timeMs);
    if (!this.cameraWindows.admitted) return [];
    this.addHistograms(frame.histograms);
    this.sequential?.update(frame.features, this.checkCount);
    this.sinceCheck++;
    const ready = this.cameraWindows.get(this.cameraWindows.features[0]).ready;
    if (!ready) return [];
    if (!this.taus) this.startSequential(this.taus = this.inflate(this.measureTaus()));
    if (this.sinceCheck < this.checkEvery) return [];
    return this.check(frame);
  }

  /**
   * Everything the monitor has learnt, as plain data (numbers, strings,
   * arrays; no typed arrays, NaN or undefined): msgpack or JSON carry it, and
   * fromJSON continues exactly where this monitor is. The baseline is named
   * by its digest, not copied; lastCheck is not kept.
   */
  toJSON(): DriftMonitorJSON {
    const sums = this.histogramSums;
    return {
      type: TYPE,
      version: VERSION,
      camera: this.camera,
      baselineDigest: this.alerts.baselineDigest,
      options: plainCopy(this.config),
      state: {
        windows: this.cameraWindows.toJSON(),
        lifecycle: this.alerts.toJSON(),
        taus: this.taus && { ...this.taus },
        sequential: this.sequential ? this.sequential.toJSON() : null,
        histogramSums: sums && Object.fromEntries([...sums].map(([name, sum]) => [name, Array.from(sum)])),
        sinceCheck: this.sinceCheck,
        checkCount: this.checkCount,
      },
    };
  }

  /**
   * Rebuilds a monitor from toJSON() output against the same baseline: an
   * open alert stays open and is not fired again, and the frames after it
   * give the same events as if the monitor had never stopped. Throws
   * CheckpointMismatchError when the checkpoint was made for another
   * baseline digest, camera or options, CheckpointFormatError naming the
   * first bad field otherwise.
   */
  static fromJSON(json: unknown, context: DriftMonitorContext): DriftMonitor {
    if (!context || typeof context !== 'object' || !context.baseline || typeof context.baseline !== 'object') throw new TypeError('context must be { baseline, camera?, options? } with a decoded Baseline');
    const fields = Fields.envelope(json, 'monitor', TYPE, VERSION);
    const camera = fields.string('camera');
    if (context.camera !== undefined && context.camera !== camera) throw new CheckpointMismatchError('camera', camera, context.camera);
    const digest = fields.raw('baselineDigest');
    const expected = context.baseline.header?.digest ?? null;
    if (digest !== expected) throw new CheckpointMismatchError('baselineDigest', digest, expected);
    const options = fields.object('options');
    if (context.options !== undefined) {
      const differs = firstDifference(options.record, plainCopy(context.options), 'options');
      if (differs) throw new CheckpointMismatchError(differs.path, differs.a, differs.b);
    }
    const monitor = within(options.path, () => new DriftMonitor({ ...(options.record as DriftMonitorConfig), camera, baseline: context.baseline }));
    const state = fields.object('state');
    const windows = CameraWindows.fromJSON(state.raw('windows'), state.at('windows'));
    sameOrFail(windows.toJSON().options, monitor.cameraWindows.toJSON().options, state.at('windows.options'));
    const lifecycle = within(state.at('lifecycle'), () => AlertLifecycle.fromJSON(state.raw('lifecycle')));
    sameOrFail(lifecycle.toJSON().options, monitor.alerts.toJSON().options, state.at('lifecycle.options'));
    const taus = readTaus(state, windows.features);
    if (monitor.taus) sameOrFail(taus, monitor.taus, state.at('taus'));
    const bankJSON = state.raw('sequential');
    // The restored windows first: which features get a CUSUM depends on them.
    monitor.cameraWindows = windows;
    let sequential: SequentialBank | null = null;
    if (monitor.sequentialOptions === false || taus === null) {
      if (bankJSON !== null) throw new CheckpointFormatError(state.at('sequential'), 'must be null when sequential detection is off or τ is not yet known');
    } else {
      sequential = SequentialBank.fromJSON(bankJSON, { baseline: context.baseline, taus, features: monitor.sequentialFeatures(taus), options: monitor.sequentialOptions }, state.at('sequential'));
    }
    const histogramSums = readHistogramSums(state);
    const sinceCheck = state.integer('sinceCheck');
    const checkCount = state.integer('checkCount');
    monitor.alerts = lifecycle;
    monitor.taus = taus;
    monitor.sequential = sequential;
    monitor.histogramSums = histogramSums;
    monitor.sinceCheck = sinceCheck;
    monitor.checkCount = checkCount;
    return monitor;
  }

  private check(frame: MonitorFrame): AlertEvent[] {
    this.sinceCheck = 0;
    const result = runCheck(
      { windows: this.cameraWindows, baseline: this.baseline, histograms: this.takeHistograms() },
      { ...this.checkOptions, autocorrelationTimes: this.taus! },
    );
    const drifting = this.sequential?.drifting(this.checkCount) ?? new Map();
    this.checkCount++;
    this.last = result;
    const implicated = new Set(result.tests.filter((t) => (t.significant && (t.kind !== 'continuous' || this.largeEnough(t.relativeChange)))
      || (t.kind === 'continuous' && this.sequentialConfirms(t, drifting.get(t.feature)))).map((t) => t.feature));
    const findings = implicated.size === 0 ? [] : recentFindings(result.tests, implicated, (name) => this.latest(name), this.baseline, this.alsoMovedEffect);
    return this.alerts.update({ drift: implicated.size > 0, findings, frame: frame.index, timeMs: frame.timeMs });
  }

  // A CUSUM detects a recent change, and the latest frames show it before the
  // window's median does: a window that began above the baseline needs about
  // half its frames changed before its median crosses below it. A feature
  // whose baseline IQR is 0 sits on one value (coffee's luma_p05: 98% at one
  // level); the median of a few of its frames flips to the next level on an
  // ordinary exposure dip, so the window's median decides for it. At camera
  // resolution a feature can be so precise that an ordinary exposure wander
  // moves it by many baseline IQRs while changing it by 0.1%: the latest
  // frames must also show a change of some size in the feature's own unit.
  // Only features whose CUSUM detected are measured again.
  private sequentialConfirms(test: FeatureTest, direction: DriftDirection | undefined): boolean {
    if (!direction || this.sequential === null) return false;
    const recent = recentTest(test, this.latest(test.feature), this.baseline);
    const reference = featureReference(this.baseline, test.feature);
    const effect = reference && baselineIqr(reference) > 0 ? recent.effect : test.effect;
    return this.sequential.confirms(direction, effect) && this.largeEnough(recent.relativeChange);
  }

  private largeEnough(relativeChange: number | null): boolean {
    return relativeChange === null || Math.abs(relativeChange) >= this.minRelativeChange;
  }

  private latest(feature: string): Float64Array {
    const values = this.cameraWindows.get(feature).values();
    return values.subarray(Math.max(0, values.length - this.recentFrames));
  }

  private inflate(taus: Record<string, number>): Record<string, number> {
    return Object.fromEntries(Object.entries(taus).map(([name, tau]) => [name, Math.max(1, tau * this.tauSafety)]));
  }

  private startSequential(taus: Readonly<Record<string, number>>): void {
    if (this.sequentialOptions === false) return;
    this.sequential = new SequentialBank(this.baseline, taus, this.sequentialFeatures(taus), this.sequentialOptions);
  }

  // A prediction feature without a τ gets no CUSUM: a τ of 1 on correlated frames would cry wolf.
  private sequentialFeatures(taus: Readonly<Record<string, number>>): string[] {
    return this.cameraWindows.features.filter((name) => taus[name] !== undefined || !this.cameraWindows.optionalFeatures.has(name));
  }

  // Without a stable stretch, the first full window stands in for one: it
  // must be stable, and a short window underestimates a long τ.
  private measureTaus(): Record<string, number> {
    const taus: Record<string, number> = {};
    const full = this.cameraWindows.get(this.cameraWindows.features[0]).length;
    for (const name of this.cameraWindows.features) {
      const values = this.cameraWindows.get(name).values();
      // A prediction feature most frames lacked: too few values to say; the check measures its own.
      if (this.cameraWindows.optionalFeatures.has(name) && values.length < full / 2) continue;
      taus[name] = values.length >= 3 ? autocorrelationTime(values, values.length - 1) : 1;
    }
    return taus;
  }

  private addHistograms(histograms: MonitorFrame['histograms']): void {
    if (!histograms) return;
    this.histogramSums ??= new Map(HISTOGRAM_FEATURES.map(({ name, bins }) => [name, new Float64Array(bins)]));
    for (const { name, bins } of HISTOGRAM_FEATURES) {
      const counts = histograms[name];
      if (!counts || counts.length !== bins) continue;
      const sum = this.histogramSums.get(name)!;
      for (let i = 0; i < bins; i++) sum[i] += counts[i];
    }
  }

  // Histograms are summed over the frames since the last check, not the
  // whole window: keeping every frame's histograms would cost more than the
  // windows themselves. The JS distance compares shapes, so the sum's size does not matter.
  private takeHistograms(): Partial<Record<HistogramName, Float64Array>> | undefined {
    const sums = this.histogramSums;
    if (!sums) return undefined;
    this.histogramSums = null;
    return Object.fromEntries(sums) as Partial<Record<HistogramName, Float64Array>>;
  }
}

/** Each histogram's gate: the check's (or its default 0.1), raised to the safety factor times the baseline's spread. */
function histogramGates(spread: HistogramDistanceSpread | undefined, check: DriftMonitorOptions['check'], safetyOption: number | undefined): Record<HistogramName, number> {
  const safety = safetyOption ?? DRIFT_MONITOR_DEFAULTS.histogramSpreadSafety;
  if (typeof safety !== 'number' || !Number.isFinite(safety) || safety < 1) throw new RangeError(`options.histogramSpreadSafety must be a finite number >= 1; got ${String(safetyOption)}`);
  const floor = check?.minDistance ?? DEFAULT_MIN_DISTANCE;
  return Object.fromEntries(HISTOGRAM_FEATURES.map(({ name }) => {
    const own = check?.histogramMinDistance?.[name];
    if (own !== undefined) return [name, own];
    const stray = spread?.max[name];
    return [name, stray === undefined ? floor : Math.min(1, Math.max(floor, safety * stray))];
  })) as Record<HistogramName, number>;
}

function checkTaus(taus: Readonly<Record<string, number>>): Record<string, number> {
  if (taus === null || typeof taus !== 'object') throw new TypeError('options.autocorrelationTime must be an object of feature → τ');
  for (const [name, tau] of Object.entries(taus)) {
    if (typeof tau !== 'number' || !Number.isFinite(tau) || tau < 1) throw new RangeError(`options.autocorrelationTime.${name} must be a finite number >= 1; got ${String(tau)}`);
  }
  return { ...taus };
}
