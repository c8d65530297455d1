// The live view's model (no DOM, no network): what arrived from the broker
// for one device, decoded with the same src/envelope decoders as the agent's
// consumers. A payload that does not decode becomes one error line; the
// next message is read as usual.
import { decodeEnvelope } from '../src/envelope/envelope.js';
import type { AlertBody } from '../src/envelope/alert-body.js';
import type { SummaryBody } from '../src/envelope/summary-body.js';
import type { StateBody } from '../src/envelope/lifecycle-bodies.js';
import { TOPIC_ROOT, checkTopicLevel, parseTopic } from '../src/envelope/topics.js';

export const MAX_ALERT_ROWS = 500;
export const MAX_ERROR_LINES = 100;
/** Means shown per summary: these first (when present), then others by name, at most MEANS_SHOWN. */
export const PREFERRED_MEANS = ['luma_mean', 'saturation_mean', 'gradient_mean', 'r_mean', 'g_mean', 'b_mean'];
export const MEANS_SHOWN = 4;

export interface LiveAlertRow {
  ts: number;
  camera: string;
  /** The alert state; "firing (cause revised)" for a revision. */
  state: string;
  cause: string;
  id: string;
  /** The implicated findings in words (e.g. "luma_mean −38%"). */
  features: string[];
  /** Replayed from the agent's spool (late, not current). */
  hist: boolean;
}

export interface LiveSummaryRow {
  ts: number;
  camera: string;
  frames: number;
  from: number | null;
  to: number | null;
  window: number;
  means: Array<[feature: string, mean: number]>;
  alertState: string;
  alertId: string | null;
  hist: boolean;
}

export interface LiveErrorLine { at: number; topic: string; message: string }

export type LiveEvent =
  | { type: 'alert'; row: LiveAlertRow }
  | { type: 'summary'; row: LiveSummaryRow }
  | { type: 'state'; state: StateBody }
  | { type: 'error'; line: LiveErrorLine }
  | { type: 'ignored' };

/** The subscriptions for one device (and optionally one camera); throws a RangeError for an id that cannot be a topic level. */
export function liveTopics(device: string, camera?: string): string[] {
  const dev = checkTopicLevel(device, 'device');
  const cam = camera ? checkTopicLevel(camera, 'camera') : '+';
  return [`${TOPIC_ROOT}/${dev}/state`, `${TOPIC_ROOT}/${dev}/alert/${cam}`, `${TOPIC_ROOT}/${dev}/summary/${cam}`];
}

function pickMeans(body: SummaryBody): Array<[string, number]> {
  const names = Object.keys(body.features);
  const order = [...PREFERRED_MEANS.filter((n) => names.includes(n)), ...names.filter((n) => !PREFERRED_MEANS.includes(n)).sort()];
  return order.slice(0, MEANS_SHOWN).map((name) => [name, body.features[name].mean]);
}

export class LiveState {
  status = 'not connected';
  alerts: LiveAlertRow[] = [];
  errors: LiveErrorLine[] = [];
  readonly summaries = new Map<string, LiveSummaryRow>();
  deviceState: StateBody | null = null;
  received = 0;
  private readonly seen = new Set<string>();

  constructor(readonly device: string, readonly camera: string | null = null) {}

  /** One message as MQTT delivered it. */
  handle(topic: string, payload: Uint8Array, now = Date.now()): LiveEvent {
    this.received++;
    const parsed = parseTopic(topic);
    if (!parsed || parsed.device !== this.device || !['state', 'alert', 'summary'].includes(parsed.kind)) return { type: 'ignored' };
    if (this.camera && parsed.camera !== undefined && parsed.camera !== this.camera) return { type: 'ignored' };
    try {
      const envelope = decodeEnvelope(new Uint8Array(payload));
      if (envelope.kind !== parsed.kind) throw new Error(`a ${envelope.kind} envelope on a ${parsed.kind} topic`);
      if (envelope.dev !== parsed.device) throw new Error(`envelope device ${JSON.stringify(envelope.dev)} differs from the topic's`);
      if (parsed.camera !== undefined && envelope.cam !== parsed.camera) throw new Error(`envelope camera ${JSON.stringify(envelope.cam)} differs from the topic's`);
      // (dev, bdSeq, seq) identifies a spooled message (seq >= 1): QoS 1 and replay may repeat it.
      if (envelope.seq >= 1) {
        const key = `${envelope.bdSeq}:${envelope.seq}`;
        if (this.seen.has(key)) return { type: 'ignored' };
        this.seen.add(key);
        if (this.seen.size > 4096) this.seen.delete(this.seen.values().next().value as string);
      }
      if (envelope.kind === 'state') {
        const state = envelope.body as StateBody;
        if (this.deviceState && state.bdSeq < this.deviceState.bdSeq) return { type: 'ignored' };
        this.deviceState = state;
        return { type: 'state', state };
      }
      if (envelope.kind === 'alert') {
        const body = envelope.body as AlertBody;
        const row: LiveAlertRow = {
          ts: envelope.ts, camera: body.camera, state: body.causeRevised ? `${body.state} (cause revised)` : body.state,
          cause: body.cause, id: body.id, features: body.findings.filter((f) => f.implicated).map((f) => f.description), hist: envelope.hist,
        };
        this.alerts.push(row);
        if (this.alerts.length > MAX_ALERT_ROWS) this.alerts.splice(0, this.alerts.length - MAX_ALERT_ROWS);
        return { type: 'alert', row };
      }
      const body = envelope.body as SummaryBody;
      const row: LiveSummaryRow = {
        ts: envelope.ts, camera: body.camera, frames: body.frames.count, from: body.frames.from, to: body.frames.to,
        window: body.window.size, means: pickMeans(body), alertState: body.alert.state, alertId: body.alert.id, hist: envelope.hist,
      };
      const previous = this.summaries.get(body.camera);
      // The latest per camera by the agent's time; a late (replayed) one does not replace a newer one.
      if (!previous || previous.ts <= row.ts) this.summaries.set(body.camera, row);
      return { type: 'summary', row };
    } catch (error) {
      const line: LiveErrorLine = { at: now, topic, message: error instanceof Error ? error.message : String(error) };
      this.errors.push(line);
      if (this.errors.length > MAX_ERROR_LINES) this.errors.splice(0, this.errors.length - MAX_ERROR_LINES);
      return { type: 'error', line };
    }
  }

  /** A plain copy (for tests and the console). */
  snapshot() {
    return {
      status: this.status, device: this.device, camera: this.camera, received: this.received, deviceState: this.deviceState,
      alerts: this.alerts.slice(), summaries: [...this.summaries.values()], errors: this.errors.slice(),
    };
  }
}
