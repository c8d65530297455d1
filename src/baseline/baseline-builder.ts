// Accumulates reference frames (and optional predictions) into the contents
// of a baseline file: a sketch and moments per scalar feature, the summed
// histograms, the counts of predicted classes, and a sketch and moments per
// feature derived from the predictions.
import { CATALOGUE_VERSION, SCALAR_FEATURE_NAMES, HISTOGRAM_FEATURES, PREDICTION_FEATURE_NAMES, type ScalarFeatureName, type HistogramName, type PredictionFeatureName } from '../catalogue.js';
import { CategoricalCounts } from '../categorical/categorical-counts.js';
import { QuantileSketch } from '../sketch/quantile-sketch.js';
import type { PredictionRecord } from '../predictions/prediction-record.js';
import { checkMinDetectionScore, predictionFeatures, type FrameSize } from '../predictions/prediction-features.js';
import type { BaselineContent } from './baseline-codec.js';
import type { BaselineModel, DecodeSettings, FeatureReference } from './baseline.js';
import { RunningMoments } from './running-moments.js';
import { measureTemporal, type BaselineTemporal, type MeasureTemporalOptions } from './temporal.js';
import { HistogramBlocks } from './histogram-spread.js';
import { DRIFT_MONITOR_DEFAULTS } from '../policy/drift-monitor.js';

/** The categorical reference built from predictions. */
export const PREDICTED_CLASS = 'predicted_class';

export interface BaselineBuilderOptions {
  /** The quantile sketches' k (see docs/sketches.md). */
  sketchK?: number;
  /** Bound on distinct predicted classes (see CategoricalCounts). */
  maxCategories?: number;
  /**
   * The frames are added in time order from one camera at this frame rate:
   * keep each feature's series and store τ, the CUSUM calibration and the
   * histograms' spread over check intervals (BaselineTemporal) in the
   * baseline. Needs at least 600 frames.
   */
  timeOrdered?: MeasureTemporalOptions;
  /** Detections scoring below this are not counted in pred_detections (default 0: all). */
  minDetectionScore?: number;
}

export interface FrameForBaseline {
  features: Record<ScalarFeatureName, number>;
  histograms: Record<HistogramName, ArrayLike<number>>;
}

export interface BaselineMeta {
  source: string;
  createdAt: number;
  model: BaselineModel | null;
  skipped?: { frames: number; predictions: number };
  /** How the frames were decoded and sampled (recorded in the header). */
  decode?: DecodeSettings;
}

export class BaselineBuilder {
  private readonly sketches = new Map<ScalarFeatureName, QuantileSketch>();
  private readonly moments = new Map<ScalarFeatureName, RunningMoments>();
  private readonly histograms = new Map<HistogramName, number[]>();
  private readonly classes: CategoricalCounts;
  private readonly predictionSketches = new Map<PredictionFeatureName, QuantileSketch>();
  private readonly predictionMoments = new Map<PredictionFeatureName, RunningMoments>();
  private readonly sketchK: number | undefined;
  private readonly minDetectionScore: number;
  private frames = 0;
  private predictions = 0;
  private readonly timeOrdered: MeasureTemporalOptions | null;
  private readonly series: Map<ScalarFeatureName, number[]> | null;
  private readonly histogramBlocks: HistogramBlocks | null;

  constructor(options: BaselineBuilderOptions = {}) {
    this.sketchK = options.sketchK;
    this.minDetectionScore = checkMinDetectionScore(options.minDetectionScore);
    for (const name of SCALAR_FEATURE_NAMES) {
      this.sketches.set(name, new QuantileSketch(options.sketchK === undefined ? {} : { k: options.sketchK }));
      this.moments.set(name, new RunningMoments());
    }
    for (const { name, bins } of HISTOGRAM_FEATURES) this.histograms.set(name, new Array<number>(bins).fill(0));
    this.classes = new CategoricalCounts({ maxCategories: options.maxCategories });
    this.timeOrdered = options.timeOrdered ?? null;
    this.series = this.timeOrdered ? new Map(SCALAR_FEATURE_NAMES.map((name) => [name, []])) : null;
    this.histogramBlocks = this.timeOrdered ? new HistogramBlocks(DRIFT_MONITOR_DEFAULTS.checkEvery) : null;
  }

  get frameCount(): number {
    return this.frames;
  }

  addFrame(frame: FrameForBaseline): void {
    // Check everything before changing anything, so a bad frame leaves no trace.
    for (const name of SCALAR_FEATURE_NAMES) {
      const value = frame.features[name];
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`feature ${name} must be a finite number, got ${String(value)}`);
    }
    for (const { name, bins } of HISTOGRAM_FEATURES) {
      if (frame.histograms[name]?.length !== bins) throw new RangeError(`histogram ${name} must have ${bins} bins`);
    }
    for (const name of SCALAR_FEATURE_NAMES) {
      const value = frame.features[name];
      this.sketches.get(name)!.update(value);
      this.moments.get(name)!.update(value);
      this.series?.get(name)!.push(value);
    }
    for (const { name, bins } of HISTOGRAM_FEATURES) {
      const sum = this.histograms.get(name)!;
      const counts = frame.histograms[name];
      for (let i = 0; i < bins; i++) sum[i] += counts[i];
    }
    this.histogramBlocks?.add(frame.histograms);
    this.frames++;
  }

  /**
   * Adds one frame's prediction: its classes and its derived features.
   * `frame` is the frame's size, for pred_mean_box_area (absent without it).
   */
  addPrediction(record: PredictionRecord, frame?: FrameSize): void {
    const values = predictionFeatures(record, frame, { minDetectionScore: this.minDetectionScore });
    for (const name of record.classes) this.classes.add(name);
    for (const name of PREDICTION_FEATURE_NAMES) {
      const value = values[name];
      if (value === undefined) continue;
      if (!this.predictionSketches.has(name)) {
        this.predictionSketches.set(name, new QuantileSketch(this.sketchK === undefined ? {} : { k: this.sketchK }));
        this.predictionMoments.set(name, new RunningMoments());
      }
      this.predictionSketches.get(name)!.update(value);
      this.predictionMoments.get(name)!.update(value);
    }
    this.predictions++;
  }

  build(meta: BaselineMeta): BaselineContent {
    if (this.frames === 0) throw new RangeError('a baseline needs at least one frame');
    const features = {} as Record<ScalarFeatureName, FeatureReference>;
    for (const name of SCALAR_FEATURE_NAMES) {
      const m = this.moments.get(name)!;
      features[name] = { sketch: this.sketches.get(name)!, count: m.count, mean: m.mean, std: m.std, min: m.min, max: m.max };
    }
    const predictionFeatures: Partial<Record<PredictionFeatureName, FeatureReference>> = {};
    for (const name of PREDICTION_FEATURE_NAMES) {
      const m = this.predictionMoments.get(name);
      if (m) predictionFeatures[name] = { sketch: this.predictionSketches.get(name)!, count: m.count, mean: m.mean, std: m.std, min: m.min, max: m.max };
    }
    const histograms = Object.fromEntries(this.histograms) as Record<HistogramName, number[]>;
    const withPredictionFeatures = this.predictionMoments.size > 0 ? { predictionFeatures, minDetectionScore: this.minDetectionScore } : {};
    return {
      header: {
        catalogueVersion: CATALOGUE_VERSION,
        createdAt: meta.createdAt,
        source: meta.source,
        frameCount: this.frames,
        skipped: meta.skipped ?? { frames: 0, predictions: 0 },
        model: meta.model,
        ...(meta.decode ? { decode: { scale: meta.decode.scale, step: meta.decode.step } } : {}),
      },
      features,
      histograms,
      categorical: this.predictions > 0 ? { [PREDICTED_CLASS]: this.classes } : {},
      ...(this.series ? { temporal: this.temporal(histograms) } : {}),
      ...withPredictionFeatures,
    };
  }

  private temporal(totals: Record<HistogramName, number[]>): BaselineTemporal {
    return { ...measureTemporal(Object.fromEntries(this.series!), this.timeOrdered!), histogramDistance: this.histogramBlocks!.spread(totals) };
  }
}
