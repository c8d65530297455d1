// Decoding a frame and computing its features, apart from the monitor: in
// the calling thread (replay, tests) or in a worker thread (the agent), so
// that a sidecar proxy's forwarding never waits behind a decode.
import { Worker } from 'node:worker_threads';
import type { Kernels, FrameStats } from '../../src/kernels.js';
import { withDecodedImage, DecodeError, type DecodeOptions } from '../decode.js';
import { v8Flags } from '../v8-flags.js';

export interface MeasureRequest {
  bytes: Uint8Array;
  /** Names the frame in messages (a file, a peer); never its content. */
  origin: string;
  decode: DecodeOptions;
  step: number;
  /**
   * The caller keeps no reference to bytes: a worker measurer may take their
   * memory (transfer, not copy), leaving the caller's view empty.
   */
  handOver?: boolean;
}

export type Measured =
  | { ok: true; stats: FrameStats }
  | { ok: false; reason: 'decode' | 'size'; message: string };

export interface FrameMeasurer {
  measure(request: MeasureRequest): Promise<Measured>;
  close(): Promise<void>;
}

/** Decode + frameStats for one frame; failures are returned, not thrown. */
export async function measureFrame(kernels: Kernels, request: MeasureRequest): Promise<Measured> {
  // frameStats copies the pixels into the kernels' memory, so the decoder's may be lent.
  let decoded = false;
  try {
    const stats = await withDecodedImage(request.bytes, request.origin, request.decode, (frame) => {
      decoded = true;
      return kernels.frameStats(frame.data, { width: frame.width, height: frame.height, format: frame.format, step: request.step });
    });
    return { ok: true, stats };
  } catch (error) {
    if (decoded) throw error; // the kernel's failure, not the frame's
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

interface Pending { resolve: (m: Measured) => void; reject: (e: Error) => void }

/**
 * Measures in one worker thread (edge/agent/measure-worker.js), frames in
 * the order given. The image bytes are copied to the worker, or moved when
 * handed over; the histograms come back transferred. A worker that dies
 * fails the frames in flight and is replaced on the next frame.
 */
export class WorkerMeasurer implements FrameMeasurer {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  private start(): Worker {
    // Starting a worker undoes the agent's V8 flags: it sets them again (v8-flags.ts).
    const worker = new Worker(new URL('./measure-worker.js', import.meta.url), { workerData: { v8Flags: v8Flags() } });
    worker.on('message', (reply: { id: number; measured: Measured }) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiting?.resolve(reply.measured);
    });
    const fail = (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      if (this.worker === worker) this.worker = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the measuring worker exited with code ${code}`)));
    return worker;
  }

  measure(request: MeasureRequest): Promise<Measured> {
    if (this.closed) return Promise.reject(new Error('the measurer is closed'));
    this.worker ??= this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, request }, request.handOver ? transferable(request.bytes) : []);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}

/** The buffer behind bytes when they are all of it (never a pooled or shared buffer other views use). */
function transferable(bytes: Uint8Array): ArrayBuffer[] {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}
