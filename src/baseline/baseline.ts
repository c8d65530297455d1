// A reference baseline: what the camera's frames looked like when the model
// was validated. Built offline, stored as a file (docs/baseline-format.md),
// named everywhere by its digest.
import type { ScalarFeatureName, HistogramName, PredictionFeatureName } from '../catalogue.js';
import type { CategoricalCounts } from '../categorical/categorical-counts.js';
import type { QuantileSketch } from '../sketch/quantile-sketch.js';
import type { BaselineTemporal } from './temporal.js';

export const BASELINE_FORMAT_VERSION = 1;

export interface BaselineModel {
  id: string;
  version: string;
}

export interface BaselineHeader {
  formatVersion: number;
  catalogueVersion: number;
  /** When the baseline was built, epoch milliseconds. */
  createdAt: number;
  /** Where the frames came from, in words (a folder and its file count, say). */
  source: string;
  frameCount: number;
  /** Inputs that could not be used: undecodable frames, malformed prediction lines. */
  skipped: { frames: number; predictions: number };
  model: BaselineModel | null;
  /** How frames were decoded and sampled; absent in older files, which mean scale 1, step 1. */
  decode?: DecodeSettings;
  /** 'sha256:' and the hex SHA-256 of the file's body. */
  digest: string;
}

/** Decoding settings the features depend on: the agent must use the same. */
export interface DecodeSettings {
  /** Frames decoded at 1/scale of their size (1, 2, 4 or 8; docs/decode.md). */
  scale: number;
  /** frameStats sampled every step-th pixel of every step-th row. */
  step: number;
}

export const DEFAULT_DECODE_SETTINGS: Readonly<DecodeSettings> = Object.freeze({ scale: 1, step: 1 });

/** The header's decode settings, scale 1 and step 1 for files written without them. */
export function decodeSettingsOf(header: Pick<BaselineHeader, 'decode'>): DecodeSettings {
  return header.decode ?? { ...DEFAULT_DECODE_SETTINGS };
}

/** One scalar feature over the reference frames. */
export interface FeatureReference {
  sketch: QuantileSketch;
  count: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  min: number;
  max: number;
}

export interface Baseline {
  header: BaselineHeader;
  features: Record<ScalarFeatureName, FeatureReference>;
  /** Each histogram summed over the reference frames. */
  histograms: Record<HistogramName, number[]>;
  /** Reference counts of the model's predicted classes, when predictions were given. */
  categorical: Record<string, CategoricalCounts>;
  /** τ and the CUSUM calibration, when the reference was a time-ordered stream (baseline build --stream). */
  temporal?: BaselineTemporal;
  /**
   * The features derived from predictions (docs/predictions.md) that the
   * reference predictions had; absent in baselines built without them.
   */
  predictionFeatures?: Partial<Record<PredictionFeatureName, FeatureReference>>;
  /** The detection score threshold pred_detections was counted with (with predictionFeatures). */
  minDetectionScore?: number;
}

/** The reference of a scalar or prediction feature; undefined when the baseline has none. */
export function featureReference(baseline: Baseline, name: string): FeatureReference | undefined {
  if (Object.hasOwn(baseline.features, name)) return baseline.features[name as ScalarFeatureName];
  const predictions = baseline.predictionFeatures;
  return predictions && Object.hasOwn(predictions, name) ? predictions[name as PredictionFeatureName] : undefined;
}

/** Bytes that are not a readable baseline. The message starts with "possible corruption: ". */
export class BaselineFormatError extends Error {
  constructor(detail: string) {
    super(`possible corruption: ${detail}`);
    this.name = 'BaselineFormatError';
  }
}

/** A sound baseline made for another feature catalogue: comparing would be meaningless. */
export class BaselineVersionError extends Error {
  constructor(readonly found: number, readonly expected: number) {
    super(`the baseline was built with feature catalogue v${found}, but this driftwatch computes v${expected}: rebuild it with 'driftwatch baseline build'`);
    this.name = 'BaselineVersionError';
  }
}
