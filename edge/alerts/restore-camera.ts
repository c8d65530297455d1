// A camera's state at start: its checkpoint (restore-monitor.ts), then its
// alert journal on top. The journal's latest transition newer than the
// checkpoint sets the monitor's alert lifecycle; the ones not yet delivered
// are handed back for delivery again. A damaged journal is set aside (its
// sound records still used) and the agent starts.
import { join } from 'node:path';
import { CheckpointFormatError, CheckpointMismatchError } from '../../src/codec/checkpoint-fields.js';
import type { DriftMonitor, DriftMonitorOptions } from '../../src/policy/drift-monitor.js';
import type { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import { startMonitor, type MonitorStart } from '../checkpoint/restore-monitor.js';
import { AlertJournal, type OpenedJournal } from './alert-journal.js';
import { replayJournal, withLifecycle, type JournalReplay } from './replay-journal.js';

/** Where a camera's alert journal lives: <stateDir>/alerts/<camera>.journal. */
export const alertJournalPath = (stateDir: string, camera: string): string => join(stateDir, 'alerts', `${camera}.journal`);

export interface CameraRestore {
  /** What the checkpoint gave. */
  start: MonitorStart;
  /** The monitor to run: the checkpoint's, with the journal's alert lifecycle when it holds a newer one. */
  monitor: DriftMonitor;
  journal: AlertJournal;
  replay: JournalReplay;
  opened: Omit<OpenedJournal, 'journal' | 'records'>;
  /** Why the journal's lifecycle was not used (it does not fit the monitor, e.g. another baseline); null when it was or there was none. */
  lifecycleRefused: string | null;
}

export async function restoreCamera(store: CheckpointStore, stateDir: string, checkpointName: string, options: DriftMonitorOptions): Promise<CameraRestore> {
  const start = await startMonitor(store, checkpointName, options);
  const { journal, records, ...opened } = await AlertJournal.open(alertJournalPath(stateDir, options.camera));
  const replay = replayJournal(records, options.camera, start.kind === 'restored' ? start.journalCovers : 0);
  let monitor = start.monitor, lifecycleRefused: string | null = null;
  const latest = replay.newer.at(-1);
  if (latest) {
    try {
      monitor = withLifecycle(monitor, latest.lifecycle, options);
    } catch (error) {
      if (!(error instanceof CheckpointFormatError || error instanceof CheckpointMismatchError)) throw error;
      lifecycleRefused = error.message;
    }
  }
  return { start, monitor, journal, replay, opened, lifecycleRefused };
}
