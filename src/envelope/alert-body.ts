// The body of an alert message: one transition (or cause revision) of a
// camera's alert, with its findings in words as `replay --json` prints them.
import type { AlertEvent, AlertState } from '../policy/alert-types.js';
import { ALERT_STATES } from '../policy/alert-types.js';
import { describeFinding } from '../policy/describe-finding.js';
import {
  field, readArray, readBoolean, readCount, readMap, readNumber, readNumberOrNull, readOneOf, readString, readStringOrNull,
} from './payload-error.js';

export interface AlertFindingBody {
  feature: string;
  statistic: number;
  pvalue: number | null;
  effect: number;
  shift: number | null;
  relativeChange: number | null;
  direction: 'up' | 'down' | null;
  unit: string;
  description: string;
  /** false: listed as context only (it moved, but the check did not find it changed). */
  implicated: boolean;
}

export interface AlertBody {
  id: string;
  camera: string;
  site: string | null;
  state: AlertState;
  previousState: AlertState;
  frame: number;
  timeMs: number;
  startFrame: number;
  startTimeMs: number;
  cause: string;
  causeRevised: boolean;
  baseline: string | null;
  model: string | null;
  findings: AlertFindingBody[];
}

const DIRECTIONS = ['up', 'down', null] as const;
const MAX_FINDINGS = 256;

export function alertBody(event: AlertEvent, extra: { site: string | null }): AlertBody {
  if (event === null || typeof event !== 'object') throw new TypeError('alertBody needs an AlertEvent');
  if (extra === null || typeof extra !== 'object') throw new TypeError('alertBody needs extra { site }');
  return decodeAlertBody({
    id: event.id, camera: event.camera, site: extra.site ?? null, state: event.state, previousState: event.previousState,
    frame: event.frame, timeMs: event.timeMs, startFrame: event.startFrame, startTimeMs: event.startTimeMs,
    cause: event.cause, causeRevised: event.causeRevised, baseline: event.baselineDigest ?? null, model: event.modelVersion ?? null,
    findings: (event.findings ?? []).map((f) => ({
      feature: f.feature, statistic: f.statistic, pvalue: f.pvalue ?? null, effect: f.effect, shift: f.shift ?? null,
      relativeChange: f.relativeChange ?? null, direction: f.direction ?? null, unit: f.unit ?? '', description: describeFinding(f),
      implicated: f.implicated ?? true,
    })),
  });
}

function readFinding(value: unknown, path: string): AlertFindingBody {
  const m = readMap(value, path);
  const implicated = field(m, 'implicated');
  return {
    feature: readString(field(m, 'feature'), `${path}.feature`, 64),
    statistic: readNumber(field(m, 'statistic'), `${path}.statistic`),
    pvalue: readNumberOrNull(field(m, 'pvalue'), `${path}.pvalue`),
    effect: readNumber(field(m, 'effect'), `${path}.effect`),
    shift: readNumberOrNull(field(m, 'shift'), `${path}.shift`),
    relativeChange: readNumberOrNull(field(m, 'relativeChange'), `${path}.relativeChange`),
    direction: readOneOf(field(m, 'direction'), DIRECTIONS, `${path}.direction`),
    unit: readString(field(m, 'unit'), `${path}.unit`, 64),
    description: readString(field(m, 'description'), `${path}.description`, 256),
    implicated: implicated === undefined ? true : readBoolean(implicated, `${path}.implicated`),
  };
}

/** Validates a decoded alert body; unknown keys are ignored. */
export function decodeAlertBody(body: unknown): AlertBody {
  const m = readMap(body, 'body');
  return {
    id: readString(field(m, 'id'), 'body.id', 256),
    camera: readString(field(m, 'camera'), 'body.camera', 64),
    site: readStringOrNull(field(m, 'site'), 'body.site', 256),
    state: readOneOf(field(m, 'state'), ALERT_STATES, 'body.state'),
    previousState: readOneOf(field(m, 'previousState'), ALERT_STATES, 'body.previousState'),
    frame: readCount(field(m, 'frame'), 'body.frame'),
    timeMs: readNumber(field(m, 'timeMs'), 'body.timeMs'),
    startFrame: readCount(field(m, 'startFrame'), 'body.startFrame'),
    startTimeMs: readNumber(field(m, 'startTimeMs'), 'body.startTimeMs'),
    cause: readString(field(m, 'cause'), 'body.cause', 64),
    causeRevised: readBoolean(field(m, 'causeRevised'), 'body.causeRevised'),
    baseline: readStringOrNull(field(m, 'baseline'), 'body.baseline', 256),
    model: readStringOrNull(field(m, 'model'), 'body.model', 256),
    findings: readArray(field(m, 'findings'), 'body.findings', MAX_FINDINGS).map((f, i) => readFinding(f, `body.findings[${i}]`)),
  };
}
