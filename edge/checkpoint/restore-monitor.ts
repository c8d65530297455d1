// What the agent does at start for one camera: restore its drift monitor
// from the state directory, or start fresh, saying why. A checkpoint that
// is corrupt, or sound but made for another baseline, camera or
// configuration, is set aside (renamed, kept for inspection), never used.
import { CheckpointFormatError, CheckpointMismatchError } from '../../src/codec/checkpoint-fields.js';
import { DriftMonitor, type DriftMonitorOptions } from '../../src/policy/drift-monitor.js';
import type { CheckpointStore, SetAsideReason } from './checkpoint-store.js';

export type MonitorStart =
  | { kind: 'restored'; monitor: DriftMonitor; bytes: number; journalCovers: number }
  | { kind: 'fresh'; monitor: DriftMonitor; why: 'absent' }
  | { kind: 'fresh'; monitor: DriftMonitor; why: 'set-aside'; reason: SetAsideReason; message: string; setAsidePath: string };

/** The monitor for `options.camera`: restored from checkpoint `name` when it fits `options`, else new. */
export async function startMonitor(store: CheckpointStore, name: string, options: DriftMonitorOptions): Promise<MonitorStart> {
  const loaded = await store.load(name);
  if (loaded === null) return { kind: 'fresh', monitor: new DriftMonitor(options), why: 'absent' };
  if (!loaded.ok) {
    const { reason, message, setAsidePath } = loaded;
    return { kind: 'fresh', monitor: new DriftMonitor(options), why: 'set-aside', reason, message, setAsidePath };
  }
  const { baseline, camera, ...config } = options;
  try {
    const monitor = DriftMonitor.fromJSON(loaded.value, { baseline, camera, options: config });
    return { kind: 'restored', monitor, bytes: loaded.bytes, journalCovers: journalCoversOf(loaded.value) };
  } catch (error) {
    if (!(error instanceof CheckpointFormatError || error instanceof CheckpointMismatchError)) throw error;
    const setAsidePath = await store.setAside(name);
    return { kind: 'fresh', monitor: new DriftMonitor(options), why: 'set-aside', reason: 'refused', message: error.message, setAsidePath };
  }
}

/**
 * The agent saves `{ ...monitor.toJSON(), alertJournal: n }`: the last alert
 * journal counter the checkpoint covers (docs/checkpoints.md). 0 when absent
 * (a checkpoint of an older build, or of the library alone).
 */
export function journalCoversOf(value: unknown): number {
  const covers = (value as { alertJournal?: unknown }).alertJournal;
  return Number.isSafeInteger(covers) && (covers as number) >= 0 ? (covers as number) : 0;
}
