// Temporal sampling: at most maxFps frames per second enter a window, so a
// 30 fps camera and a 5 fps camera fill windows at comparable rates and
// near-duplicate frames do not pile up.
import { finiteOrNull, type Fields } from '../codec/checkpoint-fields.js';
import { optionsObject, positiveOption } from './feature-window.js';

export interface FrameRateSamplerOptions {
  /** Most frames admitted per second of frame time, finite and > 0. */
  maxFps: number;
}

/**
 * Admits the first frame, then a frame whenever its timestamp is at least
 * 1000 / maxFps ms after the last admitted one. So any interval [a, a + 1000)
 * ms holds at most maxFps admitted frames. Deterministic: the decision
 * depends only on the timestamps seen.
 */
export class FrameRateSampler {
  readonly maxFps: number;
  /** Minimum spacing of admitted frames, 1000 / maxFps ms. */
  readonly spacingMs: number;
  private lastAdmitted = -Infinity;

  constructor(options: FrameRateSamplerOptions) {
    const o = optionsObject('FrameRateSampler', options);
    this.maxFps = positiveOption('maxFps', o.maxFps);
    this.spacingMs = 1000 / this.maxFps;
  }

  /**
   * Whether the frame at timestampMs enters. Timestamps earlier than the last
   * admitted frame are not admitted (call reset() after a clock jump back).
   */
  admit(timestampMs: number): boolean {
    if (typeof timestampMs !== 'number' || !Number.isFinite(timestampMs)) {
      throw new RangeError(`timestampMs must be a finite number of ms; got ${String(timestampMs)}`);
    }
    if (timestampMs - this.lastAdmitted < this.spacingMs) return false;
    this.lastAdmitted = timestampMs;
    return true;
  }

  reset(): void {
    this.lastAdmitted = -Infinity;
  }

  /** The time of the last admitted frame (null before the first). */
  toJSON(): { lastAdmitted: number | null } {
    return { lastAdmitted: finiteOrNull(this.lastAdmitted) };
  }

  /** Continues from a toJSON() state; the sampler keeps its own maxFps. */
  restoreState(state: Fields): void {
    this.lastAdmitted = state.finiteOr('lastAdmitted', -Infinity);
  }
}
