// The feature patterns the probable-cause rules compare findings with
// (docs/causes.md). 'up'/'down': the direction the cause moves the feature;
// 'any': the cause may move it either way. A feature a signature does not
// list is one the cause does not explain.
import type { FindingDirection } from './finding.js';

export type CauseLabel =
  | 'low-light' | 'overexposure' | 'blur' | 'noise' | 'colour-cast'
  | 'occlusion' | 'scene-change' | 'model-uncertainty' | 'unknown';

export type Expected = FindingDirection | 'any';
export type Signature = Readonly<Record<string, Expected>>;

export type FeatureGroup = 'geometry' | 'luma' | 'colour' | 'detail' | 'noise' | 'prediction';

export const FEATURE_GROUPS: Readonly<Record<string, FeatureGroup>> = {
  width: 'geometry', height: 'geometry', aspect_ratio: 'geometry',
  luma_mean: 'luma', luma_std: 'luma', luma_p05: 'luma', luma_p50: 'luma', luma_p95: 'luma',
  luma_entropy: 'luma', dark_fraction: 'luma', bright_fraction: 'luma', luma: 'luma',
  r_mean: 'colour', g_mean: 'colour', b_mean: 'colour', saturation_mean: 'colour',
  saturation_std: 'colour', colorfulness: 'colour', hue: 'colour',
  sharpness: 'detail', edge_density: 'detail', gradient_mean: 'detail',
  noise_sigma: 'noise',
  predicted_class: 'prediction',
};

/** The group of a feature; names starting `pred_` are prediction statistics. */
export function groupOf(feature: string): FeatureGroup | undefined {
  return feature.startsWith('pred_') ? 'prediction' : FEATURE_GROUPS[feature];
}

const CHANNELS_DOWN = { r_mean: 'down', g_mean: 'down', b_mean: 'down' } as const;
const CHANNELS_UP = { r_mean: 'up', g_mean: 'up', b_mean: 'up' } as const;
const CHANNELS_ANY = { r_mean: 'any', g_mean: 'any', b_mean: 'any' } as const;

export const SIGNATURES: Readonly<Record<'low-light' | 'overexposure' | 'blur' | 'noise' | 'colour-cast' | 'occlusion', Signature>> = {
  // Less light scales every level down: contrast, gradients and colourfulness shrink with it.
  'low-light': {
    luma_mean: 'down', luma_p05: 'down', luma_p50: 'down', luma_p95: 'down', luma_std: 'down', luma_entropy: 'down',
    dark_fraction: 'up', bright_fraction: 'down', ...CHANNELS_DOWN, colorfulness: 'down',
    saturation_mean: 'any', saturation_std: 'any', sharpness: 'down', edge_density: 'down', gradient_mean: 'down',
    noise_sigma: 'any', // auto-gain may raise it
  },
  // More light lifts every level and clips highlights, washing colour out.
  overexposure: {
    luma_mean: 'up', luma_p05: 'up', luma_p50: 'up', luma_p95: 'up', bright_fraction: 'up', dark_fraction: 'down',
    ...CHANNELS_UP, saturation_mean: 'down', saturation_std: 'any', colorfulness: 'any', luma_std: 'any',
    luma_entropy: 'any', sharpness: 'any', edge_density: 'any', gradient_mean: 'any', noise_sigma: 'any',
  },
  // Defocus and fog remove high frequencies; fog also lifts and flattens levels and greys colours.
  blur: {
    sharpness: 'down', edge_density: 'down', gradient_mean: 'down', noise_sigma: 'down', luma_std: 'down',
    luma_entropy: 'any', luma_p05: 'up', luma_p95: 'down', luma_p50: 'any', dark_fraction: 'down', bright_fraction: 'down',
    colorfulness: 'down', saturation_mean: 'down', saturation_std: 'down', luma_mean: 'up', ...CHANNELS_UP,
  },
  // Sensor noise adds pixel-level variance everywhere, which the detail measures read as texture.
  noise: {
    noise_sigma: 'up', sharpness: 'up', gradient_mean: 'up', edge_density: 'up', luma_std: 'up', luma_entropy: 'up',
    colorfulness: 'up', saturation_mean: 'any', saturation_std: 'any', dark_fraction: 'any', bright_fraction: 'any',
    // Clipping at 0 and 255 moves levels near either end: up in a dark scene, down in a bright one.
    luma_p05: 'any', luma_p95: 'any', luma_mean: 'any', luma_p50: 'any', ...CHANNELS_ANY,
  },
  // White balance moves the channels apart; luma changes little.
  'colour-cast': {
    ...CHANNELS_ANY, saturation_mean: 'any', saturation_std: 'any', colorfulness: 'any', luma_mean: 'any', luma_p50: 'any',
  },
  // A blocked part of the view: levels and spread change, and the blocked part has no edges.
  occlusion: {
    dark_fraction: 'any', bright_fraction: 'any', luma_std: 'any', luma_entropy: 'any', luma_mean: 'any',
    luma_p05: 'any', luma_p50: 'any', luma_p95: 'any', edge_density: 'down', gradient_mean: 'down', sharpness: 'down',
    noise_sigma: 'down', ...CHANNELS_ANY, colorfulness: 'any', saturation_mean: 'any', saturation_std: 'any',
  },
};
