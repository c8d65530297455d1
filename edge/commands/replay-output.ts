// How `driftwatch replay` prints: one JSON line per alert transition and a
// summary line (--json), or one readable line each.
import { describeFinding } from '../../src/policy/describe-finding.js';
import type { AlertEvent } from '../../src/policy/alert-types.js';
export { alertLine } from '../alert-line.js';

export interface ReplaySummary {
  type: 'summary';
  /** Image files in the folder. */
  frames: number;
  /** Frames decoded and fed to the monitor. */
  processed: number;
  /** Files that could not be decoded: reported, skipped, counted. */
  rejected: number;
  checks: number;
  /** Alerts that fired. */
  alerts: number;
  /** Transitions printed (pending, firing, resolved). */
  transitions: number;
  /** Cause revisions of firing alerts printed. */
  revisions: number;
  /** Frames processed per second of wall time (decode, features, monitor). */
  fps: number;
  seconds: number;
  baseline: string;
}

export function humanAlert(event: AlertEvent): string {
  const state = event.causeRevised ? 'revised' : event.state;
  const head = `frame ${String(event.frame).padStart(7)}  ${state.padEnd(8)} ${event.cause.padEnd(13)} alert ${event.id}${event.causeRevised ? ' (still firing; cause revised)' : ''}`;
  const top = [...event.findings].sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)).slice(0, 4).map(describeFinding);
  return top.length ? `${head}\n    ${top.join('; ')}${event.findings.length > 4 ? `; +${event.findings.length - 4} more` : ''}` : head;
}

export function humanSummary(s: ReplaySummary): string {
  return `${s.processed} of ${s.frames} frames replayed (${s.rejected} rejected), ${s.checks} checks, ${s.alerts} alerts fired${s.revisions ? ` (${s.revisions} cause revisions)` : ''}; ${s.fps.toFixed(0)} frames/s over ${s.seconds.toFixed(1)} s`;
}
