// Where the worker's time goes, per phase, summed over a run: posted once at
// the end as a 'timing' message (the page keeps it as window.__driftwatchTiming
// for the benchmark, bench/web-bench.ts). performance.now() around each phase.
// 'measure' is a JPEG decoded and measured in one pass; 'decode' then
// 'features' the two steps of anything else (PNG, or builds that differ).
export const PHASES = ['read', 'decode', 'features', 'measure', 'monitor', 'post', 'thumbnails'] as const;
export type Phase = typeof PHASES[number];

export interface TimingMessage {
  type: 'timing';
  /** Milliseconds per phase over the whole run. */
  ms: Record<Phase, number>;
  frames: number;
  simd: boolean;
}

export class PhaseTimer {
  readonly ms = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  private last = performance.now();

  /** Starts timing from now (what came before is not counted). */
  reset(): void {
    this.last = performance.now();
  }

  /** Adds the time since the last mark to `phase`. */
  mark(phase: Phase): void {
    const now = performance.now();
    this.ms[phase] += now - this.last;
    this.last = now;
  }
}
