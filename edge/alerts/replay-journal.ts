// At start, what a camera's alert journal adds to its checkpoint: the
// transitions recorded after the checkpoint was taken (counter above the one
// it covers). The latest one's alert lifecycle replaces the checkpoint's, so
// an alert the journal holds is neither forgotten nor fired again; the ones
// never marked delivered are delivered again.
import { DriftMonitor, type DriftMonitorOptions } from '../../src/policy/drift-monitor.js';
import { readJournalRecord, type TransitionRecord } from './transition-record.js';

export interface JournalReplay {
  /** Transitions newer than the checkpoint, oldest first. */
  newer: TransitionRecord[];
  /** Of those, the ones with no `delivered` marker: a crash came before every sink had them. */
  undelivered: TransitionRecord[];
  /** The last counter used, in the journal or the checkpoint: the next transition's is one more. */
  counter: number;
  /** Records of another shape or camera, skipped. */
  skipped: number;
}

export function replayJournal(records: readonly unknown[], camera: string, covered: number): JournalReplay {
  const transitions: TransitionRecord[] = [];
  const delivered = new Set<number>();
  let counter = covered, skipped = 0;
  for (const value of records) {
    const record = readJournalRecord(value, camera);
    if (record === null) { skipped++; continue; }
    if (record.type === 'delivered') delivered.add(record.counter);
    else {
      transitions.push(record);
      counter = Math.max(counter, record.counter);
    }
  }
  const newer = transitions.filter((t) => t.counter > covered).sort((a, b) => a.counter - b.counter);
  return { newer, undelivered: newer.filter((t) => !delivered.has(t.counter)), counter, skipped };
}

/**
 * The monitor with the journal's alert lifecycle in place of its own; throws
 * (CheckpointFormatError, CheckpointMismatchError) when the lifecycle does
 * not fit it, e.g. it was journaled against another baseline.
 */
export function withLifecycle(monitor: DriftMonitor, lifecycle: unknown, options: DriftMonitorOptions): DriftMonitor {
  const { baseline, camera, ...config } = options;
  const json = monitor.toJSON();
  return DriftMonitor.fromJSON({ ...json, state: { ...json.state, lifecycle } }, { baseline, camera, options: config });
}
