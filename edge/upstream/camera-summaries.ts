// One camera's summary messages: the frames its windows admitted since the
// last summary (moments and a mergeable sketch per feature), with the
// latest check's tests against the baseline and the alert state.
import type { Baseline } from '../../src/baseline/baseline.js';
import { SummaryAccumulator } from '../../src/envelope/summary.js';
import { buildSummaryBody, type SummaryBody } from '../../src/envelope/summary-body.js';
import type { DriftMonitor } from '../../src/policy/drift-monitor.js';

export class CameraSummaries {
  private readonly accumulator: SummaryAccumulator;
  private from: number | null = null;
  private to: number | null = null;
  private count = 0;

  constructor(readonly camera: string, features: readonly string[], private readonly context: { site: string | null; model: string | null }) {
    this.accumulator = new SummaryAccumulator({ features });
  }

  admitted(index: number, features: Readonly<Record<string, number>>): void {
    this.accumulator.add(features);
    this.from ??= index;
    this.to = index;
    this.count++;
  }

  /** Frames since the last summary. */
  get pending(): number { return this.count; }

  /** The summary of the frames since the last one (possibly none), and starts over. */
  take(monitor: DriftMonitor, baseline: Baseline, windowSize: number): SummaryBody {
    const body = buildSummaryBody({
      camera: this.camera, site: this.context.site, model: this.context.model, baseline: baseline.header.digest,
      frames: { from: this.from, to: this.to, count: this.count },
      window: { size: windowSize },
      features: this.accumulator.take(),
      tests: monitor.lastCheck?.tests ?? null,
      alert: { state: monitor.lifecycle.state, id: monitor.lifecycle.alertId },
    });
    this.from = this.to = null;
    this.count = 0;
    return body;
  }
}
