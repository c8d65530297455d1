// Runs a policy over a feature stream and scores its alert transitions:
// false 'firing' alerts on stable streams, detection delay on drift streams.
import type { DriftSpec } from './drift.js';
import { featureRecord, FEATURE_COUNT } from './feature-stream.js';
import type { AlertTransition, EvalPolicy } from './policy.js';

export function runPolicy(policy: EvalPolicy, values: Float64Array, fps: number): { transitions: AlertTransition[]; ms: number } {
  const frames = values.length / FEATURE_COUNT;
  const transitions: AlertTransition[] = [];
  const started = performance.now();
  for (let index = 0; index < frames; index++) {
    for (const t of policy.update({ index, timeMs: (index * 1000) / fps, features: featureRecord(values, index) })) transitions.push(t);
  }
  return { transitions, ms: performance.now() - started };
}

/** Frames spent in 'firing' (from each 'firing' to the next transition to another state, or the end). */
export function framesFiring(transitions: readonly AlertTransition[], frames: number): number {
  let total = 0, since: number | undefined;
  for (const t of transitions) {
    if (t.state === 'firing' && since === undefined) since = t.frame;
    else if (t.state !== 'firing' && since !== undefined) { total += t.frame - since; since = undefined; }
  }
  return since === undefined ? total : total + frames - since;
}

export interface StableScore {
  frames: number;
  falseFirings: number;
  falseFiringsPer100k: number;
  /** Share of frames during which an alert was firing. */
  firingShare: number;
}

/** A 'firing' state transition (a cause revision of a firing alert is not one). */
const fires = (t: AlertTransition): boolean => t.state === 'firing' && !t.causeRevised;

export function scoreStable(transitions: readonly AlertTransition[], frames: number): StableScore {
  const falseFirings = transitions.filter(fires).length;
  return { frames, falseFirings, falseFiringsPer100k: (falseFirings * 100_000) / frames, firingShare: framesFiring(transitions, frames) / frames };
}

export interface DriftScore {
  startFrame: number;
  /** First frame at full size (= startFrame when abrupt). */
  fullSizeFrame: number;
  /** 'firing' transitions before the drift began (false alerts). */
  firingsBeforeStart: number;
  /** The policy was already firing (falsely) when the drift began. */
  firingAtStart: boolean;
  /** First 'firing' transition at or after startFrame, or null. */
  firstFiring: number | null;
  delay: number | null;
  /** Gradual drifts: it fired before the drift reached full size. */
  firedBeforeFullSize: boolean | null;
  /** The probable cause of that firing, when the policy names one. */
  cause?: string;
  /** The alert's cause when the drift reached full size (after any revisions up to that frame). */
  causeAtFullSize?: string;
  /** The alert's cause after its last revision in the stream. */
  lastCause?: string;
}

export function scoreDrift(transitions: readonly AlertTransition[], drift: DriftSpec): DriftScore {
  const { startFrame } = drift;
  const fullSizeFrame = startFrame + (drift.onset === 'gradual' ? drift.rampFrames : 0);
  const before = transitions.filter((t) => t.frame < startFrame);
  const lastBefore = before[before.length - 1];
  const first = transitions.find((t) => fires(t) && t.frame >= startFrame);
  const firstFiring = first ? first.frame : null;
  // The episode's firing and its revisions, up to its resolution.
  const episode: AlertTransition[] = [];
  if (first) {
    for (const t of transitions.slice(transitions.indexOf(first))) {
      if (t !== first && t.state !== 'firing') break;
      episode.push(t);
    }
  }
  const upToFullSize = episode.filter((t) => t.frame <= Math.max(fullSizeFrame, firstFiring ?? 0));
  const causeAtFullSize = upToFullSize[upToFullSize.length - 1]?.cause;
  const lastCause = episode[episode.length - 1]?.cause;
  return {
    startFrame, fullSizeFrame,
    firingsBeforeStart: before.filter(fires).length,
    firingAtStart: lastBefore?.state === 'firing',
    firstFiring,
    delay: firstFiring === null ? null : firstFiring - startFrame,
    firedBeforeFullSize: drift.onset === 'gradual' ? firstFiring !== null && firstFiring < fullSizeFrame : null,
    ...(first?.cause === undefined ? {} : { cause: first.cause }),
    ...(causeAtFullSize === undefined ? {} : { causeAtFullSize }),
    ...(lastCause === undefined ? {} : { lastCause }),
  };
}
