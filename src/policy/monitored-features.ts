// The features a camera's windows hold: the catalogue's scalar features,
// which every frame has, and the prediction features the baseline has a
// reference for, which a frame has only when its prediction defines them.
import type { Baseline } from '../baseline/baseline.js';
import { PREDICTION_FEATURE_NAMES, SCALAR_FEATURE_NAMES } from '../catalogue.js';

export function monitoredFeatures(baseline: Baseline): { features: string[]; optionalFeatures: string[] } {
  const predictions = PREDICTION_FEATURE_NAMES.filter((name) => baseline.predictionFeatures?.[name] !== undefined);
  return { features: [...SCALAR_FEATURE_NAMES, ...predictions], optionalFeatures: predictions };
}
