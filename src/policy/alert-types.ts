// The shapes the alert lifecycle reads and writes, and their input checks.
import type { CauseLabel } from './cause-signatures.js';
import type { Finding } from './finding.js';

export type AlertState = 'ok' | 'pending' | 'firing' | 'resolved';
export const ALERT_STATES: readonly AlertState[] = ['ok', 'pending', 'firing', 'resolved'];

/** One check's outcome for one camera. */
export interface Verdict {
  /** Whether this check found drift (some finding passed every gate). */
  drift: boolean;
  /** The findings of this check (empty when clean). */
  findings: Finding[];
  /** Index of the frame the check ran at; strictly increasing from check to check. */
  frame: number;
  /** Time of that frame, ms (any epoch; carried, not interpreted). */
  timeMs: number;
}

/** One transition of a camera's alert. */
export interface AlertEvent {
  /** `${camera}:${startFrame}`: the same for every transition of one episode. */
  id: string;
  camera: string;
  state: AlertState;
  previousState: AlertState;
  /** The check that caused the transition. */
  frame: number;
  timeMs: number;
  /** The check that opened the episode (its first drifting check). */
  startFrame: number;
  startTimeMs: number;
  /** pending: this check's findings; firing and later: the findings the alert fired with (or its cause was last revised with). */
  findings: Finding[];
  cause: CauseLabel;
  /**
   * True for a cause revision: the alert stays firing (state and
   * previousState are both 'firing') and its cause and findings change.
   * False for every state transition.
   */
  causeRevised: boolean;
  baselineDigest: string | null;
  modelVersion: string | null;
}

/** An open episode: from its first drifting check until it resolves (or a pending one is dropped). */
export interface Episode {
  startFrame: number;
  startTimeMs: number;
  findings: Finding[];
  cause: CauseLabel;
  /** Times the cause was revised while firing (absent: none). */
  revisions?: number;
}

/** While firing: a cause other than the alert's that the latest drifting checks agree on. */
export interface CauseCandidate {
  cause: CauseLabel;
  /** Drifting checks in a row that gave it. */
  checks: number;
}

const DIRECTIONS = new Set(['up', 'down', null]);

function checkFindings(findings: unknown, where: string): Finding[] {
  if (!Array.isArray(findings)) throw new TypeError(`${where}.findings must be an array of Finding`);
  findings.forEach((f: Partial<Finding> | null, i) => {
    if (!f || typeof f.feature !== 'string' || typeof f.effect !== 'number' || !Number.isFinite(f.effect) || !DIRECTIONS.has(f.direction ?? null)) {
      throw new TypeError(`${where}.findings[${i}] must be a Finding with a feature name, a finite effect and a direction of 'up', 'down' or null`);
    }
  });
  return findings as Finding[];
}

/** Checks a verdict before it changes any state; frames must increase. */
export function checkVerdict(verdict: Verdict, lastFrame: number | null): Verdict {
  if (!verdict || typeof verdict !== 'object') throw new TypeError('verdict must be an object { drift, findings, frame, timeMs }');
  if (typeof verdict.drift !== 'boolean') throw new TypeError(`verdict.drift must be a boolean; got ${String(verdict.drift)}`);
  checkFindings(verdict.findings, 'verdict');
  if (!Number.isSafeInteger(verdict.frame) || verdict.frame < 0) throw new RangeError(`verdict.frame must be an integer >= 0; got ${String(verdict.frame)}`);
  if (lastFrame !== null && verdict.frame <= lastFrame) throw new RangeError(`verdict.frame must increase: ${verdict.frame} after ${lastFrame}`);
  if (typeof verdict.timeMs !== 'number' || !Number.isFinite(verdict.timeMs)) throw new RangeError(`verdict.timeMs must be a finite number; got ${String(verdict.timeMs)}`);
  return verdict;
}

/** Checks a checkpoint's episode (null when the state is ok). */
export function checkEpisode(episode: unknown, state: AlertState): Episode | null {
  if (state === 'ok') {
    if (episode !== null) throw new TypeError('checkpoint state ok cannot have an open episode');
    return null;
  }
  const e = episode as Partial<Episode> | null;
  if (!e || !Number.isSafeInteger(e.startFrame) || typeof e.startTimeMs !== 'number' || typeof e.cause !== 'string') {
    throw new TypeError(`checkpoint state ${state} needs an episode { startFrame, startTimeMs, findings, cause }`);
  }
  if (e.revisions !== undefined && (!Number.isSafeInteger(e.revisions) || e.revisions < 0)) throw new TypeError(`checkpoint episode.revisions must be an integer >= 0; got ${String(e.revisions)}`);
  return {
    startFrame: e.startFrame!, startTimeMs: e.startTimeMs, findings: checkFindings(e.findings, 'episode'), cause: e.cause as CauseLabel,
    ...(e.revisions === undefined ? {} : { revisions: e.revisions }),
  };
}

/** Checks a checkpoint's cause candidate (absent or null outside firing). */
export function checkCandidate(candidate: unknown, state: AlertState): CauseCandidate | null {
  if (candidate === undefined || candidate === null) return null;
  const c = candidate as Partial<CauseCandidate>;
  if (state !== 'firing') throw new TypeError(`checkpoint state ${state} cannot have a cause candidate (only firing)`);
  if (typeof c.cause !== 'string' || !Number.isSafeInteger(c.checks) || c.checks! < 1) throw new TypeError('checkpoint candidate must be { cause, checks >= 1 }');
  return { cause: c.cause as CauseLabel, checks: c.checks! };
}

export const copyFindings = (findings: readonly Finding[]): Finding[] => findings.map((f) => ({ ...f }));
