// One received MQTT message, checked: the topic must be one of ours, the
// payload a valid envelope (src/envelope/) whose device, kind and camera are
// the topic's, and the body valid for its kind (decodeEnvelope checks it).
// Anything else throws, with a message that says what is wrong; the caller reports it and goes on.
import { parseTopic, type ParsedTopic } from '../../src/envelope/topics.js';
import { decodeEnvelope, type Envelope } from '../../src/envelope/envelope.js';
import type { SummaryBody } from '../../src/envelope/summary.js';
import type { AlertBody } from '../../src/envelope/alert-body.js';
import type { StateBody, BirthBody } from '../../src/envelope/lifecycle-bodies.js';
import { safeText } from './safe-text.js';

export type Received =
  | { topic: string; kind: 'alert'; envelope: Envelope; body: AlertBody }
  | { topic: string; kind: 'summary'; envelope: Envelope; body: SummaryBody }
  | { topic: string; kind: 'state'; envelope: Envelope; body: StateBody }
  | { topic: string; kind: 'birth'; envelope: Envelope; body: BirthBody };

export type ReceivedKind = Received['kind'];

export class MessageError extends Error {
  override name = 'MessageError';
}

function checkMatches(parsed: ParsedTopic, envelope: Envelope): void {
  if (envelope.kind !== parsed.kind) throw new MessageError(`envelope kind '${envelope.kind}' is not the topic's '${parsed.kind}'`);
  if (envelope.dev !== parsed.device) throw new MessageError(`envelope device '${envelope.dev}' is not the topic's '${parsed.device}'`);
  if ((parsed.camera ?? null) !== (envelope.cam ?? null)) throw new MessageError(`envelope camera '${envelope.cam}' is not the topic's '${parsed.camera ?? ''}'`);
}

/** The message decoded and checked; throws (PayloadError or MessageError) when it is not a valid one of `kinds`. */
export function decodeMessage(topic: string, payload: Uint8Array, kinds: readonly ReceivedKind[]): Received {
  const parsed = parseTopic(topic);
  if (!parsed) throw new MessageError('not a driftwatch/v1 topic');
  const kind = parsed.kind as ReceivedKind;
  if (!kinds.includes(kind)) throw new MessageError(`a ${parsed.kind} message where ${kinds.join(' or ')} was expected`);
  // decodeEnvelope checks the body with its kind's decoder too.
  const envelope = decodeEnvelope(payload);
  checkMatches(parsed, envelope);
  return { topic, kind, envelope, body: envelope.body } as Received;
}

/** One line for stderr about a message that could not be used. */
export function undecodableLine(topic: string, error: unknown): string {
  const what = error instanceof Error ? error.message : String(error);
  const shown = topic.length > 200 ? `${topic.slice(0, 200)}…` : topic;
  return safeText(`undecodable message on ${shown}: ${what.length > 300 ? `${what.slice(0, 300)}…` : what}`);
}
