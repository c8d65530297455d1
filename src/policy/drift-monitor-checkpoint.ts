// The shape of a drift monitor's checkpoint and the checks of its own
// fields; DriftMonitor.toJSON/fromJSON (drift-monitor.ts) use them.
import type { Baseline } from '../baseline/baseline.js';
import { HISTOGRAM_FEATURES, type HistogramName } from '../catalogue.js';
import { CheckpointFormatError, firstDifference, type Fields } from '../codec/checkpoint-fields.js';
import type { CameraWindowsJSON } from '../window/camera-windows.js';
import type { AlertLifecycle } from './alert-lifecycle.js';
import type { DriftMonitorConfig } from './drift-monitor.js';
import type { SequentialBankJSON } from './sequential-bank.js';

export interface DriftMonitorJSON {
  type: 'drift-monitor';
  version: 1;
  camera: string;
  baselineDigest: string | null;
  options: DriftMonitorConfig;
  state: {
    windows: CameraWindowsJSON;
    lifecycle: ReturnType<AlertLifecycle['toJSON']>;
    /** τ in use (after tauSafety), null until measured. */
    taus: Record<string, number> | null;
    sequential: SequentialBankJSON | null;
    /** Histograms summed since the last check, null when none arrived. */
    histogramSums: Partial<Record<HistogramName, number[]>> | null;
    sinceCheck: number;
    checkCount: number;
  };
}

/** What a checkpoint is restored against: the baseline, and optionally the camera and options the agent is configured with. */
export interface DriftMonitorContext {
  baseline: Baseline;
  /** When given, the checkpoint must be this camera's. */
  camera?: string;
  /** When given, the checkpoint's options must equal these (a changed configuration starts fresh). */
  options?: DriftMonitorConfig;
}

/** The τ of a checkpoint: null, or a finite τ >= 1 for every feature. */
export function readTaus(state: Fields, features: readonly string[]): Record<string, number> | null {
  const taus = state.objectOrNull('taus');
  if (!taus) return null;
  const out: Record<string, number> = {};
  for (const name of features) {
    out[name] = taus.finite(name);
    if (out[name] < 1) throw new CheckpointFormatError(taus.at(name), `must be >= 1; got ${out[name]}`);
  }
  return out;
}

export function readHistogramSums(state: Fields): Map<HistogramName, Float64Array> | null {
  const sums = state.objectOrNull('histogramSums');
  if (!sums) return null;
  return new Map(HISTOGRAM_FEATURES.map(({ name, bins }) => [name, sums.numbers(name, bins)]));
}

export function sameOrFail(saved: unknown, made: unknown, path: string): void {
  const differs = firstDifference(saved, made, path);
  if (differs) throw new CheckpointFormatError(differs.path, `is ${JSON.stringify(differs.a)}, but the checkpoint's own options give ${JSON.stringify(differs.b)}`);
}
