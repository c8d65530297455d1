// Injected drifts: what changes in the camera, how big, and when. A drift's
// intensity a goes from 0 (none) to 1 (full size): at once from `startFrame`
// (abrupt) or linearly over `rampFrames` frames (gradual, full size reached
// at startFrame + rampFrames). Every effect is interpolated in a.

export const DRIFT_KINDS = ['darken', 'overexpose', 'blur', 'noise', 'colour-cast', 'occlusion', 'scene-change'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];
export type DriftOnset = 'abrupt' | 'gradual';

export interface DriftSpec {
  kind: DriftKind;
  onset: DriftOnset;
  /** First frame with a > 0 (abrupt: a = 1 from here). */
  startFrame: number;
  /** Frames from the start to full size (gradual only). */
  rampFrames: number;
  /** The photo a scene change switches (or fades) to. */
  targetPhoto?: string;
}

/** Full sizes of the drifts (documented in docs/scenarios.md). */
export const DRIFT_SIZE = {
  darkenGain: 0.7, // luma −30%
  overexposeGain: 1.6, // clipped at 255
  blurSigma: 2, // px, Gaussian
  noiseSigma: 10, // levels, added on top of the sensor noise
  castRedGain: 1.15, // white balance off by 15%: red up,
  castBlueGain: 0.85, // blue down
  occludedFraction: 0.25, // of the frame: a flat dark object over the lower-left quadrant
  occluderLevel: 8, // its RGB level before exposure gain and noise (dark: Y <= 16)
} as const;

/** Blur sigmas are rounded to this step, so each blurred base photo is made once. */
export const BLUR_SIGMA_STEP = 0.1;

/** What a drift does to one frame, as multipliers and amounts; identity when there is no drift. */
export interface FrameEffects {
  gain: number;
  redGain: number;
  blueGain: number;
  blurSigma: number;
  extraNoiseSigma: number;
  /** Width of the occluder as a fraction of the frame width; its height is half the frame. */
  occluderWidthFraction: number;
  /** Weight of the target photo in the scene (0: base photo only). */
  sceneMix: number;
}

export const NO_EFFECTS: Readonly<FrameEffects> = Object.freeze({
  gain: 1, redGain: 1, blueGain: 1, blurSigma: 0, extraNoiseSigma: 0, occluderWidthFraction: 0, sceneMix: 0,
});

export function driftIntensity(drift: DriftSpec, frame: number): number {
  if (frame < drift.startFrame) return 0;
  if (drift.onset === 'abrupt') return 1;
  if (!(drift.rampFrames >= 1)) throw new RangeError(`a gradual drift needs rampFrames >= 1; got ${drift.rampFrames}`);
  return Math.min(1, (frame - drift.startFrame) / drift.rampFrames);
}

export function effectsAt(drift: DriftSpec | undefined, frame: number): FrameEffects {
  if (!drift) return NO_EFFECTS;
  const a = driftIntensity(drift, frame);
  const effects = { ...NO_EFFECTS };
  if (a === 0) return effects;
  switch (drift.kind) {
    case 'darken': effects.gain = 1 + a * (DRIFT_SIZE.darkenGain - 1); break;
    case 'overexpose': effects.gain = 1 + a * (DRIFT_SIZE.overexposeGain - 1); break;
    case 'blur': effects.blurSigma = Math.round((a * DRIFT_SIZE.blurSigma) / BLUR_SIGMA_STEP) * BLUR_SIGMA_STEP; break;
    case 'noise': effects.extraNoiseSigma = a * DRIFT_SIZE.noiseSigma; break;
    case 'colour-cast':
      effects.redGain = 1 + a * (DRIFT_SIZE.castRedGain - 1);
      effects.blueGain = 1 + a * (DRIFT_SIZE.castBlueGain - 1);
      break;
    case 'occlusion': effects.occluderWidthFraction = a * 2 * DRIFT_SIZE.occludedFraction; break;
    case 'scene-change': effects.sceneMix = a; break;
  }
  return effects;
}
