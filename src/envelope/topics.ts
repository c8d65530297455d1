// MQTT topics of format v1: driftwatch/v1/<device>/<kind>[/<camera or command>].
export const TOPIC_ROOT = 'driftwatch/v1';

export type TopicKind = 'state' | 'birth' | 'summary' | 'alert' | 'cmd' | 'reply';

export interface ParsedTopic {
  device: string;
  kind: TopicKind;
  camera?: string;
  command?: string;
}

const MAX_LEVEL = 64;

/** A device, camera or command id usable as one topic level; throws a RangeError naming `what`. */
export function checkTopicLevel(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string; got ${typeof value}`);
  if (value.length === 0) throw new RangeError(`${what} must not be empty`);
  if (value.length > MAX_LEVEL) throw new RangeError(`${what} must be at most ${MAX_LEVEL} characters; got ${value.length}`);
  if (/[/+#\0]/.test(value)) throw new RangeError(`${what} ${JSON.stringify(value)} must not contain '/', '+', '#' or NUL`);
  if (value.startsWith('$')) throw new RangeError(`${what} ${JSON.stringify(value)} must not start with '$'`);
  return value;
}

export function topicFor(device: string, kind: 'state' | 'birth' | 'reply'): string;
export function topicFor(device: string, kind: 'summary' | 'alert', camera: string): string;
export function topicFor(device: string, kind: 'cmd', command: string): string;
export function topicFor(device: string, kind: TopicKind, sub?: string): string {
  const base = `${TOPIC_ROOT}/${checkTopicLevel(device, 'device')}`;
  switch (kind) {
    case 'state': case 'birth': case 'reply':
      if (sub !== undefined) throw new TypeError(`topicFor(${kind}) takes no third argument`);
      return `${base}/${kind}`;
    case 'summary': case 'alert':
      return `${base}/${kind}/${checkTopicLevel(sub, 'camera')}`;
    case 'cmd':
      return `${base}/cmd/${checkTopicLevel(sub, 'command')}`;
    default:
      throw new RangeError(`topic kind ${JSON.stringify(kind)} is not one of state, birth, summary, alert, cmd, reply`);
  }
}

function validLevel(value: string): boolean {
  try { checkTopicLevel(value, 'level'); return true; } catch { return false; }
}

/** The parts of one of our topics; null for any other topic (or a malformed one of ours). */
export function parseTopic(topic: string): ParsedTopic | null {
  if (typeof topic !== 'string' || !topic.startsWith(`${TOPIC_ROOT}/`)) return null;
  const parts = topic.slice(TOPIC_ROOT.length + 1).split('/');
  const [device, kind, sub] = parts;
  if (!validLevel(device)) return null;
  if (parts.length === 2 && (kind === 'state' || kind === 'birth' || kind === 'reply')) return { device, kind };
  if (parts.length !== 3 || !validLevel(sub)) return null;
  if (kind === 'summary' || kind === 'alert') return { device, kind, camera: sub };
  if (kind === 'cmd') return { device, kind, command: sub };
  return null;
}
