// The contract between frame sources and the agent: a source takes frames
// from the world (a folder, HTTP, a sidecar proxy, stdin) and offers them to a
// sink (the bounded queue); the agent settles each frame after handling it.

export interface IncomingFrame {
  /** Camera id ([A-Za-z0-9_.-]{1,64}); sources validate it. */
  camera: string;
  /** The encoded image, as received. */
  bytes: Uint8Array;
  /** The model's answer as parsed JSON, if supplied (validated later by the agent). */
  predictions?: unknown;
  /** Date.now() at receipt. */
  receivedAtMs: number;
  /** For logs and errors: file path, 'http 127.0.0.1:54321', 'stdin #12'; never payload content. */
  origin: string;
  /** The source keeps no reference to bytes: the agent may move them to its measuring thread instead of copying. */
  handedOver?: boolean;
  /** Called once by the agent after handling (dir source: delete/move the file). */
  settle?: (outcome: 'processed' | 'rejected' | 'dropped') => Promise<void>;
}

export type SettleOutcome = 'processed' | 'rejected' | 'dropped';

export interface FrameSink {
  /** false: dropped because full. A refused frame stays with the source; it is never settled. */
  offer(frame: IncomingFrame): boolean;
  /**
   * Asked before a frame is made, by a source for which making it costs
   * (the proxy's copy of a body): true when the camera's queue would refuse
   * any frame now. The frame is then counted as refused, as offer() would have.
   */
  refuseIfFull?(camera: string): boolean;
  /** A frame the source decided not to make because the agent is behind: counted as a refused offer. */
  countRefused?(camera: string): void;
}

export interface FrameSource {
  readonly kind: 'dir' | 'http' | 'proxy' | 'stdin';
  /** Resolves when running. */
  start(sink: FrameSink): Promise<void>;
  /** Stops taking frames; idempotent. */
  stop(): Promise<void>;
  readonly running: boolean;
}

export type SourceKind = FrameSource['kind'];

/**
 * A problem a running source met with one frame, a file or its input stream.
 * `reason` is a short stable key (also the counter name); `fatal` means the
 * source stopped taking frames because of it.
 */
export class SourceError extends Error {
  constructor(readonly origin: string, readonly reason: string, detail: string, readonly fatal = false) {
    super(`${origin}: ${detail}`);
    this.name = 'SourceError';
  }
}

export type SourceErrorHandler = (error: SourceError) => void;

export { isCameraId, checkCameraId } from './camera-id.js';
export { parseSourceSpec, SourceSpecError, type SourceSpec, type AfterPolicy } from './source-spec.js';
