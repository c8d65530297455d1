// The per-frame pixel loop: a bilinear sample of the scene at a sub-pixel
// offset (mount jitter), an optional cross-fade to a second scene, the
// occluder, exposure and white-balance gains, and sensor noise, rounded and
// clipped to 8 bits. Plain typed arrays; the common case is one fused pass.
import { gaussianTable, NOISE_TABLE_MASK } from './gaussian-table.js';
import type { RgbImage } from './photo.js';

export interface FrameRecipe {
  scene: RgbImage;
  /** Faded in with weight `mix` (scene change); same size as `scene`. */
  second?: RgbImage;
  mix: number;
  width: number;
  height: number;
  /** Crop origin in the scene, in pixels, fractional (margin + jitter). */
  originX: number;
  originY: number;
  redGain: number;
  greenGain: number;
  blueGain: number;
  noiseSigma: number;
  /** Where this frame starts reading the Gaussian table. */
  noiseOffset: number;
  /** Occluder over the lower-left corner, in pixels, and its level. */
  occluderWidth: number;
  occluderHeight: number;
  occluderLevel: number;
}

/** Writes width × height RGB pixels into `out` (a clamped view: rounding and clipping are the store's). */
export function renderFrame(recipe: FrameRecipe, out: Uint8ClampedArray, outOffset: number): void {
  const { scene, second, width, height } = recipe;
  const ox = Math.floor(recipe.originX), oy = Math.floor(recipe.originY);
  const fx = recipe.originX - ox, fy = recipe.originY - oy;
  if (ox < 0 || oy < 0 || ox + width + 1 > scene.width || oy + height + 1 > scene.height) {
    throw new RangeError(`crop at (${recipe.originX}, ${recipe.originY}) leaves the ${scene.width}×${scene.height} scene`);
  }
  const weights: Weights = [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy];
  const scene2 = second && recipe.mix !== 0 ? blendScenes(scene, second, recipe.mix) : scene;
  drawLight(scene2, ox, oy, weights, recipe, out, outOffset);
  if (recipe.occluderWidth > 0) drawOccluder(recipe, out, outOffset);
}

type Weights = [number, number, number, number];

/** The cross-faded scene (1 − mix) a + mix b; drawn only during a gradual scene change. */
function blendScenes(a: RgbImage, b: RgbImage, mix: number): RgbImage {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError('scenes to blend differ in size');
  const data = new Float32Array(a.data.length);
  for (let i = 0; i < data.length; i++) data[i] = a.data[i] + mix * (b.data[i] - a.data[i]);
  return { width: a.width, height: a.height, data };
}

/** Bilinear sample at fixed fractional weights, gains and noise, fused in one pass (~1.5 ms at 320×240). */
function drawLight(scene: RgbImage, ox: number, oy: number, [w00, w01, w10, w11]: Weights,
  recipe: FrameRecipe, out: Uint8ClampedArray, outOffset: number): void {
  const { width, height, redGain, greenGain, blueGain, noiseSigma: sigma } = recipe;
  const a = scene.data, stride = scene.width * 3, noise = gaussianTable();
  let o = outOffset, n = recipe.noiseOffset;
  for (let y = 0; y < height; y++) {
    let s = (oy + y) * stride + ox * 3;
    for (let x = 0; x < width; x++, s += 3, o += 3, n += 3) {
      const t = s + stride;
      out[o] = (w00 * a[s] + w01 * a[s + 3] + w10 * a[t] + w11 * a[t + 3]) * redGain + sigma * noise[n & NOISE_TABLE_MASK];
      out[o + 1] = (w00 * a[s + 1] + w01 * a[s + 4] + w10 * a[t + 1] + w11 * a[t + 4]) * greenGain + sigma * noise[(n + 1) & NOISE_TABLE_MASK];
      out[o + 2] = (w00 * a[s + 2] + w01 * a[s + 5] + w10 * a[t + 2] + w11 * a[t + 5]) * blueGain + sigma * noise[(n + 2) & NOISE_TABLE_MASK];
    }
  }
}

/** Redraws the lower-left occluder: a flat object lit by the same exposure, under the same noise. */
function drawOccluder(recipe: FrameRecipe, out: Uint8ClampedArray, outOffset: number): void {
  const { width, height, occluderLevel: level, noiseSigma: sigma } = recipe;
  const gains = [recipe.redGain, recipe.greenGain, recipe.blueGain];
  const noise = gaussianTable();
  for (let y = height - recipe.occluderHeight; y < height; y++) {
    for (let x = 0; x < recipe.occluderWidth; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        out[outOffset + i] = level * gains[c] + sigma * noise[(recipe.noiseOffset + i) & NOISE_TABLE_MASK];
      }
    }
  }
}
