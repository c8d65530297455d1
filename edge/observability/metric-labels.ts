// The only values a metric label may take: configured camera ids, the fixed
// reasons and statistics below, and the feature catalogue's names. A label
// value from anywhere else would grow the series without bound.
import { HISTOGRAM_FEATURES, SCALAR_FEATURE_NAMES } from '../../src/catalogue.js';
import { PREDICTED_CLASS } from '../../src/baseline/baseline-builder.js';

/** Why a frame was not measured. Anything else is counted as 'other'. */
export const REJECT_REASONS = [
  'decode', // the bytes are not a decodable JPEG/PNG
  'size', // too many pixels or bytes
  'predictions', // the prediction record that came with the frame is malformed
  'queue_full', // the camera's queue was full when the frame arrived
  'timestamp', // the frame's time is not usable (not finite, or out of order)
  'other',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export function rejectReason(reason: string): RejectReason {
  return (REJECT_REASONS as readonly string[]).includes(reason) ? (reason as RejectReason) : 'other';
}

/** The per-feature numbers of a check kept as gauges. */
export const FEATURE_STATISTICS = ['ks_d', 'chi_square', 'p_value', 'adjusted_p_value', 'effect'] as const;
export type FeatureStatistic = (typeof FEATURE_STATISTICS)[number];

/** Feature names a check can report: the catalogue's, and the predicted-class mix. */
export const METRIC_FEATURES: ReadonlySet<string> = new Set<string>([
  ...SCALAR_FEATURE_NAMES,
  ...HISTOGRAM_FEATURES.map((f) => f.name),
  PREDICTED_CLASS,
]);

export const CHECKPOINT_RESULTS = ['ok', 'error'] as const;
export type CheckpointResult = (typeof CHECKPOINT_RESULTS)[number];
