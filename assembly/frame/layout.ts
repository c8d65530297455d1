// Output region layout. The host reads these exported globals instead of
// keeping its own copy of the offsets, so the layout lives in one place.

// Scalar features: f64 slots, catalogue v1 order.
export const feature_width: i32 = 0;
export const feature_height: i32 = 1;
export const feature_aspect_ratio: i32 = 2;
export const feature_luma_mean: i32 = 3;
export const feature_luma_std: i32 = 4;
export const feature_luma_p05: i32 = 5;
export const feature_luma_p50: i32 = 6;
export const feature_luma_p95: i32 = 7;
export const feature_luma_entropy: i32 = 8;
export const feature_dark_fraction: i32 = 9;
export const feature_bright_fraction: i32 = 10;
export const feature_r_mean: i32 = 11;
export const feature_g_mean: i32 = 12;
export const feature_b_mean: i32 = 13;
export const feature_saturation_mean: i32 = 14;
export const feature_saturation_std: i32 = 15;
export const feature_colorfulness: i32 = 16;
export const feature_sharpness: i32 = 17;
export const feature_edge_density: i32 = 18;
export const feature_gradient_mean: i32 = 19;
export const feature_noise_sigma: i32 = 20;
export const FEATURE_COUNT: i32 = 21;

export const LUMA_BINS: i32 = 256;
export const HUE_BINS: i32 = 36;

// Byte offsets inside the output region.
export const OUT_SCALARS: i32 = 0;
export const OUT_LUMA_HIST: i32 = 256; // u32 × 256
export const OUT_HUE_HIST: i32 = OUT_LUMA_HIST + 4 * LUMA_BINS; // u32 × 36
export const OUT_BYTES: i32 = OUT_HUE_HIST + 4 * 48;

// Pixel formats: bytes per pixel.
export const FORMAT_GRAY: i32 = 1;
export const FORMAT_RGB: i32 = 3;
export const FORMAT_RGBA: i32 = 4;

// Definitions that the feature catalogue documents.
export const DARK_MAX: i32 = 16; // dark_fraction counts Y <= 16
export const BRIGHT_MIN: i32 = 240; // bright_fraction counts Y >= 240
export const HUE_MIN_CHROMA: i32 = 16; // max-min below this: near-gray, no hue
export const EDGE_THRESHOLD: i32 = 100; // Sobel magnitude above this is an edge

// Error codes returned by frameStats.
export const ERR_NONE: i32 = 0;
export const ERR_BAD_SIZE: i32 = 1;
export const ERR_BAD_FORMAT: i32 = 2;
export const ERR_BAD_STRIDE: i32 = 3;

@inline export function setScalar(out: usize, index: i32, value: f64): void {
  store<f64>(out + OUT_SCALARS + (<usize>index << 3), value);
}

// 1 in the SIMD build, 0 in the scalar build.
export const SIMD_BUILD: i32 = ASC_FEATURE_SIMD ? 1 : 0;
