// What the scenario harness runs: a detection policy fed one camera's frames
// in order, reporting alert transitions. The harness builds each policy from
// a reference (a separate stable stretch of the same camera) and scores the
// transitions it returns; anything a policy needs beyond this it builds itself.

export interface EvalFrame {
  /** 0-based frame index in the stream. */
  index: number;
  /** index × 1000 / fps. */
  timeMs: number;
  /** The catalogue v1 scalar features of the frame. */
  features: Record<string, number>;
}

export type AlertState = 'pending' | 'firing' | 'resolved';

export interface AlertTransition {
  state: AlertState;
  /** The frame at which the policy decided (the frame passed to the update that returned it). */
  frame: number;
  /** The probable cause the alert carries, when the policy names one. */
  cause?: string;
  /** A firing alert's cause was revised (not a state transition). */
  causeRevised?: boolean;
}

export interface EvalPolicy {
  name: string;
  /** Called once per frame, in order; returns the transitions decided at this frame (usually none). */
  update(frame: EvalFrame): AlertTransition[];
}

/**
 * The stable stretch a policy is calibrated on: the first `frames` frames of
 * an independently seeded stream of the same photo and variation as the
 * streams it will watch, with no drift. Values are in time order, so a policy
 * can measure their autocorrelation or block-bootstrap them.
 */
export interface EvalReference {
  camera: string;
  fps: number;
  frames: number;
  featureNames: readonly string[];
  /** One time series per feature, `frames` values each. */
  series: Record<string, Float64Array>;
}

export interface EvalPolicyFactory {
  name: string;
  create(reference: EvalReference): EvalPolicy;
}
