// A thin class over one kernel instance. The host owns the memory layout:
// [heap base | output region | scratch | input pixels], grown only when a
// larger frame arrives, with typed-array views re-created after growth.
import { bytesPerPixel, type PixelFormat } from './frame-format.js';
import { FrameStatsLayout, globalValue, type FrameStats } from './frame-stats-layout.js';

export type { FrameStats } from './frame-stats-layout.js';

export interface FrameOptions {
  width: number;
  height: number;
  format: PixelFormat;
  /** Bytes from one row to the next; default width × bytes per pixel. */
  rowBytes?: number;
  /** Sample every step-th pixel of every step-th row; default 1 (all pixels). */
  step?: number;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  frameStats(src: number, width: number, height: number, format: number, rowBytes: number,
    step: number, scratch: number, out: number): number;
  frameScratchBytes(width: number, format: number, step: number): number;
  [name: string]: unknown;
}

const PAGE = 65536;
const MAX_PIXELS = 1 << 28; // 268 Mpx; larger frames are rejected, not attempted

function align16(n: number): number {
  return (n + 15) & ~15;
}

function checkDimension(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export class Kernels {
  readonly simd: boolean;
  private readonly exports: KernelExports;
  private readonly layout: FrameStatsLayout;
  private readonly base: number;
  private bytes!: Uint8Array;

  constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as KernelExports;
    this.simd = globalValue(this.exports, 'kernel module', 'SIMD_BUILD') === 1;
    this.layout = new FrameStatsLayout(this.exports, 'kernel module');
    this.base = align16(this.exports.heapBase());
    this.refreshViews();
  }

  private refreshViews(): void {
    this.bytes = new Uint8Array(this.exports.memory.buffer);
  }

  /** Grows linear memory to at least `needed` bytes; views are re-created. */
  private ensureMemory(needed: number): void {
    const have = this.exports.memory.buffer.byteLength;
    if (needed > have) {
      this.exports.memory.grow(Math.ceil((needed - have) / PAGE));
    }
    if (this.bytes.buffer !== this.exports.memory.buffer) this.refreshViews();
  }

  /**
   * A region of at least `bytes` bytes for kernels other than frameStats
   * (the statistics kernels). It starts at the heap base and overlaps the
   * frame regions, so it is valid only until the next kernel call; memory
   * grows when needed, so re-create views after calling this.
   */
  workspace(bytes: number): number {
    this.ensureMemory(this.base + bytes + 64);
    return this.base;
  }

  /** The kernel's linear memory (its buffer changes when memory grows). */
  get memory(): WebAssembly.Memory {
    return this.exports.memory;
  }

  /** An exported kernel function, for the wrappers in src/stats/. */
  exported<F extends (...args: never[]) => unknown>(name: string): F {
    const fn = this.exports[name];
    if (typeof fn !== 'function') {
      throw new TypeError(`kernel module does not export ${name}: is build/ from another driftwatch version?`);
    }
    return fn as F;
  }

  /** Current size of the kernel's linear memory in bytes. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  frameStats(pixels: Uint8Array | Uint8ClampedArray, options: FrameOptions): FrameStats {
    if (!(pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray)) {
      throw new TypeError('pixels must be a Uint8Array or Uint8ClampedArray');
    }
    if (options === null || typeof options !== 'object') throw new TypeError('options { width, height, format } are required');
    const width = checkDimension('width', options.width);
    const height = checkDimension('height', options.height);
    const bpp = bytesPerPixel(options.format);
    const step = checkDimension('step', options.step ?? 1);
    const rowBytes = checkDimension('rowBytes', options.rowBytes ?? width * bpp);
    if (rowBytes < width * bpp) throw new RangeError(`rowBytes ${rowBytes} is less than width × ${bpp} = ${width * bpp}`);
    if (width * height > MAX_PIXELS) throw new RangeError(`${width}×${height} exceeds the ${MAX_PIXELS}-pixel limit`);
    const inputBytes = rowBytes * (height - 1) + width * bpp;
    if (pixels.length < inputBytes) {
      throw new RangeError(`pixels holds ${pixels.length} bytes; a ${width}×${height} ${options.format} frame needs ${inputBytes}`);
    }

    const out = this.base;
    const scratch = align16(out + this.layout.outBytes);
    const input = align16(scratch + this.exports.frameScratchBytes(width, bpp, step));
    this.ensureMemory(input + inputBytes + 64);
    this.bytes.set(pixels.length === inputBytes ? pixels : pixels.subarray(0, inputBytes), input);
    const code = this.exports.frameStats(input, width, height, bpp, rowBytes, step, scratch, out);
    if (code !== 0) throw new RangeError(`frameStats rejected the frame (kernel error ${code})`);
    return this.layout.read(this.exports.memory.buffer, out, width, height);
  }
}
