// The decode-then-subsample fallback (docs/decode.md): a full-size frame
// reduced by the mean of each s × s block, rounded to nearest; blocks cut by
// the right or bottom edge average the pixels they have. The output is
// ceil(width / s) × ceil(height / s), like the DCT-scaled JPEG path.
import { bytesPerPixel, type PixelFormat } from './frame-format.js';

export interface PixelFrame {
  data: Uint8Array;
  width: number;
  height: number;
  format: PixelFormat;
}

export function boxSubsample(frame: PixelFrame, scale: number): PixelFrame {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got ${scale}`);
  if (scale === 1) return frame;
  const { width, height, data } = frame;
  const channels = bytesPerPixel(frame.format);
  const outWidth = Math.ceil(width / scale);
  const outHeight = Math.ceil(height / scale);
  const out = new Uint8Array(outWidth * outHeight * channels);
  const sums = new Uint32Array(outWidth * channels);
  for (let oy = 0; oy < outHeight; oy++) {
    sums.fill(0);
    const y0 = oy * scale;
    const y1 = Math.min(height, y0 + scale);
    for (let y = y0; y < y1; y++) {
      const row = y * width * channels;
      for (let ox = 0; ox < outWidth; ox++) {
        const from = row + ox * scale * channels;
        const to = row + Math.min(width, (ox + 1) * scale) * channels;
        const o = ox * channels;
        for (let i = from; i < to; i += channels) {
          for (let c = 0; c < channels; c++) sums[o + c] += data[i + c];
        }
      }
    }
    const rows = y1 - y0;
    for (let ox = 0; ox < outWidth; ox++) {
      const count = rows * (Math.min(width, (ox + 1) * scale) - ox * scale);
      for (let c = 0; c < channels; c++) {
        const k = ox * channels + c;
        out[(oy * outWidth) * channels + k] = Math.floor((sums[k] + count / 2) / count);
      }
    }
  }
  return { data: out, width: outWidth, height: outHeight, format: frame.format };
}
