// Messages as an agent publishes them, made with the payload encoder
// (src/envelope/): alert, state and summary envelopes with small bodies.
import { encodeEnvelope } from '../../src/envelope/envelope.js';
import type { AlertBody, AlertFindingBody } from '../../src/envelope/alert-body.js';
import { SummaryAccumulator, buildSummaryBody } from '../../src/envelope/summary.js';

export const T0 = Date.UTC(2026, 11, 1, 17, 10, 28);

export interface Stamp { dev: string; bdSeq?: number; seq: number; ts?: number }

function stamp(s: Stamp) {
  return { v: 1 as const, dev: s.dev, bdSeq: s.bdSeq ?? 3, seq: s.seq, ts: s.ts ?? T0, hist: false };
}

export function finding(feature: string, effect: number, description: string): AlertFindingBody {
  return { feature, statistic: 9, pvalue: 0.0001, effect, shift: effect, relativeChange: effect / 100, direction: effect < 0 ? 'down' : 'up', unit: 'level 0-255', description, implicated: true };
}

export function alertEnvelope(s: Stamp & { camera: string; body?: Partial<AlertBody> }): Uint8Array {
  const body: AlertBody = {
    id: `${s.camera}:424`, camera: s.camera, site: null, state: 'firing', previousState: 'pending', frame: 475, timeMs: 47_500,
    startFrame: 424, startTimeMs: 42_400, cause: 'occlusion', causeRevised: false, baseline: 'sha256:abc', model: 'det-v2',
    findings: [finding('luma_mean', -38, 'luma_mean −38%'), finding('edge_density', 12, 'edge_density +12%')],
    ...s.body,
  };
  return encodeEnvelope({ ...stamp(s), cam: s.camera, kind: 'alert', body });
}

export function stateEnvelope(s: Stamp & { online: boolean }): Uint8Array {
  return encodeEnvelope({ ...stamp(s), cam: null, kind: 'state', body: { online: s.online, bdSeq: s.bdSeq ?? 3, ts: s.ts ?? T0 } });
}

/** A summary of `frames` frames whose luma_mean values are base, base+1, … */
export function summaryEnvelope(s: Stamp & { camera: string; frames?: number; base?: number; model?: string; site?: string; alert?: 'ok' | 'firing' }): Uint8Array {
  const frames = s.frames ?? 10;
  const accumulator = new SummaryAccumulator({ features: ['luma_mean'] });
  for (let i = 0; i < frames; i++) accumulator.add({ luma_mean: (s.base ?? 100) + i });
  const body = buildSummaryBody({
    camera: s.camera, model: s.model ?? 'det-v2', site: s.site ?? 'plant-a',
    frames: { from: s.seq * frames, to: s.seq * frames + frames - 1, count: frames }, window: { size: 300 },
    features: accumulator.take(), alert: { state: s.alert ?? 'ok', id: s.alert === 'firing' ? `${s.camera}:1` : null },
  });
  return encodeEnvelope({ ...stamp(s), cam: s.camera, kind: 'summary', body });
}
