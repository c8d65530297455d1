// A thin class over one instance of build/jpeg-*.wasm. Memory layout, owned
// by the host: [heap base | input bytes | planes (work) | output pixels],
// grown only when a larger image arrives; nothing is allocated per frame
// except the returned pixels (or none, with `view: true`).
import type { PixelFormat } from '../frame-format.js';
import { FrameStatsLayout, type FrameStats } from '../frame-stats-layout.js';
import { statusError } from './jpeg-status.js';

export type JpegScale = 1 | 2 | 4 | 8;
export const JPEG_SCALES: readonly JpegScale[] = [1, 2, 4, 8];

export interface JpegDecodeOptions {
  /** Output is ceil(width / scale) × ceil(height / scale), through scaled IDCTs. Default 1. */
  scale?: JpegScale;
  /** Pixel format; default 'gray' for one-component images, 'rgb' otherwise. */
  format?: PixelFormat;
  /** Refuse images whose header declares more pixels, before decoding. Default 50,000,000. */
  maxPixels?: number;
  /**
   * Return a view of the decoder's own memory instead of a copy: no allocation
   * per frame, but the pixels are valid only until the next call on this
   * decoder. Default false. (A fresh multi-megabyte copy per 1080p frame costs
   * about 20 ms in a Chromium worker, more than the decode itself.)
   */
  view?: boolean;
}

export interface JpegMeasureOptions {
  /** As for decode: the statistics are those of the 1/scale image. Default 1. */
  scale?: JpegScale;
  /** Sample every step-th pixel of every step-th row, as Kernels.frameStats. Default 1. */
  step?: number;
  /** As for decode. Default 50,000,000. */
  maxPixels?: number;
}

export interface JpegImage {
  data: Uint8Array;
  width: number;
  height: number;
  format: PixelFormat;
}

export interface JpegHeader {
  width: number;
  height: number;
  components: number;
}

interface JpegExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  jpegReadHeader(src: number, len: number): number;
  jpegWidth(): number;
  jpegHeight(): number;
  jpegComponents(): number;
  jpegWorkBytes(scale: number): number;
  jpegDecode(src: number, len: number, scale: number, channels: number, work: number, out: number): number;
  jpegMeasureScratchBytes(scale: number, step: number): number;
  jpegMeasure(src: number, len: number, scale: number, step: number, work: number, scratch: number, out: number): number;
  jpegErrorOffset(): number;
  SIMD_BUILD: WebAssembly.Global;
  [name: string]: unknown;
}

const PAGE = 65536;
const CHANNELS: Readonly<Record<PixelFormat, number>> = { gray: 1, rgb: 3, rgba: 4 };
export const DEFAULT_JPEG_MAX_PIXELS = 50_000_000;

function align16(n: number): number {
  return (n + 15) & ~15;
}

export function checkScale(scale: unknown): JpegScale {
  if (!JPEG_SCALES.includes(scale as JpegScale)) {
    throw new RangeError(`scale must be 1, 2, 4 or 8, got ${String(scale)}`);
  }
  return scale as JpegScale;
}

export class JpegDecoder {
  readonly simd: boolean;
  private readonly exports: JpegExports;
  private readonly base: number;
  // undefined for a build without the fused path (before jpegMeasure existed)
  private readonly layout: FrameStatsLayout | undefined;
  private bytes: Uint8Array;

  constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as JpegExports;
    for (const name of ['jpegReadHeader', 'jpegDecode', 'jpegWorkBytes', 'heapBase'] as const) {
      if (typeof this.exports[name] !== 'function') throw new TypeError(`JPEG module does not export ${name}: is build/ from another driftwatch version?`);
    }
    this.simd = this.exports.SIMD_BUILD.value === 1;
    this.base = align16(this.exports.heapBase());
    this.layout = typeof this.exports.jpegMeasure === 'function' ? new FrameStatsLayout(this.exports, 'JPEG module') : undefined;
    this.bytes = new Uint8Array(this.exports.memory.buffer);
  }

  /** Whether this build has measure() (every build of this version does). */
  get measures(): boolean {
    return this.layout !== undefined;
  }

  /** Current size of the decoder's linear memory in bytes. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  private ensureMemory(needed: number): void {
    const have = this.exports.memory.buffer.byteLength;
    if (needed > have) this.exports.memory.grow(Math.ceil((needed - have) / PAGE));
    if (this.bytes.buffer !== this.exports.memory.buffer) this.bytes = new Uint8Array(this.exports.memory.buffer);
  }

  private copyIn(jpeg: Uint8Array): number {
    if (!(jpeg instanceof Uint8Array)) throw new TypeError('jpeg must be a Uint8Array');
    this.ensureMemory(this.base + jpeg.length + 64);
    this.bytes.set(jpeg, this.base);
    return this.base;
  }

  /** Size and components from the markers before the first scan; throws for unsupported or corrupt headers. */
  readHeader(jpeg: Uint8Array): JpegHeader {
    const src = this.copyIn(jpeg);
    const status = this.exports.jpegReadHeader(src, jpeg.length);
    if (status !== 0) throw statusError(status, this.exports.jpegErrorOffset());
    return { width: this.exports.jpegWidth(), height: this.exports.jpegHeight(), components: this.exports.jpegComponents() };
  }

  private checkedHeader(jpeg: Uint8Array, maxPixels: number): JpegHeader {
    const header = this.readHeader(jpeg);
    if (header.width * header.height > maxPixels) {
      throw new RangeError(`declared size ${header.width}×${header.height} exceeds the limit of ${maxPixels} pixels; refusing to decode`);
    }
    return header;
  }

  // [input | planes (work) | from `out` on, the caller's], after readHeader.
  private planesAfter(jpeg: Uint8Array, scale: JpegScale, header: JpegHeader): { src: number; work: number; out: number } {
    const workBytes = this.exports.jpegWorkBytes(scale);
    if (workBytes < 0) throw new RangeError(`${header.width}×${header.height} is too large to decode in WebAssembly memory`);
    const src = this.base;
    const work = align16(src + jpeg.length);
    return { src, work, out: align16(work + workBytes) };
  }

  decode(jpeg: Uint8Array, options: JpegDecodeOptions = {}): JpegImage {
    const scale = checkScale(options.scale ?? 1);
    const header = this.checkedHeader(jpeg, options.maxPixels ?? DEFAULT_JPEG_MAX_PIXELS);
    const format = options.format ?? (header.components === 1 ? 'gray' : 'rgb');
    const channels = CHANNELS[format];
    if (channels === undefined) throw new TypeError(`format must be 'rgba', 'rgb' or 'gray', got ${JSON.stringify(format)}`);
    const width = Math.ceil(header.width / scale);
    const height = Math.ceil(header.height / scale);
    const { src, work, out } = this.planesAfter(jpeg, scale, header);
    const outBytes = width * height * channels;
    this.ensureMemory(out + outBytes + 64);
    const status = this.exports.jpegDecode(src, jpeg.length, scale, channels, work, out);
    if (status !== 0) throw statusError(status, this.exports.jpegErrorOffset());
    const data = options.view ? this.bytes.subarray(out, out + outBytes) : this.bytes.slice(out, out + outBytes);
    return { data, width, height, format };
  }

  /**
   * The frame statistics (Kernels.frameStats) of the image decode() would
   * return in its default format, gray or RGB, computed row by row as the
   * rows are decoded: the same features, bit for bit, without the image.
   * Same errors as decode().
   */
  measure(jpeg: Uint8Array, options: JpegMeasureOptions = {}): FrameStats {
    const layout = this.layout;
    if (!layout) throw new TypeError('JPEG module does not export jpegMeasure: is build/ from another driftwatch version?');
    const scale = checkScale(options.scale ?? 1);
    const step = options.step ?? 1;
    if (!Number.isInteger(step) || step < 1) throw new RangeError(`step must be a positive integer, got ${String(step)}`);
    const header = this.checkedHeader(jpeg, options.maxPixels ?? DEFAULT_JPEG_MAX_PIXELS);
    const { src, work, out: scratch } = this.planesAfter(jpeg, scale, header);
    const out = align16(scratch + this.exports.jpegMeasureScratchBytes(scale, step));
    this.ensureMemory(out + layout.outBytes + 64);
    const status = this.exports.jpegMeasure(src, jpeg.length, scale, step, work, scratch, out);
    if (status !== 0) throw statusError(status, this.exports.jpegErrorOffset());
    return layout.read(this.exports.memory.buffer, out, Math.ceil(header.width / scale), Math.ceil(header.height / scale));
  }
}
