// Decoding a frame and computing its features, apart from the monitor, in
// the calling thread. (With a proxy: source, forwarding runs in a thread of
// its own, so a decode here never holds up an inference call.)
import type { Kernels, FrameStats } from '../../src/kernels.js';
import { measureImage, DecodeError, KernelFailure, type DecodeOptions } from '../decode.js';

export interface MeasureRequest {
  bytes: Uint8Array;
  /** Names the frame in messages (a file, a peer); never its content. */
  origin: string;
  decode: DecodeOptions;
  step: number;
  /** The caller keeps no reference to bytes (a measurer may take their memory). */
  handOver?: boolean;
}

export type Measured =
  | { ok: true; stats: FrameStats }
  | { ok: false; reason: 'decode' | 'size'; message: string };

export interface FrameMeasurer {
  measure(request: MeasureRequest): Promise<Measured>;
  close(): Promise<void>;
}

/** Decode + frameStats for one frame (measureImage); the frame's failures are returned, not thrown. */
export async function measureFrame(kernels: Kernels, request: MeasureRequest): Promise<Measured> {
  try {
    const stats = await measureImage(request.bytes, request.origin, request.decode, kernels, request.step);
    return { ok: true, stats };
  } catch (error) {
    if (error instanceof KernelFailure) throw error.cause; // the kernel's failure, not the frame's
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: error instanceof DecodeError && /exceeds the limit/.test(message) ? 'size' : 'decode', message };
  }
}

/** Measures in the calling thread. */
export class InProcessMeasurer implements FrameMeasurer {
  constructor(private readonly kernels: Kernels) {}
  measure(request: MeasureRequest): Promise<Measured> { return measureFrame(this.kernels, request); }
  async close(): Promise<void> { /* nothing held */ }
}
