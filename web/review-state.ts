// What the worker has reported so far, and the derived series the views draw.
import type { AlertRow, CheckResultMessage, CheckRow, FrameError, FrameResult, FromWorker, Snapshot } from './messages.js';

export class ReviewState {
  readonly frames: FrameResult[] = [];
  readonly errors: FrameError[] = [];
  readonly alerts: AlertRow[] = [];
  readonly checks: CheckResultMessage[] = [];
  snapshot: Snapshot | null = null;
  done = false;
  fatal: string | null = null;

  constructor(readonly names: readonly string[] = []) {}

  add(message: FromWorker): void {
    if (message.type === 'frame') this.frames.push(message);
    else if (message.type === 'frame-error') this.errors.push(message);
    else if (message.type === 'alert') this.alerts.push(message.alert);
    else if (message.type === 'check') this.checks.push(message);
    else if (message.type === 'snapshot') this.snapshot = message;
    else if (message.type === 'done') this.done = true;
    else if (message.type === 'fatal') this.fatal = message.message;
  }

  nameOf(frame: number): string {
    return this.names[frame] ?? '';
  }

  /** The latest check's tests, largest |effect| first. */
  ranked(): CheckRow[] {
    const last = this.checks.at(-1);
    return last ? [...last.tests].sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)) : [];
  }

  /** The continuous feature with the largest statistic in the latest check, null before one. */
  mostChanged(): string | null {
    const tests = this.checks.at(-1)?.tests.filter((t) => t.kind === 'continuous') ?? [];
    return tests.reduce<CheckRow | null>((best, t) => (best === null || t.statistic > best.statistic ? t : best), null)?.feature ?? null;
  }

  /** Alert episodes as [first frame, last frame]: from the first pending/firing transition to resolved (or the end). */
  episodes(): Array<[number, number]> {
    const open = new Map<string, number>();
    const closed: Array<[number, number]> = [];
    for (const alert of this.alerts) {
      if (alert.state === 'resolved') {
        const from = open.get(alert.id);
        if (from !== undefined) closed.push([from, alert.frame]);
        open.delete(alert.id);
      } else if (!open.has(alert.id)) open.set(alert.id, alert.frame);
    }
    for (const from of open.values()) closed.push([from, Infinity]);
    return closed;
  }

  statisticSeries(feature: string): { frames: number[]; statistic: Array<number | null>; effect: Array<number | null>; inAlert: number[] } {
    const episodes = this.episodes();
    const frames: number[] = [], statistic: Array<number | null> = [], effect: Array<number | null> = [], inAlert: number[] = [];
    for (const check of this.checks) {
      const test = check.tests.find((t) => t.feature === feature);
      frames.push(check.frame);
      statistic.push(test ? test.statistic : null);
      effect.push(test ? test.effect : null);
      inAlert.push(episodes.some(([from, to]) => check.frame >= from && check.frame < to) ? 1 : 0);
    }
    return { frames, statistic, effect, inAlert };
  }

  /** The frames' features as `driftwatch features --json` prints them, one JSON line each. */
  featureLines(): string {
    return [...this.frames, ...this.errors].sort((a, b) => a.index - b.index).map((f) => JSON.stringify(f.type === 'frame'
      ? { file: f.name, width: f.width, height: f.height, features: f.features, histograms: f.histograms }
      : { file: f.name, error: f.message })).join('\n') + '\n';
  }
}
