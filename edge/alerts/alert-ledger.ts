// One camera's side of the alert journal while the agent runs: each frame's
// alert events get the next transition counter and their MQTT envelopes
// (stamped now, so the journal holds the exact bytes the outbox will get),
// and are journaled durably before any sink sees them. A checkpoint records
// the counter it covers and waits until no transition is half journaled
// (settled()); once saved, the journal is emptied if it covers everything.
import type { AlertEvent } from '../../src/policy/alert-types.js';
import type { AlertJournal } from './alert-journal.js';
import type { RecordedTransition, StampedAlert, TransitionRecord } from './transition-record.js';

export interface AlertLedgerOptions {
  camera: string;
  journal: AlertJournal;
  /** The last counter used (from the checkpoint and the journal): the next transition gets counter + 1. */
  counter: number;
  /** Stamps an alert's envelope (the upstream's stampAlert), or null without MQTT. */
  stamp: ((event: AlertEvent) => StampedAlert) | null;
}

export class AlertLedger {
  readonly camera: string;
  private readonly journal: AlertJournal;
  private readonly stamp: AlertLedgerOptions['stamp'];
  private last: number;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(options: AlertLedgerOptions) {
    this.camera = options.camera;
    this.journal = options.journal;
    this.stamp = options.stamp;
    this.last = options.counter;
  }

  /** The counter of the latest transition recorded (journaled, or failed and published anyway). */
  get counter(): number { return this.last; }

  /**
   * Journals one frame's events with the lifecycle after them. Must be called
   * in the same turn as the check that made them: the counter and the stamps
   * are taken now, and settled() waits for the append from now on. Never
   * rejects: a failed append is reported in the result.
   */
  record(events: AlertEvent[], lifecycle: unknown): Promise<RecordedTransition> {
    const counter = ++this.last;
    const stamped = events.map((event) => (this.stamp ? this.stamp(event) : null));
    const record: TransitionRecord = { type: 'transition', counter, camera: this.camera, lifecycle, events: events.map((event, i) => ({ event, stamped: stamped[i] })) };
    const started = performance.now();
    const done = this.journal.append(record, { durable: true }).then(
      () => ({ counter, stamped, journalMs: performance.now() - started, error: null }),
      (error: unknown) => ({ counter, stamped, journalMs: performance.now() - started, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return done;
  }

  /**
   * Marks a transition as delivered to every sink, so a restart does not
   * deliver it again. Not fsynced: it survives a SIGKILL; after a power cut
   * the transition may be delivered again (marked recovered, same MQTT key).
   */
  async delivered(counter: number): Promise<void> {
    await this.journal.append({ type: 'delivered', counter }, { durable: false });
  }

  /** Null when no transition is being journaled (a checkpoint may be taken now); else resolves when one is done. */
  settled(): Promise<unknown> | null {
    return this.inFlight.size === 0 ? null : Promise.race(this.inFlight);
  }

  /** After a checkpoint covering `covered` was saved: empties the journal when nothing newer was recorded since. */
  async compact(covered: number): Promise<boolean> {
    if (covered < this.last || this.inFlight.size > 0) return false;
    await this.journal.clear();
    return true;
  }

  close(): Promise<void> { return this.journal.close(); }
}
