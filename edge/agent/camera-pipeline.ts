// One camera inside the agent: an encoded frame in, alert events out.
// Decoding, the feature kernel and the drift monitor run here, in that order;
// a frame that fails any step is rejected with a reason and changes nothing.
import type { Baseline } from '../../src/baseline/baseline.js';
import type { Kernels } from '../../src/kernels.js';
import type { AlertEvent } from '../../src/policy/alert-types.js';
import { DriftMonitor, type DriftMonitorOptions } from '../../src/policy/drift-monitor.js';
import type { DecodeOptions } from '../decode.js';
import { InProcessMeasurer, type FrameMeasurer } from './frame-measurer.js';
import type { RecordedTransition } from '../alerts/transition-record.js';

/** Why a frame was not used: a fixed set, so metrics labels stay bounded. */
export type RejectReason = 'decode' | 'size' | 'predictions' | 'monitor';
export const REJECT_REASONS: readonly RejectReason[] = ['decode', 'size', 'predictions', 'monitor'];

export interface CameraPipelineOptions {
  camera: string;
  baseline: Baseline;
  kernels: Kernels;
  /** Sample every step-th pixel of every step-th row (must match the baseline's). Default 1. */
  step?: number;
  decode?: DecodeOptions;
  /** Options for the monitor beyond camera and baseline. */
  monitor?: Omit<DriftMonitorOptions, 'camera' | 'baseline'>;
  /** A restored monitor (from a checkpoint) instead of a fresh one. */
  restored?: DriftMonitor;
  /** Where frames are decoded and measured (default: in this thread). */
  measurer?: FrameMeasurer;
  /** Per-frame features from the model's answer, merged into the frame's features (throws on a malformed answer). */
  predictionFeatures?: (predictions: unknown, frame: { width: number; height: number }) => Record<string, number>;
  /**
   * Journals a frame's alert events: called in the same turn as the check
   * that made them (so a checkpoint cannot be taken in between), its promise
   * handed on in the outcome.
   */
  record?: (events: AlertEvent[], monitor: DriftMonitor) => Promise<RecordedTransition>;
  /** Called with each frame the monitor's windows admitted (the MQTT summaries accumulate these). */
  onAdmitted?: (index: number, features: Readonly<Record<string, number>>) => void;
}

export type FrameOutcome =
  | {
    ok: true; index: number; events: AlertEvent[]; width: number; height: number;
    /** The events' journal record (when there are events and a journal). */
    recorded: Promise<RecordedTransition> | null;
    /** From the frame's arrival at the pipeline to the monitor's answer, decode included. */
    seconds: number;
    /** How long the monitor's check took, when this frame completed a check interval; else null. */
    checkSeconds: number | null;
  }
  | { ok: false; reason: RejectReason; message: string };

export interface PipelineFrame {
  bytes: Uint8Array;
  predictions?: unknown;
  /** Wall-clock ms of receipt. */
  receivedAtMs: number;
  /** Names the frame in messages (a file, a peer); never its content. */
  origin: string;
  /** Nothing else holds bytes: measuring may take them (a worker gets them moved, not copied). */
  handedOver?: boolean;
}

export class CameraPipeline {
  readonly camera: string;
  private current: DriftMonitor;
  private readonly measurer: FrameMeasurer;
  private readonly step: number;
  private readonly decode: DecodeOptions;
  private readonly predictionFeatures: CameraPipelineOptions['predictionFeatures'];
  private readonly onAdmitted: CameraPipelineOptions['onAdmitted'];
  private readonly record: CameraPipelineOptions['record'];
  private nextIndex: number;
  private lastTimeMs = -Infinity;
  private size: { width: number; height: number } | null = null;

  constructor(options: CameraPipelineOptions) {
    this.camera = options.camera;
    this.measurer = options.measurer ?? new InProcessMeasurer(options.kernels);
    this.step = options.step ?? 1;
    this.decode = options.decode ?? {};
    this.predictionFeatures = options.predictionFeatures;
    this.onAdmitted = options.onAdmitted;
    this.record = options.record;
    this.current = options.restored ?? new DriftMonitor({ ...options.monitor, camera: options.camera, baseline: options.baseline });
    // Frame numbers continue after a restart, so alert ids stay unique; past
    // the last check too, whose alert state the journal may have brought
    // forward beyond the checkpoint's windows.
    this.nextIndex = options.restored ? Math.max(options.restored.windows.frames.seen, (options.restored.lifecycle.lastFrame ?? -1) + 1) : 0;
  }

  /** The camera's drift monitor. */
  get monitor(): DriftMonitor { return this.current; }

  /**
   * Puts a new monitor in place (a re-baseline): the next frame goes to it.
   * Frame numbers go on, so alert ids stay unique.
   */
  replaceMonitor(monitor: DriftMonitor): void {
    if (monitor.camera !== this.camera) throw new RangeError(`a monitor of camera '${monitor.camera}' cannot replace camera '${this.camera}'s`);
    this.current = monitor;
  }

  /** Frames accepted so far (the next frame's index). */
  get frames(): number { return this.nextIndex; }

  async process(frame: PipelineFrame): Promise<FrameOutcome> {
    const started = performance.now();
    const measured = await this.measurer.measure({ bytes: frame.bytes, origin: frame.origin, decode: this.decode, step: this.step, handOver: frame.handedOver });
    if (!measured.ok) return measured;
    const { stats } = measured;
    const decoded = { width: stats.width, height: stats.height };
    // Box areas are fractions of the image the model saw, at its full size (a reduced decode is 1/scale of it).
    const scale = this.decode.scale ?? 1;
    const original = { width: decoded.width * scale, height: decoded.height * scale };
    // A camera's frame size is fixed: a different size is a reconfigured camera
    // or a stray image, and mixing sizes would blur every feature's distribution.
    if (this.size && (decoded.width !== this.size.width || decoded.height !== this.size.height)) {
      return { ok: false, reason: 'size', message: `${frame.origin}: ${decoded.width}×${decoded.height} differs from this camera's ${this.size.width}×${this.size.height}` };
    }
    let extra: Record<string, number> = {};
    if (frame.predictions !== undefined && this.predictionFeatures) {
      try {
        extra = this.predictionFeatures(frame.predictions, original);
      } catch (error) {
        return { ok: false, reason: 'predictions', message: `${frame.origin}: ${error instanceof Error ? error.message : String(error)}` };
      }
    }
    this.size ??= { width: decoded.width, height: decoded.height };
    // Wall clocks step back (NTP); the windows need time to move forward.
    const timeMs = Math.max(frame.receivedAtMs, this.lastTimeMs);
    this.lastTimeMs = timeMs;
    const index = this.nextIndex++;
    let events: AlertEvent[];
    const features = { ...stats.features, ...extra };
    const checksBefore = this.monitor.checks;
    const updateStarted = performance.now();
    try {
      events = this.monitor.update({ index, timeMs, features, histograms: stats.histograms });
    } catch (error) {
      return { ok: false, reason: 'monitor', message: `${frame.origin}: ${error instanceof Error ? error.message : String(error)}` };
    }
    const recorded = events.length > 0 && this.record ? this.record(events, this.monitor) : null;
    if (this.onAdmitted && this.monitor.windows.admitted) this.onAdmitted(index, features);
    const now = performance.now();
    const checkSeconds = this.monitor.checks > checksBefore ? (now - updateStarted) / 1000 : null;
    return { ok: true, index, events, recorded, width: decoded.width, height: decoded.height, seconds: (now - started) / 1000, checkSeconds };
  }
}
