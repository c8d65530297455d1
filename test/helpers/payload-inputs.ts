// The fixed inputs of the payload golden vectors (test/fixtures/payloads/):
// no clock, no randomness. scripts/payload-golden.mjs writes the fixtures from
// them; test/payload-golden.test.ts re-encodes them and compares byte for byte.
import { alertBody } from '../../src/envelope/alert-body.js';
import { encodeCommand, type Command } from '../../src/envelope/commands.js';
import { encodeEnvelope, type Envelope, type EnvelopeKind } from '../../src/envelope/envelope.js';
import { birthBody, replyBody, stateBody } from '../../src/envelope/lifecycle-bodies.js';
import { SummaryAccumulator, buildSummaryBody } from '../../src/envelope/summary.js';
import type { AlertEvent } from '../../src/policy/alert-types.js';
import type { FeatureTest } from '../../src/policy/feature-test.js';

export const GOLDEN_TS = 1764547200000; // 2025-12-01T00:00:00Z
export const GOLDEN_DEV = 'box-0042';
export const GOLDEN_CAM = 'dock-door';

/** luma_mean 100, 110, 120 (mean 110, m2 200); sharpness 50.5, 52.5, 54.5 (mean 52.5, m2 8). */
export const GOLDEN_FRAMES = [
  { luma_mean: 100, sharpness: 50.5 },
  { luma_mean: 110, sharpness: 52.5 },
  { luma_mean: 120, sharpness: 54.5 },
];

/** luma counts 0..255 (bin i holds i), hue 36 bins of 1000 + i. */
export const GOLDEN_LUMA = Array.from({ length: 256 }, (_, i) => i);
export const GOLDEN_HUE = Array.from({ length: 36 }, (_, i) => 1000 + i);

export const GOLDEN_TEST: FeatureTest = {
  feature: 'luma_mean', kind: 'continuous', statistic: 0.5, pvalue: 0.001, adjustedPvalue: 0.004, effectiveSize: 40,
  effect: -1.25, relativeChange: -0.375, direction: 'down', windowMedian: 75, baselineMedian: 120, significant: true,
};

/** A test of a name that is not a summary feature: it goes in the body's tests map, with its kind. */
export const GOLDEN_HUE_TEST: FeatureTest = {
  feature: 'hue', kind: 'histogram', statistic: 0.25, pvalue: null, adjustedPvalue: null, effectiveSize: 25,
  effect: 0.25, relativeChange: null, direction: null, windowMedian: null, baselineMedian: null, significant: false,
};

export function goldenSummaryBody() {
  const acc = new SummaryAccumulator({ features: ['luma_mean', 'sharpness'] });
  for (const frame of GOLDEN_FRAMES) acc.add(frame);
  return buildSummaryBody({
    camera: GOLDEN_CAM, site: 'plant-7', model: 'detector@3.1.0', baseline: 'sha256:00ff', frames: { from: 1200, to: 1224, count: 3 },
    window: { size: 300 }, features: acc.take(),
    tests: [GOLDEN_TEST, GOLDEN_HUE_TEST],
    histograms: { luma: GOLDEN_LUMA, hue: GOLDEN_HUE },
    alert: { state: 'pending', id: 'dock-door:1224' },
  });
}

export const GOLDEN_ALERT_EVENT: AlertEvent = {
  id: 'dock-door:1224', camera: GOLDEN_CAM, state: 'firing', previousState: 'pending', frame: 1274, timeMs: 50960,
  startFrame: 1224, startTimeMs: 48960, cause: 'low-light', causeRevised: false, baselineDigest: 'sha256:00ff', modelVersion: 'detector@3.1.0',
  findings: [
    { feature: 'luma_mean', statistic: 0.5, pvalue: 0.004, effect: -1.25, shift: -45, relativeChange: -0.375, direction: 'down', unit: 'level (0-255)' },
    { feature: 'hue', statistic: 0.25, pvalue: null, effect: 0.25, shift: null, relativeChange: null, direction: null, unit: 'JS distance', implicated: false },
  ],
};

function envelope(kind: EnvelopeKind, seq: number, cam: string | null, body: unknown): Envelope {
  return { v: 1, dev: GOLDEN_DEV, cam, bdSeq: 7, seq, ts: GOLDEN_TS + seq, kind, hist: false, body };
}

export function goldenEnvelopes(): Record<string, Envelope> {
  return {
    state: envelope('state', 0, null, stateBody({ online: true, bdSeq: 7, ts: GOLDEN_TS })),
    birth: envelope('birth', 1, null, birthBody({
      agentVersion: '0.1.0', site: 'plant-7', catalogue: 1, configHash: 'sha256:c0ffee',
      cameras: [{ id: GOLDEN_CAM, model: 'detector@3.1.0', baseline: 'sha256:00ff', decodeScale: 2, step: 1 }],
    })),
    summary: envelope('summary', 2, GOLDEN_CAM, goldenSummaryBody()),
    alert: envelope('alert', 3, GOLDEN_CAM, alertBody(GOLDEN_ALERT_EVENT, { site: 'plant-7' })),
    reply: envelope('reply', 4, null, replyBody({ command: 'summary-now', requestId: 'req-1', ok: true, error: null, result: { cameras: [GOLDEN_CAM] } })),
  };
}

export const GOLDEN_COMMANDS: Record<string, Command> = {
  'cmd-rebaseline': { name: 'rebaseline', camera: GOLDEN_CAM, requestId: 'req-2', baseline: new Uint8Array([0x44, 0x57, 0x42, 0x4c, 1, 2, 3]), path: null },
  'cmd-reload': { name: 'reload', requestId: null },
  'cmd-summary-now': { name: 'summary-now', camera: GOLDEN_CAM, requestId: 'req-1' },
  'cmd-rebirth': { name: 'rebirth', requestId: 'req-3' },
};

/** Every fixture's name (file name without .msgpack) and bytes. */
export function goldenPayloads(): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [name, e] of Object.entries(goldenEnvelopes())) out[name] = encodeEnvelope(e);
  for (const [name, c] of Object.entries(GOLDEN_COMMANDS)) out[name] = encodeCommand(c);
  return out;
}
