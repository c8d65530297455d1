// The MQTT payload format v1 (docs/payload.md), in one import.
export { TOPIC_ROOT, topicFor, parseTopic, checkTopicLevel, type TopicKind, type ParsedTopic } from './topics.js';
export {
  ENVELOPE_VERSION, ENVELOPE_KINDS, PayloadError, encodeEnvelope, decodeEnvelope, markHistorical, isKind,
  type Envelope, type EnvelopeKind, type BodyOf,
} from './envelope.js';
export * from './summary.js';
export { alertBody, decodeAlertBody, type AlertBody, type AlertFindingBody } from './alert-body.js';
export * from './lifecycle-bodies.js';
export { parseCommand, encodeCommand, CommandError, COMMAND_NAMES, type Command, type CommandName, type CommandErrorCode } from './commands.js';
export { FleetView, FLEET_LEVELS, FLEET_SKETCH_K, MAX_REPLAY, UNKNOWN_KEY, type FleetLevel, type FleetGroupJSON, type FleetFeatureJSON } from './fleet.js';
export { MAX_PENDING, MAX_CONNECTIONS } from './seen-messages.js';
export { mergeMoments, type Moments } from './moments.js';
