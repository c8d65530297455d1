// JPEG and PNG decoding for the edge path, with sharp (libvips with
// libjpeg-turbo and libspng, prebuilt for linux-x64 and linux-arm64). Embedded
// ICC profiles are ignored: drift is judged on the stored pixel values, which
// is what inference pipelines (OpenCV, PIL) feed their models.
//
// Baseline/extended sequential JPEGs go through driftwatch's WASM decoder
// (docs/decode.md), at full size too: it measured 0.66× sharp's time per
// 640×480 frame on one core. Reduced resolution (`scale` 2, 4, 8) uses its
// scaled IDCTs; PNGs and JPEGs it does not support (progressive, CMYK,
// 12-bit, ...) are decoded by sharp at full size and, when scaled, reduced
// by an s × s box average (decode-then-subsample).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Sharp } from 'sharp';
import type { PixelFormat } from '../src/frame-format.js';
import { JpegDecodeError, JpegUnsupportedError } from '../src/jpeg/jpeg-status.js';
import type { JpegDecoder, JpegScale } from '../src/jpeg/jpeg-decoder.js';
import { loadJpegDecoder } from './library.js';
import { boxSubsample } from '../src/box-subsample.js';
import { readFileReusing } from './reused-read.js';
import type { Kernels, FrameStats } from '../src/kernels.js';

export type DecodeScale = JpegScale;
export const DECODE_SCALES: readonly DecodeScale[] = [1, 2, 4, 8];

/** Which path produced the pixels: sharp at full size, the WASM decoder, or sharp then a box average. */
export type DecodePath = 'sharp' | 'wasm' | 'sharp-box';

export interface DecodedFrame {
  data: Uint8Array;
  width: number;
  height: number;
  format: PixelFormat;
  path?: DecodePath;
}

export interface DecodeOptions {
  /** Largest width × height accepted, checked from the header before decoding. Default 50,000,000. */
  maxPixels?: number;
  /**
   * Decode at 1/scale: output ceil(width / scale) × ceil(height / scale).
   * Default 1: full resolution.
   */
  scale?: DecodeScale;
  /** 'auto' (default): the WASM decoder for the JPEGs it supports, else sharp; 'sharp': always sharp. */
  decoder?: 'auto' | 'sharp';
}

export const DEFAULT_MAX_PIXELS = 50_000_000;

export class DecodeError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'DecodeError';
  }
}

function sniff(bytes: Uint8Array): 'jpeg' | 'png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  return undefined;
}

// libvips messages name the library ("VipsJpeg: ..."); keep the first line.
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim() || 'cannot decode';
}

let jpegDecoder: Promise<JpegDecoder> | undefined;
let sharpModule: Promise<typeof import('sharp')> | undefined;

// sharp (and libvips with it, ~30 MiB resident) is loaded at the first file
// that needs it: an agent fed only JPEGs the WASM decoder supports never does.
async function openWithSharp(bytes: Uint8Array): Promise<Sharp> {
  sharpModule ??= import('sharp');
  const { default: sharp } = await sharpModule;
  return sharp(bytes, { failOn: 'warning', limitInputPixels: false, ignoreIcc: true, sequentialRead: true });
}

function wasmDecoder(): Promise<JpegDecoder> {
  jpegDecoder ??= loadJpegDecoder();
  return jpegDecoder;
}

function checkDecodeScale(scale: unknown): DecodeScale {
  if (!DECODE_SCALES.includes(scale as DecodeScale)) throw new RangeError(`scale must be 1, 2, 4 or 8, got ${String(scale)}`);
  return scale as DecodeScale;
}

// The WASM path; undefined when the JPEG is valid but unsupported (fall back).
// With `lend`, the pixels are a view of the decoder's memory, not a copy.
function decodeJpegWasm(decoder: JpegDecoder, bytes: Uint8Array, file: string, scale: DecodeScale, maxPixels: number, lend: boolean): DecodedFrame | undefined {
  return onWasmDecoder(file, () => ({ ...decoder.decode(bytes, { scale, maxPixels, view: lend }), path: 'wasm' as const }));
}

// Runs `work` on the WASM decoder: undefined when the JPEG is valid but
// unsupported (fall back to sharp); its other errors become DecodeErrors.
function onWasmDecoder<T>(file: string, work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    if (error instanceof JpegUnsupportedError) return undefined;
    if (error instanceof JpegDecodeError) throw new DecodeError(file, `corrupt or truncated JPEG data (${error.message})`);
    if (error instanceof RangeError) throw new DecodeError(file, error.message);
    throw error;
  }
}

interface CheckedInput { maxPixels: number; scale: DecodeScale; kind: 'jpeg' | 'png' }

function checkInput(bytes: Uint8Array, file: string, options: DecodeOptions): CheckedInput {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const scale = checkDecodeScale(options.scale ?? 1);
  if (bytes.length === 0) throw new DecodeError(file, 'empty file');
  const kind = sniff(bytes);
  if (!kind) throw new DecodeError(file, 'not a JPEG or PNG image');
  return { maxPixels, scale, kind };
}

async function decodeThen<T>(bytes: Uint8Array, file: string, options: DecodeOptions, lend: boolean, use: (frame: DecodedFrame) => T): Promise<T> {
  const { maxPixels, scale, kind } = checkInput(bytes, file, options);
  if (kind === 'jpeg' && options.decoder !== 'sharp') {
    const decoder = await wasmDecoder();
    // No await between the decode and `use`: a lent view stays valid only until the decoder's next call.
    const frame = decodeJpegWasm(decoder, bytes, file, scale, maxPixels, lend);
    if (frame) return use(frame);
  }
  const full = await decodeSharp(bytes, file, kind, maxPixels);
  return use(scale === 1 ? full : { ...boxSubsample(full, scale), path: 'sharp-box' });
}

export function decodeImage(bytes: Uint8Array, file: string, options: DecodeOptions = {}): Promise<DecodedFrame> {
  return decodeThen(bytes, file, options, false, (frame) => frame);
}

/**
 * Decodes and hands the pixels to `use` in the same synchronous step,
 * resolving to what it returns. Pixels from the WASM decoder are lent, not
 * copied: valid only during `use`. measureImage measures the files the
 * fused path does not take this way, so no pixel buffer is allocated for
 * them either (docs/memory.md).
 */
export function withDecodedImage<T>(bytes: Uint8Array, file: string, options: DecodeOptions, use: (frame: DecodedFrame) => T): Promise<T> {
  return decodeThen(bytes, file, options, true, use);
}

async function decodeSharp(bytes: Uint8Array, file: string, kind: 'jpeg' | 'png', maxPixels: number): Promise<DecodedFrame> {
  const input = await openWithSharp(bytes);
  let meta: Awaited<ReturnType<typeof input.metadata>>;
  try {
    meta = await input.metadata();
  } catch (error) {
    throw new DecodeError(file, `corrupt ${kind.toUpperCase()} header (${reasonOf(error)})`);
  }
  const { width, height } = meta;
  if (!width || !height) throw new DecodeError(file, 'the header declares no image size');
  if (width * height > maxPixels) {
    throw new DecodeError(file, `declared size ${width}×${height} exceeds the limit of ${maxPixels} pixels; refusing to decode`);
  }
  const gray = (meta.channels ?? 3) <= 2;
  const pipeline = gray ? input.toColourspace('b-w') : input;
  try {
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const format: PixelFormat = info.channels === 1 ? 'gray' : info.channels === 3 ? 'rgb' : 'rgba';
    if (info.channels !== 1 && info.channels !== 3 && info.channels !== 4) {
      throw new Error(`unexpected ${info.channels} channels after decoding`);
    }
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, format, path: 'sharp' };
  } catch (error) {
    throw new DecodeError(file, `corrupt or truncated ${kind.toUpperCase()} data (${reasonOf(error)})`);
  }
}

function cannotRead(path: string, error: unknown): DecodeError {
  return new DecodeError(path, `cannot read file (${(error as NodeJS.ErrnoException).code ?? reasonOf(error)})`);
}

export async function decodeFile(path: string, options: DecodeOptions = {}): Promise<DecodedFrame> {
  let bytes: Uint8Array;
  try {
    // JPEGs decode on this thread in WASM: read them here too, since
    // fs/promises' four thread-pool round trips (open, stat, read, close)
    // cost more than the read itself on a one-core box.
    bytes = options.decoder === 'sharp' ? await readFile(path) : readFileSync(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
  return decodeImage(bytes, path, options);
}

/** A failure of the feature kernel itself, not of the frame: `cause` is what it threw. */
export class KernelFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'KernelFailure';
  }
}

function frameStatsOf(kernels: Kernels, frame: DecodedFrame, step: number): FrameStats {
  try {
    return kernels.frameStats(frame.data, { width: frame.width, height: frame.height, format: frame.format, step });
  } catch (error) {
    throw new KernelFailure(error);
  }
}

// A JPEG the WASM decoder supports, measured as it is decoded (JpegDecoder.measure:
// the features frameStats gives for its pixels, bit for bit, without the
// image); undefined when it must be decoded otherwise. The fused path runs the
// decoder's build of the kernel, so it is taken only when that is the build
// `kernels` is (SIMD or scalar) and the decoder has it.
function measureJpegWasm(decoder: JpegDecoder, kernels: Kernels, bytes: Uint8Array, file: string, input: CheckedInput, step: number): FrameStats | undefined {
  if (decoder.simd !== kernels.simd || !decoder.measures) {
    const frame = decodeJpegWasm(decoder, bytes, file, input.scale, input.maxPixels, true);
    return frame && frameStatsOf(kernels, frame, step);
  }
  return onWasmDecoder(file, () => decoder.measure(bytes, { scale: input.scale, maxPixels: input.maxPixels, step }));
}

/**
 * The frame statistics of one image at options.scale, sampled every
 * step-th pixel: a JPEG the WASM decoder supports in one pass (see
 * measureJpegWasm), anything else decoded and then measured. Frame problems
 * are thrown as DecodeError; the kernel's own failure as KernelFailure.
 */
export async function measureImage(bytes: Uint8Array, file: string, options: DecodeOptions, kernels: Kernels, step: number): Promise<FrameStats> {
  const input = checkInput(bytes, file, options);
  if (input.kind === 'jpeg' && options.decoder !== 'sharp') {
    const stats = measureJpegWasm(await wasmDecoder(), kernels, bytes, file, input, step);
    if (stats) return stats;
  }
  return withDecodedImage(bytes, file, options, (frame) => frameStatsOf(kernels, frame, step));
}

/**
 * measureImage for a file, the way replay measures each frame: a JPEG the
 * WASM decoder supports is read into a reused buffer and measured in the
 * same synchronous step, allocating nothing per frame but the statistics.
 */
export async function measureFile(path: string, options: DecodeOptions, kernels: Kernels, step: number): Promise<FrameStats> {
  if (options.decoder === 'sharp') {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw cannotRead(path, error);
    }
    return measureImage(bytes, path, options, kernels, step);
  }
  const decoder = await wasmDecoder();
  // From the read to the measurement nothing awaits: the next file reuses the buffer.
  let bytes: Uint8Array;
  try {
    bytes = readFileReusing(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
  const input = checkInput(bytes, path, options);
  const stats = input.kind === 'jpeg' ? measureJpegWasm(decoder, kernels, bytes, path, input, step) : undefined;
  if (stats) return stats;
  return measureImage(bytes.slice(), path, options, kernels, step);
}
