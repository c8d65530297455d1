// What the page and the review worker say to each other (structured clone:
// numbers cross exactly, so features stay bit-identical to Node's).

/** One frame to process: a File picked or dropped, or a URL of the folder `driftwatch review` serves. */
export interface FrameSource {
  name: string;
  file?: File;
  url?: string;
}

export interface StartMessage {
  type: 'start';
  sources: FrameSource[];
  /** The baseline file's bytes (.dwb), or null to compute features only. */
  baseline: ArrayBuffer | null;
  camera: string;
  fps: number;
}

export type ToWorker = StartMessage;

export interface FrameResult {
  type: 'frame';
  index: number;
  name: string;
  width: number;
  height: number;
  /** 'wasm' (driftwatch's JPEG decoder) or 'bitmap' (createImageBitmap, PNG). */
  decoder: 'wasm' | 'bitmap';
  features: Record<string, number>;
  histograms: { luma: number[]; hue: number[] };
}

export interface FrameError {
  type: 'frame-error';
  index: number;
  name: string;
  message: string;
}

/** One alert transition or cause revision, as `driftwatch replay --json` reports it. */
export interface AlertRow {
  frame: number;
  state: string;
  cause: string;
  causeRevised: boolean;
  id: string;
  camera: string;
  startFrame: number;
  features: string[];
}

export interface CheckRow {
  feature: string;
  kind: string;
  statistic: number;
  pvalue: number | null;
  adjustedPvalue: number | null;
  effect: number;
  significant: boolean;
}

export interface CheckResultMessage {
  type: 'check';
  frame: number;
  drift: boolean;
  tests: CheckRow[];
}

/** One feature's current window against the baseline, as ECDF points. */
export interface EcdfSeries {
  feature: string;
  x: number[];
  window: number[];
  /** The baseline sketch's CDF at x; null without a baseline. */
  baseline: number[] | null;
}

export interface Snapshot {
  type: 'snapshot';
  frame: number;
  ecdf: EcdfSeries[];
  /** The window's histograms and the baseline's, each normalised to sum 1. */
  histograms: Record<'luma' | 'hue', { window: number[]; baseline: number[] | null }>;
}

export interface Progress { type: 'progress'; done: number; total: number }
export interface Ready { type: 'ready'; simd: boolean; baseline: string | null }
export interface Done { type: 'done'; frames: number; processed: number; rejected: number; checks: number; seconds: number }
export interface Fatal { type: 'fatal'; message: string }

// report: thumbnails of the frames around alert transitions (web/thumbnails.ts)
import type { ThumbnailMessage } from './thumbnails.js';
import type { TimingMessage } from './report-timing.js';

export type FromWorker = FrameResult | FrameError | { type: 'alert'; alert: AlertRow } | CheckResultMessage | Snapshot | Progress | Ready | Done | Fatal
  | ThumbnailMessage | TimingMessage; // report
