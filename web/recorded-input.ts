// Recorded messages as input: a `.msgpack` file holding one envelope (what the
// agent publishes over MQTT, docs/payload.md) decoded by src/envelope's
// decoders, and `.jsonl` / `.json` lines of `driftwatch run` / `replay --json`
// output. Decoding is pure (no DOM): the page lists the results
// (web/recorded-view.ts); a file that does not decode is an error for that file.
import { decodeEnvelope, type Envelope, type AlertBody, type SummaryBody } from '../src/envelope/index.js';
import type { AlertRow } from './messages.js';

export const RECORDED_NAME = /\.(msgpack|mpk|jsonl|ndjson)$/i;
export const MAX_RECORDED_BYTES = 16 * 1024 * 1024;

/** One alert transition, from an alert envelope or a JSON line. */
export interface RecordedAlert extends Omit<AlertRow, 'startFrame'> {
  file: string;
  /** 1-based line for JSON lines, null for msgpack. */
  line: number | null;
  device: string | null;
}

/** One summary (per camera), or another envelope kind listed as such. */
export interface RecordedMessage {
  file: string;
  kind: string;
  device: string;
  camera: string | null;
  ts: number;
  /** What the message says, in words. */
  detail: string;
}

export interface RecordedError { file: string; message: string }

export interface Recorded {
  alerts: RecordedAlert[];
  messages: RecordedMessage[];
  errors: RecordedError[];
}

function summaryDetail(body: SummaryBody): string {
  const top = [...body.tests].sort((a, b) => b.statistic - a.statistic).slice(0, 3)
    .map((t) => `${t.feature} ${t.statistic.toPrecision(3)}${t.significant ? ' (significant)' : ''}`);
  const frames = body.frames.from === null ? `${body.frames.count} frames` : `frames ${body.frames.from}–${body.frames.to} (${body.frames.count})`;
  return `${frames}; window ${body.window.size}; alert ${body.alert.state}${body.alert.id ? ` ${body.alert.id}` : ''}; ${Object.keys(body.features).length} features${top.length ? `; largest statistics: ${top.join(', ')}` : ''}`;
}

function fromEnvelope(file: string, envelope: Envelope, out: Recorded): void {
  if (envelope.kind === 'alert') {
    const a = envelope.body as AlertBody;
    out.alerts.push({ file, line: null, frame: a.frame, state: a.state, cause: a.cause, causeRevised: a.causeRevised, id: a.id, camera: a.camera, device: envelope.dev, features: a.findings.map((f) => f.feature) });
    return;
  }
  const detail = envelope.kind === 'summary' ? summaryDetail(envelope.body as SummaryBody) : JSON.stringify(envelope.body, (_, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v));
  out.messages.push({ file, kind: envelope.kind, device: envelope.dev, camera: envelope.cam, ts: envelope.ts, detail: detail.length > 400 ? `${detail.slice(0, 400)}…` : detail });
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
  return value;
}

function fromJsonLine(file: string, line: number, value: unknown, out: Recorded): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`line ${line}: not a JSON object`);
  const v = value as Record<string, unknown>;
  if (v.type === 'alert') {
    if (!Number.isSafeInteger(v.frame)) throw new Error(`line ${line}: frame is not an integer`);
    out.alerts.push({
      file, line, frame: v.frame as number, state: text(v.state, `line ${line}: state`), cause: text(v.cause ?? '', `line ${line}: cause`),
      causeRevised: v.causeRevised === true, id: text(v.id, `line ${line}: id`), camera: text(v.camera ?? '', `line ${line}: camera`), device: null,
      features: Array.isArray(v.features) ? v.features.map((f) => String(f)) : [],
    });
  } else if (v.type === 'summary') {
    // replay's last line: frames, processed, rejected, checks, alerts, fps.
    out.messages.push({ file, kind: 'replay summary', device: '', camera: null, ts: 0, detail: `${String(v.processed)} of ${String(v.frames)} frames processed (${String(v.rejected)} rejected), ${String(v.checks)} checks, ${String(v.alerts)} alerts fired` });
  }
  // Other lines (e.g. log lines) are not alerts: skipped.
}

/** Decodes one recorded file's bytes; a file that does not decode adds one error and nothing else. */
export function decodeRecorded(file: string, bytes: Uint8Array, out: Recorded): void {
  const before = { alerts: out.alerts.length, messages: out.messages.length };
  try {
    if (bytes.length > MAX_RECORDED_BYTES) throw new Error(`larger than ${MAX_RECORDED_BYTES} bytes`);
    if (/\.(msgpack|mpk)$/i.test(file)) {
      fromEnvelope(file, decodeEnvelope(bytes), out);
    } else {
      const lines = new TextDecoder('utf-8', { fatal: true }).decode(bytes).split('\n');
      lines.forEach((raw, i) => {
        if (raw.trim() === '') return;
        let parsed: unknown;
        try { parsed = JSON.parse(raw); } catch { throw new Error(`line ${i + 1}: not JSON`); }
        fromJsonLine(file, i + 1, parsed, out);
      });
    }
  } catch (error) {
    out.alerts.length = before.alerts;
    out.messages.length = before.messages;
    out.errors.push({ file, message: error instanceof Error ? error.message : String(error) });
  }
}

export async function readRecorded(files: Iterable<File>): Promise<Recorded> {
  const out: Recorded = { alerts: [], messages: [], errors: [] };
  const chosen = [...files].filter((f) => RECORDED_NAME.test(f.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const file of chosen) {
    if (file.size > MAX_RECORDED_BYTES) out.errors.push({ file: file.name, message: `larger than ${MAX_RECORDED_BYTES} bytes` });
    else decodeRecorded(file.name, new Uint8Array(await file.arrayBuffer()), out);
  }
  return out;
}
