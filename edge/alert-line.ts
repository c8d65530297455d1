// An alert event as one JSON object: what `replay --json` prints and what
// `run` writes to stdout, one line per transition or cause revision.
import { describeFinding } from '../src/policy/describe-finding.js';
import type { AlertEvent } from '../src/policy/alert-types.js';

export function alertLine(event: AlertEvent): Record<string, unknown> {
  return {
    type: 'alert', state: event.state, frame: event.frame, id: event.id, camera: event.camera, timeMs: event.timeMs,
    startFrame: event.startFrame,
    features: event.findings.map((f) => f.feature), cause: event.cause, causeRevised: event.causeRevised,
    findings: event.findings.map((f) => ({
      feature: f.feature, effect: f.effect, shift: f.shift, relativeChange: f.relativeChange, direction: f.direction,
      // As in the MQTT alert: false when listed only as context, because its latest frames moved too.
      pvalue: f.pvalue, implicated: f.implicated !== false, description: describeFinding(f),
    })),
    baseline: event.baselineDigest, model: event.modelVersion,
  };
}
