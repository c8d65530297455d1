// One camera's alert: ok → pending → firing → resolved → ok, driven once per
// check by a verdict. Confirmation before firing, hysteresis before resolving
// and a cooldown before a new episode keep one real change to one alert.
import { probableCause } from './probable-cause.js';
import {
  ALERT_STATES, checkCandidate, checkEpisode, checkVerdict, copyFindings,
  type AlertEvent, type AlertState, type CauseCandidate, type Episode, type Verdict,
} from './alert-types.js';

export interface AlertLifecycleOptions {
  /** The camera's name, carried into every event and id. */
  camera: string;
  /** Consecutive drifting checks, counting the one that opened pending, before firing; integer >= 1. Default 3. */
  confirmChecks?: number;
  /** Consecutive clean checks while firing before resolved; integer >= 1. Default 5. */
  resolveChecks?: number;
  /** Checks after resolving during which no episode may start; integer >= 0. Default 10. */
  cooldownChecks?: number;
  /** Digest of the baseline the checks compare with, carried into events. Default null. */
  baselineDigest?: string | null;
  /** Version of the model being watched, carried into events. Default null. */
  modelVersion?: string | null;
  /**
   * While firing, drifting checks that agree on another probable cause (not
   * `unknown`) this many times in a row revise the alert's cause (twice as
   * many for each further revision of the episode); integer >= 1, or 0 to
   * keep the cause it fired with. Default 3.
   */
  reviseChecks?: number;
}

export const ALERT_LIFECYCLE_DEFAULTS = { confirmChecks: 3, resolveChecks: 5, cooldownChecks: 10, reviseChecks: 3 } as const;

const TYPE = 'alert-lifecycle';
const VERSION = 1;

function countOption(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min) throw new RangeError(`options.${name} must be an integer >= ${min}; got ${String(value)}`);
  return value as number;
}

function labelOption(name: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new TypeError(`options.${name} must be a string or null; got ${String(value)}`);
  return value;
}

export class AlertLifecycle {
  readonly camera: string;
  readonly confirmChecks: number;
  readonly resolveChecks: number;
  readonly cooldownChecks: number;
  readonly baselineDigest: string | null;
  readonly modelVersion: string | null;
  readonly reviseChecks: number;
  private current: AlertState = 'ok';
  /** pending: drifting checks so far; firing: clean checks in a row; resolved: checks since resolving. */
  private streak = 0;
  private episode: Episode | null = null;
  private last: number | null = null;
  /** While firing: another cause the latest drifting checks agree on, and how many in a row. */
  private candidate: CauseCandidate | null = null;

  constructor(options: AlertLifecycleOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('AlertLifecycle options must be an object with a camera');
    if (typeof options.camera !== 'string' || options.camera === '') throw new TypeError('options.camera must be a non-empty string');
    this.camera = options.camera;
    const d = ALERT_LIFECYCLE_DEFAULTS;
    this.confirmChecks = countOption('confirmChecks', options.confirmChecks, d.confirmChecks, 1);
    this.resolveChecks = countOption('resolveChecks', options.resolveChecks, d.resolveChecks, 1);
    this.cooldownChecks = countOption('cooldownChecks', options.cooldownChecks, d.cooldownChecks, 0);
    this.baselineDigest = labelOption('baselineDigest', options.baselineDigest);
    this.modelVersion = labelOption('modelVersion', options.modelVersion);
    this.reviseChecks = countOption('reviseChecks', options.reviseChecks, d.reviseChecks, 0);
  }

  get state(): AlertState { return this.current; }
  /** The open episode's alert id, null in ok. */
  get alertId(): string | null { return this.episode ? `${this.camera}:${this.episode.startFrame}` : null; }
  /** The frame of the last check, null before the first. */
  get lastFrame(): number | null { return this.last; }

  /** Applies one check's verdict; returns the transitions it caused, in order (often none). */
  update(verdict: Verdict): AlertEvent[] {
    checkVerdict(verdict, this.last);
    this.last = verdict.frame;
    const events: AlertEvent[] = [];
    if (this.current === 'resolved' && ++this.streak > this.cooldownChecks) this.move('ok', verdict, events);
    switch (this.current) {
      case 'ok':
        if (verdict.drift) {
          this.episode = { startFrame: verdict.frame, startTimeMs: verdict.timeMs, findings: [], cause: 'unknown' };
          this.streak = 0;
          this.pendingCheck(verdict, events);
        }
        break;
      case 'pending':
        if (verdict.drift) this.pendingCheck(verdict, events);
        else this.move('ok', verdict, events);
        break;
      case 'firing':
        // A drifting check restarts the count of clean ones: resolve only after resolveChecks in a row.
        this.streak = verdict.drift ? 0 : this.streak + 1;
        if (this.streak >= this.resolveChecks) this.move('resolved', verdict, events);
        else if (verdict.drift) this.reviseCheck(verdict, events);
        break;
      case 'resolved':
        break; // cooling down: drift cannot open an episode yet
    }
    return events;
  }

  private pendingCheck(verdict: Verdict, events: AlertEvent[]): void {
    const episode = this.episode!;
    episode.findings = copyFindings(verdict.findings);
    episode.cause = probableCause(verdict.findings);
    if (this.current === 'ok') this.move('pending', verdict, events);
    if (++this.streak >= this.confirmChecks) this.move('firing', verdict, events);
  }

  // A gradual drift fires early, when only its first side effects show (a
  // slow occlusion first looks like a darkening); the cause follows the
  // evidence, but only once several checks in a row agree, so it cannot flap.
  private reviseCheck(verdict: Verdict, events: AlertEvent[]): void {
    if (this.reviseChecks === 0) return;
    const episode = this.episode!;
    const cause = probableCause(verdict.findings);
    if (cause === 'unknown' || cause === episode.cause) {
      this.candidate = null;
      return;
    }
    this.candidate = this.candidate?.cause === cause ? { cause, checks: this.candidate.checks + 1 } : { cause, checks: 1 };
    // Each revision of an episode needs twice the agreement of the one before:
    // a pattern that sits on the border between two rules must not flap.
    if (this.candidate.checks < this.reviseChecks * 2 ** (episode.revisions ?? 0)) return;
    this.candidate = null;
    episode.cause = cause;
    episode.findings = copyFindings(verdict.findings);
    episode.revisions = (episode.revisions ?? 0) + 1;
    events.push(this.event('firing', verdict, true));
  }

  private move(state: AlertState, verdict: Verdict, events: AlertEvent[]): void {
    events.push(this.event(state, verdict, false));
    this.current = state;
    this.streak = 0;
    this.candidate = null;
    if (state === 'ok') this.episode = null;
  }

  private event(state: AlertState, verdict: Verdict, causeRevised: boolean): AlertEvent {
    const episode = this.episode!;
    return {
      id: `${this.camera}:${episode.startFrame}`, camera: this.camera, state, previousState: this.current,
      frame: verdict.frame, timeMs: verdict.timeMs, startFrame: episode.startFrame, startTimeMs: episode.startTimeMs,
      findings: copyFindings(episode.findings), cause: episode.cause, causeRevised,
      baselineDigest: this.baselineDigest, modelVersion: this.modelVersion,
    };
  }

  toJSON(): { type: string; version: number; options: Required<AlertLifecycleOptions>; state: Record<string, unknown> } {
    const { camera, confirmChecks, resolveChecks, cooldownChecks, baselineDigest, modelVersion, reviseChecks } = this;
    return {
      type: TYPE, version: VERSION,
      options: { camera, confirmChecks, resolveChecks, cooldownChecks, baselineDigest, modelVersion, reviseChecks },
      state: {
        state: this.current, streak: this.streak, lastFrame: this.last,
        episode: this.episode && { ...this.episode, findings: copyFindings(this.episode.findings) },
        candidate: this.candidate && { ...this.candidate },
      },
    };
  }

  /** Rebuilds a lifecycle from toJSON() output: an open alert stays open and is not fired again. */
  static fromJSON(json: unknown): AlertLifecycle {
    const j = json as { type?: unknown; version?: unknown; options?: AlertLifecycleOptions; state?: Record<string, unknown> } | null;
    if (!j || typeof j !== 'object' || j.type !== TYPE) throw new TypeError(`checkpoint is not an ${TYPE} checkpoint`);
    if (j.version !== VERSION) throw new RangeError(`${TYPE} checkpoint version ${String(j.version)} is not supported (expected ${VERSION})`);
    if (!j.options || !j.state) throw new TypeError(`${TYPE} checkpoint needs options and state`);
    const lifecycle = new AlertLifecycle(j.options);
    const { state, streak, lastFrame, episode, candidate } = j.state;
    if (!ALERT_STATES.includes(state as AlertState)) throw new TypeError(`checkpoint state ${String(state)} is not one of ${ALERT_STATES.join(', ')}`);
    if (!Number.isSafeInteger(streak) || (streak as number) < 0) throw new TypeError(`checkpoint streak must be an integer >= 0; got ${String(streak)}`);
    if (lastFrame !== null && !Number.isSafeInteger(lastFrame)) throw new TypeError(`checkpoint lastFrame must be an integer or null; got ${String(lastFrame)}`);
    lifecycle.episode = checkEpisode(episode, state as AlertState);
    lifecycle.current = state as AlertState;
    lifecycle.streak = streak as number;
    lifecycle.last = lastFrame as number | null;
    lifecycle.candidate = checkCandidate(candidate, state as AlertState);
    return lifecycle;
  }
}
