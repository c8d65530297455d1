// Base photos, downscaled once to the camera's frame size plus a margin that
// the mount jitter moves the crop within. Blurred copies (for the blur drift)
// are made once per sigma with sharp: blurring the base and then shifting it
// by a sub-pixel amount equals shifting and then blurring, up to the bilinear
// resampling, and costs nothing per frame.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import sharp from 'sharp';

export const SAMPLES_DIR = fileURLToPath(new URL('../../samples/', import.meta.url));

/** An RGB image, 3 bytes per pixel, rows packed. */
export interface RgbImage {
  width: number;
  height: number;
  /** 8-bit values, or floats for a blend of two scenes. */
  data: Uint8Array | Float32Array;
}

/** Smallest Gaussian sigma libvips accepts; below it the photo is used unblurred. */
export const MIN_BLUR_SIGMA = 0.3;

const cache = new Map<string, Promise<RgbImage>>();

async function toRgb(pipeline: ReturnType<typeof sharp>): Promise<RgbImage> {
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return { width: info.width, height: info.height, data: new Uint8Array(data) };
  if (info.channels !== 1) throw new Error(`unexpected ${info.channels} channels`);
  const rgb = new Uint8Array(info.width * info.height * 3);
  for (let i = 0; i < data.length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = data[i];
  return { width: info.width, height: info.height, data: rgb };
}

/** The photo `samples/<file>` resized to cover width × height (centre crop), as RGB. */
export function basePhoto(file: string, width: number, height: number, blurSigma = 0): Promise<RgbImage> {
  const sigma = blurSigma < MIN_BLUR_SIGMA ? 0 : blurSigma;
  const key = `${file}|${width}x${height}|${sigma}`;
  let image = cache.get(key);
  if (!image) {
    image = sigma === 0
      ? toRgb(sharp(join(SAMPLES_DIR, file)).removeAlpha().resize(width, height, { fit: 'cover' }))
      : basePhoto(file, width, height).then((sharpImage) =>
        toRgb(sharp(sharpImage.data, { raw: { width, height, channels: 3 } }).blur(sigma)));
    cache.set(key, image);
  }
  return image;
}
