// The per-frame numbers derived from one prediction record (definitions and
// units in docs/predictions.md). A feature the record's shape does not define
// is absent from the result, never NaN: absent features are not updated.
import type { PredictionFeatureName } from '../catalogue.js';
import type { ClassScore, Detection, PredictionRecord } from './prediction-record.js';

export type PredictionFeatureValues = Partial<Record<PredictionFeatureName, number>>;

export interface FrameSize {
  /** Frame width in pixels, > 0. */
  width: number;
  /** Frame height in pixels, > 0. */
  height: number;
}

export interface PredictionFeatureOptions {
  /** Detections scoring below this are not counted; 0 (the default) counts every detection given. */
  minDetectionScore?: number;
}

export function checkMinDetectionScore(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`minDetectionScore must be a finite number >= 0, got ${String(value)}`);
  return value;
}

function checkFrameSize(frame: FrameSize | undefined): FrameSize | undefined {
  if (frame === undefined) return undefined;
  if (frame === null || typeof frame !== 'object') throw new TypeError('frame must be { width, height } in pixels');
  for (const key of ['width', 'height'] as const) {
    const v = frame[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new RangeError(`frame.${key} must be a finite number > 0, got ${String(v)}`);
  }
  return frame;
}

/** Entropy in bits of the scores normalized to sum 1; undefined when a score is negative or they sum to 0. */
function entropyBits(scores: readonly ClassScore[]): number | undefined {
  let sum = 0;
  for (const { score } of scores) {
    if (score < 0) return undefined;
    sum += score;
  }
  if (!(sum > 0) || !Number.isFinite(sum)) return undefined;
  let h = 0;
  for (const { score } of scores) {
    const p = score / sum;
    if (p > 0) h -= p * Math.log2(p);
  }
  return Math.max(0, h);
}

function classifierFeatures(record: PredictionRecord, out: PredictionFeatureValues): void {
  const scores = record.scores ?? [];
  if (scores.length === 0) return;
  let first = -Infinity, second = -Infinity;
  for (const { score } of scores) {
    if (score > first) { second = first; first = score; } else if (score > second) second = score;
  }
  out.pred_top1_confidence = first;
  if (scores.length >= 2) out.pred_margin = first - second;
  if (record.shape === 'scores' || record.shape === 'top-k') {
    const h = entropyBits(scores);
    if (h !== undefined) out.pred_entropy = h;
  }
}

function counted(d: Detection, minScore: number): boolean {
  return minScore === 0 || (d.score !== undefined && d.score >= minScore);
}

function detectorFeatures(record: PredictionRecord, frame: FrameSize | undefined, minScore: number, out: PredictionFeatureValues): void {
  const kept = (record.detections ?? []).filter((d) => counted(d, minScore));
  out.pred_detections = kept.length;
  const scored = kept.filter((d) => d.score !== undefined);
  if (scored.length > 0) out.pred_mean_score = scored.reduce((sum, d) => sum + d.score!, 0) / scored.length;
  const boxed = kept.filter((d) => d.box !== undefined);
  if (frame && boxed.length > 0) {
    const area = boxed.reduce((sum, d) => sum + d.box![2] * d.box![3], 0) / boxed.length;
    out.pred_mean_box_area = area / (frame.width * frame.height);
  }
}

/**
 * The derived features of one prediction. `frame` (the frame's size in
 * pixels) is needed for pred_mean_box_area only; without it that feature is absent.
 */
export function predictionFeatures(record: PredictionRecord, frame?: FrameSize, options: PredictionFeatureOptions = {}): PredictionFeatureValues {
  if (record === null || typeof record !== 'object') throw new TypeError('record must be a PredictionRecord (parsePrediction)');
  const size = checkFrameSize(frame);
  const minScore = checkMinDetectionScore(options.minDetectionScore);
  const out: PredictionFeatureValues = {};
  if (record.shape === 'detections') detectorFeatures(record, size, minScore, out);
  else if (record.shape !== undefined) classifierFeatures(record, out);
  return out;
}
