// Counters every source keeps for metrics: frames offered, frames the sink
// refused, problems by reason, and frames deliberately skipped by reason. Reporting a problem also calls the
// source's onError; a throwing handler must not take the source down.
import { SourceError, type SourceErrorHandler } from './frame-source.js';

export interface SourceCountersSnapshot {
  offered: number;
  refused: number;
  errors: Record<string, number>;
  skipped: Record<string, number>;
}

export class SourceCounters {
  offered = 0;
  refused = 0;
  private readonly errors = new Map<string, number>();
  private readonly skipped = new Map<string, number>();

  constructor(private readonly onError?: SourceErrorHandler) {}

  /** Counts the outcome of one sink.offer call and returns it. */
  offer(accepted: boolean): boolean {
    if (accepted) this.offered += 1;
    else this.refused += 1;
    return accepted;
  }

  report(origin: string, reason: string, detail: string, fatal = false): SourceError {
    const error = new SourceError(origin, reason, detail, fatal);
    this.errors.set(reason, (this.errors.get(reason) ?? 0) + 1);
    try {
      this.onError?.(error);
    } catch {
      // The handler is the agent's logger; its failure is not the source's.
    }
    return error;
  }

  /** Counts a frame deliberately not taken (not a problem: no onError). */
  skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  skipCount(reason: string): number {
    return this.skipped.get(reason) ?? 0;
  }

  errorCount(reason: string): number {
    return this.errors.get(reason) ?? 0;
  }

  snapshot(): SourceCountersSnapshot {
    return { offered: this.offered, refused: this.refused, errors: Object.fromEntries(this.errors), skipped: Object.fromEntries(this.skipped) };
  }
}
