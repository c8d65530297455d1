// Feature catalogue v1: the stable names, units and kinds of everything
// frameStats computes, and of the features derived from predictions. The exact definitions are in docs/features.md; the
// positions in the kernel's output come from the kernel's own exports.

export const CATALOGUE_VERSION = 1;

export type FeatureKind = 'continuous' | 'histogram' | 'categorical';

export interface FeatureInfo {
  readonly name: string;
  readonly unit: string;
  readonly kind: FeatureKind;
  readonly summary: string;
}

export const SCALAR_FEATURES = [
  { name: 'width', unit: 'px', kind: 'continuous', summary: 'frame width as given' },
  { name: 'height', unit: 'px', kind: 'continuous', summary: 'frame height as given' },
  { name: 'aspect_ratio', unit: 'ratio', kind: 'continuous', summary: 'width / height' },
  { name: 'luma_mean', unit: 'level (0-255)', kind: 'continuous', summary: 'mean of Y' },
  { name: 'luma_std', unit: 'level (0-255)', kind: 'continuous', summary: 'population standard deviation of Y' },
  { name: 'luma_p05', unit: 'level (0-255)', kind: 'continuous', summary: '5th percentile of Y (inverted CDF)' },
  { name: 'luma_p50', unit: 'level (0-255)', kind: 'continuous', summary: 'median of Y (inverted CDF)' },
  { name: 'luma_p95', unit: 'level (0-255)', kind: 'continuous', summary: '95th percentile of Y (inverted CDF)' },
  { name: 'luma_entropy', unit: 'bits', kind: 'continuous', summary: 'Shannon entropy of the 256-bin luma histogram' },
  { name: 'dark_fraction', unit: 'fraction', kind: 'continuous', summary: 'share of pixels with Y <= 16' },
  { name: 'bright_fraction', unit: 'fraction', kind: 'continuous', summary: 'share of pixels with Y >= 240' },
  { name: 'r_mean', unit: 'level (0-255)', kind: 'continuous', summary: 'mean of R' },
  { name: 'g_mean', unit: 'level (0-255)', kind: 'continuous', summary: 'mean of G' },
  { name: 'b_mean', unit: 'level (0-255)', kind: 'continuous', summary: 'mean of B' },
  { name: 'saturation_mean', unit: 'fraction', kind: 'continuous', summary: 'mean 8-bit HSV saturation round(255 (max-min)/max), over 255' },
  { name: 'saturation_std', unit: 'fraction', kind: 'continuous', summary: 'population standard deviation of the 8-bit HSV saturation, over 255' },
  { name: 'colorfulness', unit: 'level (0-255)', kind: 'continuous', summary: 'Hasler & Süsstrunk colourfulness' },
  { name: 'sharpness', unit: 'level²', kind: 'continuous', summary: 'population variance of the 4-neighbour Laplacian of Y' },
  { name: 'edge_density', unit: 'fraction', kind: 'continuous', summary: 'share of interior pixels with Sobel magnitude > 100' },
  { name: 'gradient_mean', unit: 'level', kind: 'continuous', summary: 'mean Sobel gradient magnitude of Y' },
  { name: 'noise_sigma', unit: 'level (0-255)', kind: 'continuous', summary: "Immerkær's noise standard deviation estimate" },
] as const satisfies readonly FeatureInfo[];

export type ScalarFeatureName = (typeof SCALAR_FEATURES)[number]['name'];

export const HISTOGRAM_FEATURES = [
  { name: 'luma', unit: 'pixel count', kind: 'histogram', bins: 256, summary: 'count of pixels per luma level 0..255' },
  { name: 'hue', unit: 'pixel count', kind: 'histogram', bins: 36, summary: 'count of pixels per 10° of HSV hue; near-gray pixels (max-min < 16) are not counted' },
] as const;

export type HistogramName = (typeof HISTOGRAM_FEATURES)[number]['name'];

export const SCALAR_FEATURE_NAMES: readonly ScalarFeatureName[] = SCALAR_FEATURES.map((f) => f.name);

// Derived from the model's answers, not the pixels (docs/predictions.md): an
// optional addition to catalogue v1. A frame has the ones its prediction's
// shape defines; a baseline holds the ones its reference predictions had.
export const PREDICTION_FEATURES = [
  { name: 'pred_top1_confidence', unit: 'score', kind: 'continuous', summary: 'classifier: the highest class score as given' },
  { name: 'pred_margin', unit: 'score', kind: 'continuous', summary: 'classifier: highest minus second-highest class score' },
  { name: 'pred_entropy', unit: 'bits', kind: 'continuous', summary: 'classifier: Shannon entropy of the class scores normalized to sum 1 (top-k: of the k given)' },
  { name: 'pred_detections', unit: 'count', kind: 'continuous', summary: 'detector: detections with score >= the threshold' },
  { name: 'pred_mean_score', unit: 'score', kind: 'continuous', summary: 'detector: mean score of the counted detections' },
  { name: 'pred_mean_box_area', unit: 'fraction', kind: 'continuous', summary: 'detector: mean box area of the counted detections over the frame area' },
] as const satisfies readonly FeatureInfo[];

export type PredictionFeatureName = (typeof PREDICTION_FEATURES)[number]['name'];

export const PREDICTION_FEATURE_NAMES: readonly PredictionFeatureName[] = PREDICTION_FEATURES.map((f) => f.name);

export function isPredictionFeature(name: string): name is PredictionFeatureName {
  return (PREDICTION_FEATURE_NAMES as readonly string[]).includes(name);
}
