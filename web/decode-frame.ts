// Decoding one image in the worker, to the pixels Node's `decodeFile` gives at
// the baseline's decode scale: JPEGs through driftwatch's WASM decoder (what
// Node uses for the JPEGs it supports, scaled IDCTs included), PNGs through
// createImageBitmap and an OffscreenCanvas (PNG is lossless: the same pixels
// as libspng), then Node's s × s box average when scaled. No colour management.
import { JpegDecodeError, JpegUnsupportedError } from '../src/jpeg/jpeg-status.js';
import type { JpegDecoder, JpegScale } from '../src/jpeg/jpeg-decoder.js';
import type { PixelFormat } from '../src/frame-format.js';
import type { FrameStats, Kernels } from '../src/kernels.js';
import { boxSubsample } from '../src/box-subsample.js';

export interface Pixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  format: PixelFormat;
  decoder: 'wasm' | 'bitmap';
}

export const MAX_PIXELS = 50_000_000;

export function sniff(bytes: Uint8Array): 'jpeg' | 'png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  return undefined;
}

// The decoder's errors as the page words them.
function onJpegDecoder<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof JpegUnsupportedError) {
      throw new Error(`a JPEG the WASM decoder does not support (${error.message}); the review page decodes baseline and extended sequential JPEGs only, run \`driftwatch features\` in Node for this file`);
    }
    if (error instanceof JpegDecodeError) throw new Error(`corrupt or truncated JPEG data (${error.message})`);
    throw error;
  }
}

// The pixels are a view of the decoder's memory (no 6 MB allocation per 1080p
// frame): valid until the decoder's next call, so use them before decoding again.
function decodeJpeg(bytes: Uint8Array, decoder: JpegDecoder, scale: JpegScale): Pixels {
  return onJpegDecoder(() => ({ ...decoder.decode(bytes, { scale, maxPixels: MAX_PIXELS, view: true }), decoder: 'wasm' }));
}

async function decodePng(bytes: Uint8Array): Promise<Pixels> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new Error('corrupt or truncated PNG data (the browser cannot decode it)');
  }
  const { width, height } = bitmap;
  if (width * height > MAX_PIXELS) {
    bitmap.close();
    throw new Error(`declared size ${width}×${height} exceeds the limit of ${MAX_PIXELS} pixels; refusing to decode`);
  }
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { colorSpace: 'srgb', willReadFrequently: true });
  if (!context) throw new Error('no 2D context for an OffscreenCanvas in this browser');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const image = context.getImageData(0, 0, width, height);
  return { data: image.data, width, height, format: 'rgba', decoder: 'bitmap' };
}

/** JPEG pixels are valid only until the next decodeFrame call with the same decoder (see decodeJpeg). */
export async function decodeFrame(bytes: Uint8Array, decoder: JpegDecoder, scale: JpegScale = 1): Promise<Pixels> {
  if (bytes.length === 0) throw new Error('empty file');
  const kind = sniff(bytes);
  if (kind === 'jpeg') return decodeJpeg(bytes, decoder, scale);
  if (kind !== 'png') throw new Error('not a JPEG or PNG image');
  const full = await decodePng(bytes);
  if (scale === 1) return full;
  const data = new Uint8Array(full.data.buffer, full.data.byteOffset, full.data.byteLength);
  return { ...boxSubsample({ data, width: full.width, height: full.height, format: full.format }, scale), decoder: 'bitmap' };
}

export interface MeasuredFrame {
  stats: FrameStats;
  decoder: Pixels['decoder'];
  /** True when decoding and measuring were one pass (JpegDecoder.measure), so there is no separate features time. */
  fused: boolean;
}

/**
 * The frame statistics of one image at 1/scale, every step-th pixel: a JPEG
 * measured as the WASM decoder decodes it (the features frameStats gives for
 * its pixels, bit for bit, without writing the image) when the decoder and
 * the kernels are the same build, as in Node's measureImage; anything else
 * decoded, then measured by the kernels. `decoded` is called between the two
 * steps (for the page's phase timing).
 */
export async function measureFrame(bytes: Uint8Array, decoder: JpegDecoder, kernels: Kernels, step: number, scale: JpegScale, decoded: () => void = () => {}): Promise<MeasuredFrame> {
  if (bytes.length === 0) throw new Error('empty file');
  if (sniff(bytes) === 'jpeg' && decoder.measures && decoder.simd === kernels.simd) {
    return { stats: onJpegDecoder(() => decoder.measure(bytes, { scale, maxPixels: MAX_PIXELS, step })), decoder: 'wasm', fused: true };
  }
  const pixels = await decodeFrame(bytes, decoder, scale);
  decoded();
  const stats = kernels.frameStats(pixels.data, { width: pixels.width, height: pixels.height, format: pixels.format, step });
  return { stats, decoder: pixels.decoder, fused: false };
}
