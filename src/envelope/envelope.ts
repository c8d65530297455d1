// The envelope around every message the agent publishes: a standard msgpack
// map { v, dev, cam, bdSeq, seq, ts, kind, hist, body } (docs/payload.md).
import { decodeAlertBody, type AlertBody } from './alert-body.js';
import { decodeBirthBody, decodeReplyBody, decodeStateBody, type BirthBody, type ReplyBody, type StateBody } from './lifecycle-bodies.js';
import { checkPlainData } from './plain-data.js';
import { PayloadError, fail, field, readBoolean, readCount, readInteger, readMap, readOneOf, readString, readStringOrNull } from './payload-error.js';
import { decodeSummaryBody, summaryWire, type SummaryBody } from './summary-body.js';
import { checkTopicLevel } from './topics.js';
import { packWire, unpackWire } from './wire.js';

export { PayloadError } from './payload-error.js';

export const ENVELOPE_VERSION = 1;

export type EnvelopeKind = 'summary' | 'alert' | 'state' | 'birth' | 'reply';
export const ENVELOPE_KINDS: readonly EnvelopeKind[] = ['summary', 'alert', 'state', 'birth', 'reply'];

export interface Envelope<B = unknown> {
  v: 1;
  dev: string;
  /** The camera for summary and alert; null for state, birth and reply. */
  cam: string | null;
  /** Connection counter: persisted by the agent, +1 per connection. */
  bdSeq: number;
  /** 0, 1, 2, … per message the agent makes within one bdSeq (all kinds together). */
  seq: number;
  /** When the agent made the message: integer epoch ms. */
  ts: number;
  kind: EnvelopeKind;
  /** True when published in a later connection than the one it was made in (replayed from the spool). */
  hist: boolean;
  body: B;
}

const BODY_DECODERS: Record<EnvelopeKind, (body: unknown) => unknown> = {
  summary: decodeSummaryBody, alert: decodeAlertBody, state: decodeStateBody, birth: decodeBirthBody, reply: decodeReplyBody,
};

function topicLevel(value: string, path: string): string {
  try { return checkTopicLevel(value, path); } catch (error) {
    throw new PayloadError(`payload: ${(error as Error).message}`);
  }
}

/** Checks the envelope fields of a decoded map; the body is checked by its kind's decoder. */
function readEnvelope(value: unknown): Envelope {
  const m = readMap(value, 'envelope');
  const v = field(m, 'v');
  if (v !== ENVELOPE_VERSION) {
    if (typeof v === 'number') throw new PayloadError(`payload: format version ${v} is not supported (this build reads version ${ENVELOPE_VERSION})`);
    fail('v', `the format version ${ENVELOPE_VERSION}`);
  }
  const kind = readOneOf(field(m, 'kind'), ENVELOPE_KINDS, 'kind');
  const dev = topicLevel(readString(field(m, 'dev'), 'dev', 64), 'dev');
  const cam = readStringOrNull(field(m, 'cam'), 'cam', 64);
  if (kind === 'summary' || kind === 'alert') {
    if (cam === null) fail('cam', `a camera id for a ${kind}`);
    topicLevel(cam, 'cam');
  } else if (cam !== null) fail('cam', `null for a ${kind}`);
  const ts = readInteger(field(m, 'ts'), 'ts');
  if (ts < 0) fail('ts', 'an integer epoch time in ms (>= 0)');
  const body = BODY_DECODERS[kind](field(m, 'body'));
  if (kind === 'summary' && (body as { camera: string }).camera !== cam) fail('body.camera', `the envelope's cam (${cam})`);
  if (kind === 'alert' && (body as { camera: string }).camera !== cam) fail('body.camera', `the envelope's cam (${cam})`);
  return {
    v: ENVELOPE_VERSION, dev, cam, bdSeq: readCount(field(m, 'bdSeq'), 'bdSeq'), seq: readCount(field(m, 'seq'), 'seq'),
    ts, kind, hist: readBoolean(field(m, 'hist'), 'hist'), body,
  };
}

/** Validates, then encodes as standard msgpack with the fields in the documented order (a summary body as decodeEnvelope gives it). */
export function encodeEnvelope(e: Envelope): Uint8Array {
  if (e === null || typeof e !== 'object') throw new TypeError('encodeEnvelope needs an envelope object');
  // A summary body (a SummaryBody) goes in its wire form: moments and tests as fixed-order arrays.
  const body = e.kind === 'summary' ? summaryWire(e.body as SummaryBody) : e.body;
  checkPlainData(body, 'body');
  const checked = readEnvelope({ ...e, body });
  // The body goes as given (its decoder only vouched for it), so fields added within v1 travel too.
  return packWire({ ...checked, body });
}

/** Decodes and validates; anything else than a valid v1 envelope is a PayloadError naming the field. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  return readEnvelope(unpackWire(bytes));
}

/** The same envelope with hist = true; every other field, known or not, is kept. */
export function markHistorical(bytes: Uint8Array): Uint8Array {
  const raw = unpackWire(bytes);
  readEnvelope(raw);
  return packWire({ ...(raw as Record<string, unknown>), hist: true });
}

/** The body type of each kind, as decodeEnvelope returns it. */
export interface BodyOf { summary: SummaryBody; alert: AlertBody; state: StateBody; birth: BirthBody; reply: ReplyBody }

/** Narrows a decoded envelope to its kind's body type (e.g. for FleetView.add). */
export function isKind<K extends EnvelopeKind>(e: Envelope, kind: K): e is Envelope<BodyOf[K]> {
  return e.kind === kind;
}
